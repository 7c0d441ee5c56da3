"""Aggregation pages (seed 003 items 46, 51–57): the TEC summary table of a district with a row per
precinct (final protocol figures beside the preliminary ones, transmission statuses and the TEC's
buttons), the CEC result of a council, and the preliminary figures with the CSV upload. Views
parse input and call one service; reading needs ``protocol.view_draft``, each action its own
capability on the commission concerned."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.access import CapabilityRequired
from accounts.permissions import can, can_anywhere
from ballots.models import Contest
from elections.views import ElectionContextMixin
from groups.models import FileImport, TerritorialUnit
from groups.selectors import file_import_of
from groups.services.file_imports import file_import_upload
from meetings.selectors import meetings_deciding

from .. import aggregation_selectors as sel
from .. import forms_spec
from ..models import PreliminaryResult, Protocol
from ..services import aggregation as services
from ..services import preliminary
from ..services.protocol import protocol_update


def _error_text(exc) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return _("Your role may not do this.")


class DistrictMixin:
    """The district named by its number in the URL and the council contest voted in it."""

    def load_district(self):
        if not hasattr(self, "district"):
            election = self.load_election()
            self.district = get_object_or_404(
                TerritorialUnit,
                election=election,
                kind=TerritorialUnit.Kind.DISTRICT,
                number=self.kwargs["number"],
            )
            self.contest = Contest.objects.filter(election=election, unit=self.district).first()
            if self.contest is None:
                raise Http404
            self.tec = sel.district_tec(self.district)
        return self.district

    def district_url(self):
        return redirect(
            "protocols:aggregation_district", slug=self.election.slug, number=self.district.number
        )


#: what the receiving commission decides on a protocol received by act (receipt is the act's)
DECISION_CHOICES = [
    (c.value, c.label) for c in (Protocol.Transmission.ACCEPTED, Protocol.Transmission.RETURNED)
]


class AggregationIndexView(CapabilityRequired, ElectionContextMixin, TemplateView):
    """The councils of the election: accepted precinct protocols, TEC summaries, CEC results."""

    capability = "protocol.view_draft"
    template_name = "protocols/aggregation/index.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["rows"] = sel.aggregation_overview(self.election)
        user, cec = self.request.user, sel.election_cec(self.election)
        ctx["can_build_all_tables"] = can(user, "protocol.aggregate", sel.ElectionWide(self.election.pk))
        ctx["can_build_all_results"] = cec is not None and can(user, "protocol.aggregate", cec)
        return ctx


def _report_build(request, report, built_text, none_text) -> None:
    """One message for a build of many tables: how many were built, and each council left alone
    with its reason."""
    if report.built:
        messages.success(request, built_text % {"n": len(report.built)})
    elif not report.skipped:
        messages.info(request, none_text)
    for number, reason in report.skipped:
        messages.warning(
            request,
            _("District № %(number)s left as it is: %(reason)s") % {"number": number, "reason": reason},
        )


class _BuildAllView(CapabilityRequired, ElectionContextMixin, View):
    """POST: one service that builds the drafts of every council at once (election night), and one
    message for what it built and what it left alone."""

    capability = "protocol.aggregate"
    http_method_names = ["post"]
    build = None  # the service
    built_text = ""

    def post(self, request, *args, **kwargs):
        try:
            report = type(self).build(election=self.election, actor=request.user)
            _report_build(request, report, self.built_text, _("No council ballots in this election."))
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, _error_text(exc))
        return redirect("protocols:aggregation_index", slug=self.election.slug)


class SummariesBuildAllView(_BuildAllView):
    """Every district's summary table draft, from the accepted protocols."""

    build = services.territorial_summaries_build
    built_text = gettext_lazy(
        "%(n)s summary table(s) built from the accepted protocols. Each TEC checks and signs its own."
    )

    def get_permission_object(self):
        return sel.ElectionWide(self.load_election().pk)


class ResultsBuildAllView(_BuildAllView):
    """Every council's result draft, from the signed summary tables."""

    build = services.central_results_build
    built_text = gettext_lazy(
        "%(n)s result(s) determined from the signed summary tables. The CEC checks and signs each."
    )

    def get_permission_object(self):
        cec = sel.election_cec(self.load_election())
        if cec is None:
            raise Http404
        return cec


