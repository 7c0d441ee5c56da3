"""Election funds: the public list with each fund's totals, and one fund — its reports, their rows
and flags — with the financial representative's forms (rows, a CSV import, submission) and the
commission's (decisions on flagged contributions, the conclusion on a report)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from accounts.access import Public
from accounts.models import Role
from accounts.permissions import can, roles_in
from candidates.models import PartyList
from elections.textfiles import TextFileError, check_size, decode
from elections.views import ElectionContextMixin
from elections.views.base import form_errors_from
from groups.models import Commission, CommissionMember
from meetings.selectors import meetings_deciding

from .. import selectors, services
from ..forms import EntryDecisionForm, EntryForm, FundOpenForm, ImportForm, ReviewForm, SubmitForm
from ..models import CampaignFund, FundEntry, FundReport
from ..models.funds import DonorKind
from ..services.funds import rules_for
from .representatives import _error


def _owners(user, election):
    found = selectors.principals_of(user, election)
    return [(f"l{p.pk}", p, _("Party: %(name)s") % {"name": p.party_name}) for p in found["party_lists"]] + [
        (f"a{a.pk}", a, _("Candidate: %(name)s") % {"name": a.full_name}) for a in found["applications"]
    ]


class RulesForm(forms.Form):
    cap_person = forms.DecimalField(
        label=gettext_lazy("Most one citizen may give"),
        required=False,
        min_value=0.01,
        max_digits=14,
        decimal_places=2,
        help_text=gettext_lazy("In all, over the campaign. Empty: no cap."),
    )
    cap_organisation = forms.DecimalField(
        label=gettext_lazy("Most one organisation may give"),
        required=False,
        min_value=0.01,
        max_digits=14,
        decimal_places=2,
        help_text=gettext_lazy("In all, over the campaign. Empty: no cap."),
    )
    forbidden = forms.MultipleChoiceField(
        label=gettext_lazy("Donors the law forbids"),
        required=False,
        choices=DonorKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )


class FundListView(Public, ElectionContextMixin, TemplateView):
    template_name = "campaign/funds.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        rules = rules_for(self.election)
        ctx["rules"] = rules
        ctx["forbidden_labels"] = [DonorKind(k).label for k in rules.forbidden or [] if k in DonorKind.values]
        if can(self.request.user, "fund.rules", self.election):
            ctx.setdefault(
                "rules_form",
                RulesForm(
                    initial={
                        "cap_person": rules.cap_person,
                        "cap_organisation": rules.cap_organisation,
                        "forbidden": rules.forbidden,
                    }
                ),
            )
        ctx["funds"] = selectors.public_funds(self.election)
        ctx["mine"] = list(selectors.funds_owned_by(self.request.user, self.election))
        owners = _owners(self.request.user, self.election)
        if owners:
            ctx.setdefault("open_form", FundOpenForm(owners=owners))
        return ctx

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "rules":
            if not can(request.user, "fund.rules", self.election):
                raise PermissionDenied
            form = RulesForm(request.POST)
            if form.is_valid():
                try:
                    services.fund_rules_save(election=self.election, actor=request.user, **form.cleaned_data)
                except ValidationError as exc:
                    form_errors_from(form, exc)
                else:
                    messages.success(request, _("The rules of election funds are saved."))
                    return redirect("campaign:funds", slug=self.election.slug)
            return self.render_to_response(self.get_context_data(rules_form=form))
        owners = _owners(request.user, self.election)
        if not owners:
            raise PermissionDenied
        form = FundOpenForm(request.POST, owners=owners)
        if form.is_valid():
            owner = form.owners[form.cleaned_data["owner"]]
            try:
                fund = services.fund_open(
                    election=self.election,
                    actor=request.user,
                    bank=form.cleaned_data["bank"],
                    account=form.cleaned_data["account"],
                    opened_on=form.cleaned_data["opened_on"],
                    party_list=owner if isinstance(owner, PartyList) else None,
                    application=None if isinstance(owner, PartyList) else owner,
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, _error(exc))
            else:
                messages.success(request, _("The fund is recorded with its three reports."))
                return redirect("campaign:fund", slug=self.election.slug, pk=fund.pk)
        return self.render_to_response(self.get_context_data(open_form=form))


class FundView(Public, ElectionContextMixin, TemplateView):
    template_name = "campaign/fund.html"

    def fund(self) -> CampaignFund:
        if not hasattr(self, "_fund"):
            self._fund = get_object_or_404(
                CampaignFund.objects.select_related("party_list", "application", "commission"),
                pk=self.kwargs["pk"],
                election=self.election,
            )
        return self._fund

    def reviewer(self) -> bool:
        fund, user = self.fund(), self.request.user
        if not can(user, "fund.review", fund.commission):
            return False
        if user.is_superuser or Role.SECRETARIAT in roles_in(user, self.election):
            return True
        return CommissionMember.objects.filter(
            user=user, is_active=True, commission__in=[fund.commission_id, *self._cec_ids()]
        ).exists()

    def _cec_ids(self):
        return list(
            Commission.objects.filter(election=self.election, kind=Commission.Kind.CEC).values_list(
                "pk", flat=True
            )
        )

    def decider(self) -> bool:
        """Decides on flagged contributions: the fund's territorial commission (or the secretariat)."""
        fund, user = self.fund(), self.request.user
        if not can(user, "fund.review", fund.commission):
            return False
        if user.is_superuser or Role.SECRETARIAT in roles_in(user, self.election):
            return True
        return CommissionMember.objects.filter(commission=fund.commission, user=user, is_active=True).exists()

    def _members(self):
        return list(
            CommissionMember.objects.filter(commission=self.fund().commission, is_active=True)
            .select_related("user")
            .order_by("position", "user__full_name")
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        fund = self.fund()
        reporter = selectors.may_report(self.request.user, fund)
        reviewer = self.reviewer()
        decider = self.decider()
        reports = []
        for row in selectors.report_rows(fund):
            report = row.report
            visible = report.status != FundReport.Status.DRAFT or reporter or reviewer
            entries = list(report.entries.select_related("decision")) if visible else []
            item = {"row": row, "entries": entries, "visible": visible}
            if reporter and report.status == FundReport.Status.DRAFT:
                item["entry_form"] = kwargs.get(f"entry_form_{report.pk}") or EntryForm(
                    prefix=f"r{report.pk}"
                )
                item["import_form"] = kwargs.get(f"import_form_{report.pk}") or ImportForm(
                    prefix=f"i{report.pk}"
                )
                item["submit_form"] = kwargs.get(f"submit_form_{report.pk}") or SubmitForm(
                    prefix=f"s{report.pk}"
                )
            if decider and report.status == FundReport.Status.SUBMITTED:
                item["decision_forms"] = {
                    e.pk: kwargs.get(f"decision_form_{e.pk}")
                    or EntryDecisionForm(
                        prefix=f"e{e.pk}",
                        members=self._members(),
                        meetings=meetings_deciding(fund.commission),
                    )
                    for e in entries
                    if e.verdict == FundEntry.Verdict.PENDING
                }
            if reviewer and report.status == FundReport.Status.SUBMITTED and not row.pending:
                item["review_form"] = kwargs.get(f"review_form_{report.pk}") or ReviewForm(
                    prefix=f"v{report.pk}"
                )
            reports.append(item)
        ctx.update(fund=fund, reports=reports, reporter=reporter, reviewer=reviewer)
        return ctx

    def post(self, request, *args, **kwargs):
        fund = self.fund()
        action = request.POST.get("action", "")
        report = get_object_or_404(FundReport, pk=request.POST.get("report"), fund=fund)
        done, key, form = None, "", None
        try:
            if action in ("entry", "import", "submit"):
                if not selectors.may_report(request.user, fund):
                    raise PermissionDenied
                if action == "entry":
                    key, form = f"entry_form_{report.pk}", EntryForm(request.POST, prefix=f"r{report.pk}")
                    if form.is_valid():
                        entry = services.fund_entry_add(
                            report=report, actor=request.user, row=form.cleaned_data
                        )
                        done = (
                            _("The row is added; it breaks the rules: %(flags)s.")
                            % {"flags": "; ".join(entry.flag_texts)}
                            if entry.flags
                            else _("The row is added.")
                        )
                elif action == "import":
                    key, form = (
                        f"import_form_{report.pk}",
                        ImportForm(request.POST, request.FILES, prefix=f"i{report.pk}"),
                    )
                    if form.is_valid():
                        upload = form.cleaned_data["file"]
                        try:
                            check_size(upload.size, 2 * 1024 * 1024)
                            text = decode(upload.read()).text
                        except TextFileError as exc:
                            raise ValidationError(exc.message()) from None
                        entries = services.fund_entries_import(
                            report=report, actor=request.user, content=text
                        )
                        done = _("%(count)s rows are added.") % {"count": len(entries)}
                else:
                    key, form = f"submit_form_{report.pk}", SubmitForm(request.POST, prefix=f"s{report.pk}")
                    if form.is_valid():
                        services.fund_report_submit(report=report, actor=request.user)
                        done = _("The report is submitted to the commission.")
            elif action in ("decide", "review"):
                if not (self.decider() if action == "decide" else self.reviewer()):
                    raise PermissionDenied
                if action == "decide":
                    entry = get_object_or_404(FundEntry, pk=request.POST.get("entry"), report=report)
                    key = f"decision_form_{entry.pk}"
                    form = EntryDecisionForm(
                        request.POST,
                        prefix=f"e{entry.pk}",
                        members=self._members(),
                        meetings=meetings_deciding(fund.commission),
                    )
                    if form.is_valid():
                        decision = services.fund_entry_decide(
                            entry=entry,
                            actor=request.user,
                            verdict=form.cleaned_data["verdict"],
                            reasons=form.cleaned_data["reasons"],
                            votes=form.votes(),
                            decided_at=form.cleaned_data.get("decided_at"),
                        )
                        done = (
                            _("Decision № %(number)s is recorded.") % {"number": decision.number}
                            if decision.is_adopted
                            else _("The decision was not adopted: nothing changed.")
                        )
                else:
                    key, form = f"review_form_{report.pk}", ReviewForm(request.POST, prefix=f"v{report.pk}")
                    if form.is_valid():
                        services.fund_report_review(
                            report=report, actor=request.user, note=form.cleaned_data["note"]
                        )
                        done = _("The commission's conclusion is recorded.")
            else:
                raise Http404
        except ValidationError as exc:
            if form is None:
                raise
            form_errors_from(form, exc)
        except PermissionDenied as exc:
            if form is None:
                raise
            form.add_error(None, _error(exc))
        if done:
            messages.success(request, done)
            return redirect("campaign:fund", slug=self.election.slug, pk=fund.pk)
        return self.render_to_response(self.get_context_data(**{key: form}))
