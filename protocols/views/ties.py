"""The commission records its decision on a tie (issue 15): the page shows the tie, the contest's
rule and the members present; the form takes the order decided and the record of the session."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from accounts.access import CapabilityRequired
from accounts.permissions import can
from elections.views import ElectionContextMixin
from meetings.selectors import meetings_deciding

from .. import selectors, ties
from ..models import Protocol, TieDecision
from ..services.ties import tie_decision_record
from .protocol import _error_text


class TieDecisionForm(forms.Form):
    method = forms.ChoiceField(
        label=gettext_lazy("How the commission decided"),
        choices=TieDecision.Method.choices,
        widget=forms.RadioSelect,
    )
    held_at = forms.DateTimeField(
        label=gettext_lazy("Date and time of the session"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
    )
    conducted_by = forms.CharField(
        label=gettext_lazy("Who drew the lot (or chaired the vote)"),
        max_length=300,
        help_text=gettext_lazy("Full name and role, e.g. “A. Ivanova, chair of the commission”."),
    )
    present = forms.CharField(
        label=gettext_lazy("Members and observers present"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Everybody who saw the lot drawn or took part in the vote."),
    )
    details = forms.CharField(
        label=gettext_lazy("What was drawn, or how the members voted"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "e.g. “two sealed envelopes; the chair drew the one with the name of B.” or "
            "“new vote: 4 for B, 2 for A, 1 abstained”."
        ),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I confirm that this is the decision the commission took in its session. It is recorded "
            "for good, printed on the protocol and cannot be changed afterwards."
        ),
    )

    meeting = forms.TypedChoiceField(
        label=gettext_lazy("Taken at the meeting"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=gettext_lazy(
            "A held session of the commission: the decision becomes its numbered decision in the minutes."
        ),
    )

    def __init__(self, *args, candidates=(), meetings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.meetings = {m.pk: m for m in meetings}
        if meetings:
            self.fields["meeting"].choices = [("", gettext_lazy("Not at a meeting"))] + [
                (m.pk, f"{m.title}, {m.starts_at:%d.%m.%Y}") for m in meetings
            ]
            self.fields["meeting"].error_messages["invalid_choice"] = gettext_lazy(
                "Choose a held meeting of this commission."
            )
        else:
            del self.fields["meeting"]
        n = len(candidates)
        self.place_fields = []
        for i, (name, label) in enumerate(candidates):
            field = forms.TypedChoiceField(
                label=label,
                coerce=int,
                choices=[("", "—")] + [(k, str(k)) for k in range(1, n + 1)],
            )
            self.fields[f"place_{i}"] = field
            self.place_fields.append((f"place_{i}", name))

    def order(self) -> list[str] | None:
        places = {name: self.cleaned_data[field] for field, name in self.place_fields}
        if sorted(places.values()) != list(range(1, len(places) + 1)):
            return None
        return sorted(places, key=places.get)

    def clean(self):
        data = super().clean()
        if self.place_fields and all(f in data for f, _n in self.place_fields) and self.order() is None:
            raise ValidationError(
                _("Give each candidate a different place: 1 for the one the decision favours, and so on.")
            )
        return data


class TieDecisionView(CapabilityRequired, ElectionContextMixin, TemplateView):
    """The tie that stops a protocol's count and the form to record the commission's decision."""

    capability = "protocol.prepare"
    template_name = "protocols/tie_decision.html"

    def dispatch(self, request, *args, **kwargs):
        self.request, self.kwargs = request, kwargs
        self.load_election()
        self.protocol = get_object_or_404(
            Protocol.objects.select_related("contest", "commission"), pk=kwargs["pk"], election=self.election
        )
        return super().dispatch(request, *args, **kwargs)

    def has_permission(self):
        return can(self.request.user, "protocol.prepare", self.protocol)

    def _candidates(self):
        tie = (self.protocol.outcome or {}).get("unresolved_tie") or {}
        labels = {o.label_ru: o.label for o in self.protocol.contest.options.all()}
        return [(name, labels.get(name, name)) for name in tie.get("candidates", [])]

    def _form(self, data=None):
        present = ", ".join(
            f"{m.user.full_name} ({m.get_position_display()})"
            for m in self.protocol.present_members.select_related("user")
        )
        initial = {"held_at": timezone.localtime().replace(second=0, microsecond=0), "present": present}
        return TieDecisionForm(
            data,
            candidates=self._candidates(),
            meetings=meetings_deciding(self.protocol.commission),
            initial=initial,
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        p = self.protocol
        open_tie = ties.has_unresolved_tie(p) and p.status == Protocol.Status.DRAFT
        rows = ties.tie_rows(p)
        ctx.update(
            protocol=p,
            open_tie=open_tie,
            tie=next((r for r in rows if not r["resolved"]), None),
            rule=ties.rule_text(p.contest),
            options=selectors.option_rows(p),
        )
        if open_tie:
            ctx.setdefault("form", self._form())
        return ctx

    def post(self, request, *args, **kwargs):
        form = self._form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            tie_decision_record(
                protocol=self.protocol,
                actor=request.user,
                order=form.order(),
                method=form.cleaned_data["method"],
                held_at=form.cleaned_data["held_at"],
                conducted_by=form.cleaned_data["conducted_by"],
                present=form.cleaned_data["present"],
                details=form.cleaned_data["details"],
                meeting=form.meetings.get(form.cleaned_data.get("meeting")),
            )
        except (PermissionDenied, ValidationError) as exc:
            form.add_error(None, _error_text(exc))
            return self.render_to_response(self.get_context_data(form=form))
        self.protocol.refresh_from_db()
        if ties.has_unresolved_tie(self.protocol):
            messages.warning(
                request,
                _("The decision is recorded. The count met another tie that the commission must decide."),
            )
            return redirect("protocols:tie", slug=self.election.slug, pk=self.protocol.pk)
        messages.success(request, _("The decision is recorded and the count repeated with it."))
        return redirect("protocols:detail", slug=self.election.slug, pk=self.protocol.pk)


urlpatterns = [
    path("protocols/<int:pk>/tie/", TieDecisionView.as_view(), name="tie"),
]
