"""Ballot papers between commissions: who holds how many (the CEC, the TECs, the PECs) with every
difference named, and the form with which a CEC or TEC member hands ballots down by act."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from accounts.access import CapabilityRequired
from accounts.permissions import can
from elections.models import Election
from elections.views import ElectionContextMixin
from groups.models import Commission
from polling.models import PrintRun, PrintRunRow

from .. import ballot_stock
from ..models import HandoverAct
from ..services.ballot_acts import ballots_hand_over
from .acts import PASSWORD
from .protocol import _error_text


def handing_commissions(user, election) -> list[Commission]:
    """The user's CEC or TEC seats from which ballots may be handed down."""
    mine = Commission.objects.filter(
        election=election,
        kind__in=(Commission.Kind.CEC, Commission.Kind.TEC),
        members__user=user,
        members__is_active=True,
    ).distinct()
    return [c for c in mine if can(user, "act.sign", c)]


class BallotStockView(CapabilityRequired, ElectionContextMixin, TemplateView):
    capability = "act.view"
    template_name = "protocols/acts/ballot_stock.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["stock"] = ballot_stock.stock(self.election)
        before_voting = self.election.state in (Election.State.ANNOUNCED, Election.State.REGISTRATION)
        ctx["handing"] = (
            [
                (c, list(Commission.objects.filter(parent=c).select_related("unit").order_by("unit__number")))
                for c in handing_commissions(self.request.user, self.election)
            ]
            if before_voting
            else []
        )
        return ctx


class HandOverForm(forms.Form):
    password = PASSWORD
    confirm = forms.BooleanField(
        label=gettext_lazy("I have counted the ballots handed over, as the act lists them."),
        error_messages={"required": gettext_lazy("Confirm that you have counted the ballots.")},
    )

    def __init__(self, *args, rows=(), numbered=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.row_fields = []
        for row, handed in rows:
            key = f"{row.contest_id}_{row.unit_id}"
            left = max(row.total - handed, 0)
            label = f"{row.contest.title} · № {row.unit.number} — {row.unit.name}"
            self.fields[f"count_{key}"] = forms.IntegerField(
                label=label,
                min_value=0,
                initial=left,
                required=False,
                help_text=_("Planned %(total)s, handed already %(handed)s.")
                % {"total": row.total, "handed": handed},
                error_messages={
                    "min_value": _("Numbers cannot be negative."),
                    "invalid": _("Enter a whole number."),
                },
            )
            names = [f"count_{key}"]
            if numbered:
                for part, value in (("from", row.serial_from), ("to", row.serial_to)):
                    self.fields[f"{part}_{key}"] = forms.IntegerField(
                        label=_("first number") if part == "from" else _("last number"),
                        min_value=1,
                        required=False,
                        initial=value if not handed else None,
                    )
                    names.append(f"{part}_{key}")
            self.row_fields.append((row, names))
        self.order_fields([n for _r, names in self.row_fields for n in names] + ["password", "confirm"])

    def rows(self) -> list[dict]:
        out = []
        for row, names in self.row_fields:
            count = self.cleaned_data.get(names[0])
            if not count:
                continue
            item = {"contest": row.contest, "unit": row.unit, "count": count}
            if len(names) == 3:
                item["serial_from"] = self.cleaned_data.get(names[1])
                item["serial_to"] = self.cleaned_data.get(names[2])
            out.append(item)
        return out


class BallotHandOverView(CapabilityRequired, ElectionContextMixin, TemplateView):
    """A CEC or TEC member hands ballots to a commission below and signs the act."""

    capability = "act.view"
    template_name = "protocols/acts/ballot_hand_over.html"

    def setup_pair(self):
        election = self.election
        self.receiver = get_object_or_404(
            Commission.objects.select_related("parent", "unit"),
            pk=self.kwargs["to"],
            election=election,
            kind__in=(Commission.Kind.TEC, Commission.Kind.PEC),
        )
        sender = self.receiver.parent
        if sender is None or sender not in handing_commissions(self.request.user, election):
            raise PermissionDenied
        self.sender = sender
        self.run = PrintRun.objects.filter(election=election, status=PrintRun.Status.PRODUCED).first()

    def _rows(self):
        if self.run is None:
            return []
        area = (
            [self.receiver.unit_id]
            if self.receiver.kind == Commission.Kind.PEC
            else list(self.receiver.unit.children.values_list("pk", flat=True))
            if self.receiver.unit_id
            else []
        )
        handed: dict[tuple[int, int], int] = {}
        for act in HandoverAct.objects.filter(
            election=self.election, kind=HandoverAct.Kind.BALLOTS, to_commission=self.receiver
        ).exclude(status=HandoverAct.Status.REFUSED):
            for r in act.contents.get("rows", []):
                key = (r["contest_id"], r["unit_id"])
                handed[key] = handed.get(key, 0) + int(r["count"])
        rows = PrintRunRow.objects.filter(run=self.run, unit_id__in=area).select_related("contest", "unit")
        return [
            (r, handed.get((r.contest_id, r.unit_id), 0)) for r in rows.order_by("contest_id", "unit__number")
        ]

    def form(self, data=None):
        return HandOverForm(data, rows=self._rows(), numbered=bool(self.run and self.run.numbered))

    def get(self, request, *args, **kwargs):
        self.setup_pair()
        return self.render_to_response(self.get_context_data(form=self.form()))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(sender=self.sender, receiver=self.receiver, run=self.run)
        return ctx

    def post(self, request, *args, **kwargs):
        self.setup_pair()
        form = self.form(request.POST)
        if form.is_valid():
            try:
                act = ballots_hand_over(
                    from_commission=self.sender,
                    to_commission=self.receiver,
                    rows=form.rows(),
                    actor=request.user,
                    password=form.cleaned_data["password"],
                )
            except (PermissionDenied, ValidationError) as exc:
                form.add_error(None, _error_text(exc))
            else:
                messages.success(
                    request,
                    _("Act № %(number)s is drawn up and signed by your side; %(to)s signs the receipt.")
                    % {"number": act.number, "to": act.to_commission.name},
                )
                return redirect("protocols:act", slug=self.election.slug, pk=act.pk)
        return self.render_to_response(self.get_context_data(form=form))


urlpatterns = [
    path("acts/ballots/", BallotStockView.as_view(), name="ballot_stock"),
    path("acts/ballots/hand-over/<int:to>/", BallotHandOverView.as_view(), name="ballot_hand_over"),
]
