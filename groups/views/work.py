"""The commissions' training plan and the election's budget (seed 003 items 7, 35, 37)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from accounts.access import CapabilityRequired
from elections.views import ElectionContextMixin
from elections.views.base import form_errors_from

from .. import work_selectors as sel
from ..models import Article, Commission, CommissionMember, TrainingSession
from ..services import work as services

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SessionForm(forms.Form):
    topic = forms.CharField(label=gettext_lazy("Topic"), max_length=300)
    starts_at = forms.DateTimeField(label=gettext_lazy("Starts at"), widget=DATETIME)
    trainer = forms.CharField(label=gettext_lazy("Trainer"), max_length=300)
    place = forms.CharField(label=gettext_lazy("Place"), max_length=300)
    commissions = forms.MultipleChoiceField(
        label=gettext_lazy("Commissions invited"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, commissions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.commission_map = {str(c.pk): c for c in commissions}
        self.fields["commissions"].choices = [(str(c.pk), c.name) for c in commissions]


def _error(exc) -> str:
    return (
        " ".join(exc.messages)
        if isinstance(exc, ValidationError)
        else (str(exc) or _("Your role may not do this."))
    )


class TrainingView(CapabilityRequired, ElectionContextMixin, TemplateView):
    capability = "training.view"
    template_name = "groups/training.html"

    def manage(self) -> bool:
        return (
            services.is_cec_or_secretariat(self.request.user, self.election)
            and self.request.user.is_authenticated
        )

    def _commissions(self):
        return list(
            Commission.objects.filter(
                election=self.election, kind__in=(Commission.Kind.TEC, Commission.Kind.PEC)
            )
            .select_related("unit")
            .order_by("kind", "unit__number")
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            sessions=sel.sessions(self.election),
            by_commission=sel.training_by_commission(self.election),
            activity=services.activity(self.election, "training"),
            manage=self.manage(),
        )
        if ctx["manage"]:
            ctx.setdefault("form", SessionForm(commissions=self._commissions()))
            ctx["attendance"] = {
                s.pk: list(
                    s.attendance.select_related("member__user", "member__commission").order_by(
                        "member__commission__name_ru"
                    )
                )
                for s in ctx["sessions"]
            }
        return ctx

    def post(self, request, *args, **kwargs):
        if not self.manage():
            raise PermissionDenied
        if request.POST.get("action") == "attendance":
            session = get_object_or_404(
                TrainingSession, pk=request.POST.get("session"), election=self.election
            )
            try:
                services.training_attendance_record(
                    session=session, actor=request.user, attended_ids=request.POST.getlist("attended")
                )
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, _error(exc))
            else:
                messages.success(request, _("The attendance is recorded."))
            return redirect("groups:training", slug=self.election.slug)
        form = SessionForm(request.POST, commissions=self._commissions())
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.training_schedule(
                    election=self.election,
                    actor=request.user,
                    topic=d["topic"],
                    starts_at=d["starts_at"],
                    trainer=d["trainer"],
                    place=d["place"],
                    commissions=[form.commission_map[k] for k in d["commissions"]],
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, _error(exc))
            else:
                messages.success(request, _("The session is scheduled; the members are invited."))
                return redirect("groups:training", slug=self.election.slug)
        return self.render_to_response(self.get_context_data(form=form))


class LineForm(forms.Form):
    commission = forms.TypedChoiceField(label=gettext_lazy("Commission"), coerce=int)
    article = forms.ChoiceField(label=gettext_lazy("Article"), choices=Article.choices)
    planned = forms.DecimalField(label=gettext_lazy("Planned"), min_value=0, max_digits=14, decimal_places=2)

    def __init__(self, *args, commissions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.commission_map = {c.pk: c for c in commissions}
        self.fields["commission"].choices = [(c.pk, c.name) for c in commissions]


class SpendingForm(LineForm):
    planned = None
    on_date = forms.DateField(label=gettext_lazy("Date"), widget=DATE)
    amount = forms.DecimalField(label=gettext_lazy("Amount"), min_value=0.01, max_digits=14, decimal_places=2)
    description = forms.CharField(label=gettext_lazy("What was paid for"), max_length=300)
    document_ref = forms.CharField(
        label=gettext_lazy("Payment document"),
        max_length=120,
        help_text=gettext_lazy("Its number and date, e.g. payment order № 15 of 02.12.2016."),
    )
    document = forms.FileField(label=gettext_lazy("Scan of the document"), required=False)


class BudgetView(CapabilityRequired, ElectionContextMixin, TemplateView):
    capability = "budget.view"
    template_name = "groups/budget.html"

    def manage(self) -> bool:
        return services.is_cec_or_secretariat(self.request.user, self.election)

    def spending_commissions(self):
        commissions = Commission.objects.filter(election=self.election, budget_lines__isnull=False).distinct()
        if self.manage():
            return list(commissions)
        mine = CommissionMember.objects.filter(user=self.request.user, is_active=True).values("commission")
        return list(commissions.filter(pk__in=mine))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["report"] = sel.budget_report(self.election)
        if self.manage():
            commissions = list(
                Commission.objects.filter(election=self.election)
                .exclude(kind__in=("org_committee", "custom"))
                .order_by("kind", "name_ru")
            )
            ctx.setdefault("line_form", LineForm(commissions=commissions, prefix="line"))
            ctx["may_approve"] = True
        spenders = self.spending_commissions()
        if spenders:
            ctx.setdefault("spending_form", SpendingForm(commissions=spenders, prefix="spend"))
        return ctx

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        slug = self.election.slug
        if not self.manage() and not self.spending_commissions():
            raise PermissionDenied
        if action not in ("approve", "line", "spend"):
            return redirect("groups:budget", slug=slug)
        if action == "approve":
            if not request.POST.get("confirm"):
                messages.error(request, _("Confirm that the central commission has approved the estimate."))
                return redirect("groups:budget", slug=slug)
            try:
                services.budget_estimate_approve(election=self.election, actor=request.user)
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, _error(exc))
            else:
                messages.success(request, _("The estimate is approved."))
            return redirect("groups:budget", slug=slug)
        if action == "line":
            if not self.manage():
                raise PermissionDenied
            commissions = list(Commission.objects.filter(election=self.election))
            form, key = LineForm(request.POST, commissions=commissions, prefix="line"), "line_form"
        else:
            spenders = self.spending_commissions()
            if not spenders:
                raise PermissionDenied
            form, key = (
                SpendingForm(request.POST, request.FILES, commissions=spenders, prefix="spend"),
                "spending_form",
            )
        if form.is_valid():
            d = form.cleaned_data
            try:
                commission = form.commission_map[d["commission"]]
                if action == "line":
                    services.budget_line_save(
                        election=self.election,
                        actor=request.user,
                        commission=commission,
                        article=d["article"],
                        planned=d["planned"],
                    )
                    messages.success(request, _("The line of the estimate is saved."))
                else:
                    services.spending_record(
                        commission=commission,
                        actor=request.user,
                        article=d["article"],
                        on_date=d["on_date"],
                        amount=d["amount"],
                        description=d["description"],
                        document_ref=d["document_ref"],
                        document=d.get("document"),
                    )
                    messages.success(request, _("The spending is recorded."))
            except ValidationError as exc:
                form_errors_from(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, _error(exc))
            else:
                return redirect("groups:budget", slug=slug)
        return self.render_to_response(self.get_context_data(**{key: form}))
