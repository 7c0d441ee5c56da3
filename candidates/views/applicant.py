"""Applying and withdrawing: the application form (inside the calendar window), the user's own
applications, withdrawal, the registration certificate; party lists of a party's representative."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.access import CapabilityRequired, LoginRequired
from accounts.permissions import can
from elections.views.base import ObjectLookupMixin
from groups.models import TerritorialUnit

from .. import deadlines, selectors, services
from ..contests import Contest, contests_of
from ..forms import ApplicationForm, PartyListForm, WithdrawForm
from ..models import Application
from ..pdf import certificate_pdf
from .base import ApplicationObjectMixin, CandidatesView, OwnOrPrivateRequired, form_errors_from
from .public import nomination_windows

N = Application.Nomination


class ApplyView(LoginRequired, CandidatesView):
    """The application form. A person applies for themself; the organising-committee member of a
    group nominates for that group; a party's representative adds candidates to its lists."""

    template_name = "candidates/apply.html"

    def setup_form_context(self):
        user, election = self.request.user, self.election
        self.settings = selectors.settings_for(election)
        self.contests = contests_of(election)
        self.party_lists = [p for p in selectors.party_lists_for(user, election) if p.withdrawn_at is None]
        self.can_nominate = any(can(user, "candidate.submit", c) for c in self.contests)
        nominations = []
        if self.settings.allow_self:
            nominations.append(N.SELF)
        if self.settings.allow_organisation and self.can_nominate:
            nominations.append(N.ORGANISATION)
        if self.settings.allow_party_list and self.party_lists:
            nominations.append(N.PARTY_LIST)
        self.nominations = nominations

    def make_form(self, data=None, files=None):
        initial = {}
        if self.request.GET.get("party_list", "").isdigit():
            initial.update(party_list=int(self.request.GET["party_list"]), nomination=N.PARTY_LIST)
        if self.request.GET.get("contest"):
            initial["contest"] = self.request.GET["contest"]
        speaks_for_others = self.can_nominate or bool(self.party_lists)
        return ApplicationForm(
            data,
            files,
            initial=initial,
            settings=self.settings,
            contests=self.contests,
            nominations=self.nominations,
            party_lists=self.party_lists,
            person=None if speaks_for_others else self.request.user,
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["settings"] = self.settings
        ctx["windows"] = nomination_windows(self.election, self.settings)
        # the form only while the service would accept it: otherwise the windows above say why
        ctx["open_nominations"] = selectors.open_nominations(self.election, self.settings, self.nominations)
        ctx["consent_text"] = services.consent_text(self.election, _("[the candidate's name]"))
        return ctx

    def get(self, request, *args, **kwargs):
        self.setup_form_context()
        return self.render_to_response(self.get_context_data(form=self.make_form()))

    def post(self, request, *args, **kwargs):
        self.setup_form_context()
        form = self.make_form(request.POST, request.FILES)
        if form.is_valid():
            data = dict(form.cleaned_data)
            nomination = data.pop("nomination")
            contest_key = data.pop("contest", "")
            party_list_id = data.pop("party_list", None)
            data.pop("consent")
            arguments = {"group": None, "unit": None, "party_list": None}
            if nomination == N.PARTY_LIST:
                lists = {p.pk: p for p in self.party_lists}
                arguments["party_list"] = lists.get(party_list_id)
            else:
                contest = Contest.parse(self.election, contest_key)
                arguments.update(group=contest.group, unit=contest.unit)
                data.pop("list_position", None)
            try:
                application = services.application_submit(
                    election=self.election,
                    actor=request.user,
                    nomination=nomination,
                    consent=True,
                    language=get_language()[:2],
                    **arguments,
                    **data,
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                text = _("The application of %(name)s is received; a receipt goes to %(email)s.") % {
                    "name": application.full_name,
                    "email": application.email,
                }
                if application.decision_due_at:
                    due = formats.date_format(
                        application.decision_due_at.astimezone(self.election.tz), "DATETIME_FORMAT"
                    )
                    text += " " + _("The commission decides by %(due)s.") % {"due": due}
                messages.success(request, text)
                return redirect("candidates:mine", slug=self.election.slug)
        return self.render_to_response(self.get_context_data(form=form))


class MyApplicationsView(LoginRequired, CandidatesView):
    """The user's applications (own, submitted by them, on their party lists) with the status,
    the decision and the withdrawal form."""

    template_name = "candidates/mine.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        settings = selectors.settings_for(self.election)
        ctx["applications"] = applications = list(selectors.my_applications(self.request.user, self.election))
        user = self.request.user
        for a in applications:  # the checks of application_withdraw, so no refused button
            a.may_withdraw_now = selectors.may_withdraw_now(user, a, settings)
            # the signed form and the certificate: the check of OwnOrPrivateRequired
            a.may_open_files = selectors.is_own(user, a) or selectors.may_view_private(user, a)
        ctx["withdrawal"] = withdrawal = deadlines.withdrawal_deadline(self.election, settings)
        ctx["withdrawal_passed"] = withdrawal.has_passed(timezone.now())
        ctx["withdraw_form"] = WithdrawForm()
        return ctx


class WithdrawView(LoginRequired, ApplicationObjectMixin, CandidatesView):
    """Withdraw an application (the candidate, or the party for a candidate of its list, or the
    secretariat recording a written statement)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        application = self.get_permission_object()
        if not selectors.may_withdraw(request.user, application):
            raise PermissionDenied
        form = WithdrawForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Confirm the withdrawal."))
        else:
            try:
                services.application_withdraw(
                    application=application, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("The application is withdrawn."))
        return redirect("candidates:mine", slug=self.election.slug)


class CertificateView(OwnOrPrivateRequired, CapabilityRequired, ApplicationObjectMixin, CandidatesView):
    """The registration certificate (PDF) of a registered candidate: for the candidate, the
    secretariat, the commission and the group's organising-committee member."""

    def get(self, request, *args, **kwargs):
        application = self.application
        if application.status != Application.Status.ADMITTED:
            raise Http404
        response = HttpResponse(certificate_pdf(application), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="certificate-{application.pk}.pdf"'
        return response


# --- party lists ----------------------------------------------------------------------------


class PartyListsView(CapabilityRequired, CandidatesView):
    """A party's lists (the secretariat sees all) and the form to open a list for a district."""

    capability = "candidate.party_list"
    template_name = "candidates/party_lists.html"

    def districts(self):
        return TerritorialUnit.objects.filter(
            election=self.election, kind=TerritorialUnit.Kind.DISTRICT
        ).order_by("number")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["party_lists"] = selectors.party_lists_for(self.request.user, self.election)
        ctx.setdefault("form", PartyListForm(districts=self.districts()))
        return ctx

    def post(self, request, *args, **kwargs):
        form = PartyListForm(request.POST, districts=self.districts())
        if form.is_valid():
            unit = self.districts().get(pk=form.cleaned_data["unit"])
            try:
                party_list = services.party_list_create(
                    election=self.election,
                    unit=unit,
                    party_name=form.cleaned_data["party_name"],
                    actor=request.user,
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The list is opened; add its candidates in their order."))
                return redirect("candidates:party_list", slug=self.election.slug, pk=party_list.pk)
        return self.render_to_response(self.get_context_data(form=form))


class PartyListObjectMixin(ObjectLookupMixin):
    """A party list of the election: the secretariat, or the party's own representative."""

    object_name = "party_list"

    def lookup(self, election):
        return selectors.party_list_for(election, self.kwargs["pk"])

    def has_permission(self):
        return super().has_permission() and selectors.may_keep_list(self.request.user, self.party_list)


class PartyListView(PartyListObjectMixin, CapabilityRequired, CandidatesView):
    capability = "candidate.party_list"
    template_name = "candidates/party_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        settings = selectors.settings_for(self.election)
        ctx["party_list"] = self.party_list
        ctx["candidates"] = self.party_list.candidates.select_related("decision").order_by(
            "list_position", "received_at"
        )
        ctx["withdraw_form"] = WithdrawForm()
        ctx["window"] = deadlines.application_window(self.election, settings, N.PARTY_LIST)
        ctx["withdrawal"] = deadlines.withdrawal_deadline(self.election, settings)
        # offered only when the services would accept them now
        ctx["may_add"] = bool(selectors.open_nominations(self.election, settings, [N.PARTY_LIST]))
        ctx["may_recall"] = selectors.may_recall_list_now(self.request.user, self.party_list, settings)
        return ctx


class PartyListWithdrawView(PartyListObjectMixin, CapabilityRequired, CandidatesView):
    """The party recalls its whole list."""

    capability = "candidate.party_list"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = WithdrawForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Confirm the withdrawal."))
        else:
            try:
                services.party_list_withdraw(
                    party_list=self.party_list, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("The list is recalled; its candidates are withdrawn."))
        return redirect("candidates:party_list", slug=self.election.slug, pk=self.party_list.pk)