class DistrictTableView(CapabilityRequired, DistrictMixin, ElectionContextMixin, TemplateView):
    """The TEC summary table of a district: a row per precinct with the final and the preliminary
    figures side by side, statuses, and the TEC's buttons."""

    capability = "protocol.view_draft"
    template_name = "protocols/aggregation/district.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        self.load_district()
        user = self.request.user
        table = sel.territorial_table(self.contest, self.district)
        summary = table["summary"]
        ctx.update(
            table=table,
            district=self.district,
            contest=self.contest,
            tec=self.tec,
            transmission_choices=DECISION_CHOICES,
            can_transmit=self.tec is not None and can(user, "protocol.transmit", self.tec),
            meetings=meetings_deciding(self.tec) if self.tec is not None else [],
            can_build=self.tec is not None
            and can(user, "protocol.aggregate", self.tec)
            and (summary is None or summary.status == Protocol.Status.DRAFT),
            summary_check=sel.completeness_check(summary) if summary else None,
            summary_blockers=sel.summary_blockers(summary) if summary else [],
            can_explain=summary is not None
            and summary.status == Protocol.Status.DRAFT
            and can(user, "protocol.prepare", summary),
            completeness_key=sel.COMPLETENESS_KEY,
        )
        return ctx


class TransmissionView(CapabilityRequired, ElectionContextMixin, View):
    """POST: the higher commission accepts a protocol received by act, or returns it with a
    note: the TEC a precinct protocol, the CEC a TEC's summary table."""

    capability = "protocol.transmit"
    http_method_names = ["post"]

    def get_permission_object(self):
        if not hasattr(self, "protocol"):
            self.protocol = get_object_or_404(
                Protocol.objects.select_related("commission__parent", "unit__parent", "contest"),
                pk=self.kwargs["pk"],
                election=self.load_election(),
                level__in=(Protocol.Level.PRECINCT, Protocol.Level.TERRITORIAL),
            )
        receiver = (
            sel.precinct_tec(self.protocol)
            if self.protocol.level == Protocol.Level.PRECINCT
            else sel.election_cec(self.election)
        )
        if receiver is None:
            raise Http404
        return receiver

    def post(self, request, *args, **kwargs):
        p = self.protocol
        status = request.POST.get("status", "")
        meeting = None
        if request.POST.get("meeting"):
            receiver = self.get_permission_object()
            meeting = next(
                (m for m in meetings_deciding(receiver) if str(m.pk) == request.POST["meeting"]), None
            )
            if meeting is None:
                messages.error(request, _("Choose a held meeting of this commission."))
                return self._back(p)
        try:
            services.protocol_transmission_set(
                protocol=p,
                actor=request.user,
                status=status,
                note=request.POST.get("note", ""),
                meeting=meeting,
            )
            messages.success(
                request,
                _("%(unit)s: the protocol is marked “%(status)s”.")
                % {"unit": p.unit, "status": Protocol.Transmission(status).label},
            )
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, _error_text(exc))
        return self._back(p)

    def _back(self, p):
        if p.level == Protocol.Level.TERRITORIAL:
            return redirect("protocols:aggregation_result", slug=self.election.slug, contest=p.contest_id)
        return redirect(
            "protocols:aggregation_district", slug=self.election.slug, number=p.unit.parent.number
        )


class SummaryBuildView(CapabilityRequired, DistrictMixin, ElectionContextMixin, View):
    """POST: build or refresh the TEC summary table draft from the accepted protocols."""

    capability = "protocol.aggregate"
    http_method_names = ["post"]

    def get_permission_object(self):
        self.load_district()
        if self.tec is None:
            raise Http404
        return self.tec

    def post(self, request, *args, **kwargs):
        try:
            summary = services.territorial_summary_build(
                contest=self.contest, district=self.district, actor=request.user
            )
            missing = len(summary.prefilled.get("blockers", []))
            if missing:
                messages.warning(
                    request,
                    _(
                        "The summary table is built. %(n)s precinct(s) have no accepted signed protocol: "
                        "accept them and rebuild, or explain why before signing."
                    )
                    % {"n": missing},
                )
            else:
                messages.success(request, _("The summary table is built from all precincts."))
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, _error_text(exc))
        return self.district_url()


class SummaryExplainView(CapabilityRequired, DistrictMixin, ElectionContextMixin, View):
    """POST: the TEC explains why precincts are missing from its summary table (e.g. voting in a
    precinct was declared invalid); kept with the other explanations of the draft."""

    capability = "protocol.prepare"
    http_method_names = ["post"]

    def get_permission_object(self):
        self.load_district()
        self.summary = (
            Protocol.objects.filter(
                series=Protocol.series_key(Protocol.Level.TERRITORIAL, self.contest.pk, self.district.pk)
            )
            .exclude(status=Protocol.Status.SUPERSEDED)
            .first()
        )
        if self.summary is None:
            raise Http404
        return self.summary

    def post(self, request, *args, **kwargs):
        explanations = dict(self.summary.check_explanations)
        explanations[sel.COMPLETENESS_KEY] = request.POST.get("explanation", "")
        try:
            protocol_update(protocol=self.summary, actor=request.user, explanations=explanations)
            messages.success(request, _("The explanation is saved."))
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, _error_text(exc))
        return self.district_url()


class ContestMixin:
    def load_contest(self):
        if not hasattr(self, "contest"):
            self.contest = get_object_or_404(
                Contest.objects.select_related("unit"),
                pk=self.kwargs["contest"],
                election=self.load_election(),
                unit__isnull=False,
            )
            self.cec = sel.election_cec(self.election)
        return self.contest


class ResultView(CapabilityRequired, ContestMixin, ElectionContextMixin, TemplateView):
    """The CEC result of a council: a row per district's summary table, the totals, the seats."""

    capability = "protocol.view_draft"
    template_name = "protocols/aggregation/result.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        self.load_contest()
        table = sel.central_table(self.contest)
        result = table["result"]
        ctx.update(
            table=table,
            contest=self.contest,
            cec=self.cec,
            result=result,
            result_blockers=sel.summary_blockers(result) if result else [],
            can_build=self.cec is not None
            and can(self.request.user, "protocol.aggregate", self.cec)
            and (result is None or result.status == Protocol.Status.DRAFT),
            can_transmit=self.cec is not None and can(self.request.user, "protocol.transmit", self.cec),
            transmission_choices=DECISION_CHOICES,
            meetings=meetings_deciding(self.cec) if self.cec is not None else [],
        )
        return ctx


class ResultBuildView(CapabilityRequired, ContestMixin, ElectionContextMixin, View):
    """POST: build or refresh the CEC result draft from the signed summary tables."""

    capability = "protocol.aggregate"
    http_method_names = ["post"]

    def get_permission_object(self):
        self.load_contest()
        if self.cec is None:
            raise Http404
        return self.cec

    def post(self, request, *args, **kwargs):
        try:
            services.central_result_build(contest=self.contest, actor=request.user)
            messages.success(request, _("The result is determined from the signed summary tables."))
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, _error_text(exc))
        return redirect("protocols:aggregation_result", slug=self.election.slug, contest=self.contest.pk)


class PreliminaryView(CapabilityRequired, ElectionContextMixin, TemplateView):
    """Preliminary figures per precinct (automated count, imports, hand entry) beside the status of
    the final protocol; the CSV upload for the CEC."""

    capability = "protocol.view_draft"
    template_name = "protocols/aggregation/preliminary.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        cec = sel.election_cec(self.election)
        ctx["rows"] = sel.preliminary_overview(self.election)
        ctx["can_import"] = can(
            self.request.user, "protocol.preliminary", cec or sel.ElectionWide(self.election.pk)
        )
        ctx["can_enter"] = False
        if can_anywhere(self.request.user, "protocol.preliminary"):
            for row in ctx["rows"]:  # only the precincts this user may enter now
                row["can_enter"] = preliminary.may_enter_preliminary_now(
                    self.request.user, row["unit"], self.election
                )
            ctx["can_enter"] = any(row["can_enter"] for row in ctx["rows"])
        ctx["line_codes"] = [line.code for line in forms_spec.KG_LINES]
        ctx["options"] = [
            (c, sel.contest_options(c))
            for c in Contest.objects.filter(election=self.election, unit__isnull=False)
        ]
        ctx["run"] = file_import_of(self.election, FileImport.Kind.PRELIMINARY, self.request.GET.get("run"))
        return ctx


class PreliminaryImportView(CapabilityRequired, ElectionContextMixin, TemplateView):
    """POST: the CSV upload of preliminary figures. The request only stores the file (its size
    checked first); a task reads it, all or nothing, and the page shows the outcome row by row."""

    capability = "protocol.preliminary"
    template_name = "protocols/aggregation/preliminary.html"
    http_method_names = ["post"]

    def get_permission_object(self):
        election = self.load_election()
        return sel.election_cec(election) or sel.ElectionWide(election.pk)

    def post(self, request, *args, **kwargs):
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose a CSV file."))
            return redirect("protocols:aggregation_preliminary", slug=self.election.slug)
        try:  # the size is checked before reading; a task reads the file, never the request
            run = file_import_upload(
                election=self.election,
                kind=FileImport.Kind.PRELIMINARY,
                file=upload,
                actor=request.user,
                language=get_language() or "ru",
            )
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, _error_text(exc))
            return redirect("protocols:aggregation_preliminary", slug=self.election.slug)
        url = reverse("protocols:aggregation_preliminary", kwargs={"slug": self.election.slug})
        return redirect(f"{url}?run={run.pk}")


class PreliminaryEntryView(CapabilityRequired, ElectionContextMixin, TemplateView):
    """Hand entry of one precinct's preliminary figures (e.g. read out over the phone on voting
    night); stored as a new record beside the earlier ones, never over them."""

    capability = "protocol.preliminary"
    template_name = "protocols/aggregation/preliminary_entry.html"

    def load_precinct(self):
        if not hasattr(self, "precinct"):
            election = self.load_election()
            self.precinct = get_object_or_404(
                TerritorialUnit,
                election=election,
                kind=TerritorialUnit.Kind.PRECINCT,
                number=self.kwargs["number"],
            )
            self.contest = Contest.objects.filter(election=election, unit_id=self.precinct.parent_id).first()
            if self.contest is None:
                raise Http404
        return self.precinct

    def get_permission_object(self):
        election = self.load_election()
        self.load_precinct()
        return sel.election_cec(election) or sel.ElectionWide(election.pk)

    def has_permission(self):
        return super().has_permission() or preliminary.may_enter_preliminary(
            self.request.user, self.load_precinct()
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            precinct=self.precinct,
            contest=self.contest,
            lines=forms_spec.KG_LINES,
            options=sel.contest_options(self.contest),
            sources=PreliminaryResult.Source.choices,
        )
        return ctx

    def post(self, request, *args, **kwargs):
        def numbers(prefix):
            return {
                k[len(prefix) :]: v.strip()
                for k, v in request.POST.items()
                if k.startswith(prefix) and v.strip()
            }

        try:
            preliminary.preliminary_record(
                contest=self.contest,
                unit=self.precinct,
                figures=numbers("fig_"),
                votes=numbers("vote_"),
                source=request.POST.get("source", "manual"),
                actor=request.user,
            )
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, _error_text(exc))
            return redirect(
                "protocols:aggregation_preliminary_entry",
                slug=self.election.slug,
                number=self.precinct.number,
            )
        messages.success(request, _("The preliminary figures of the precinct are stored."))
        return redirect("protocols:aggregation_preliminary", slug=self.election.slug)


urlpatterns: list = [
    path("aggregation/", AggregationIndexView.as_view(), name="aggregation_index"),
    path("aggregation/build-tables/", SummariesBuildAllView.as_view(), name="aggregation_build_all"),
    path("aggregation/build-results/", ResultsBuildAllView.as_view(), name="aggregation_results_build_all"),
    path("aggregation/districts/<int:number>/", DistrictTableView.as_view(), name="aggregation_district"),
    path("aggregation/districts/<int:number>/build/", SummaryBuildView.as_view(), name="aggregation_build"),
    path(
        "aggregation/districts/<int:number>/explain/",
        SummaryExplainView.as_view(),
        name="aggregation_explain",
    ),
    path(
        "aggregation/protocols/<int:pk>/transmission/",
        TransmissionView.as_view(),
        name="aggregation_transmit",
    ),
    path("aggregation/councils/<int:contest>/", ResultView.as_view(), name="aggregation_result"),
    path(
        "aggregation/councils/<int:contest>/build/",
        ResultBuildView.as_view(),
        name="aggregation_result_build",
    ),
    path("aggregation/preliminary/", PreliminaryView.as_view(), name="aggregation_preliminary"),
    path(
        "aggregation/preliminary/import/",
        PreliminaryImportView.as_view(),
        name="aggregation_preliminary_import",
    ),
    path(
        "aggregation/preliminary/<int:number>/",
        PreliminaryEntryView.as_view(),
        name="aggregation_preliminary_entry",
    ),
]
