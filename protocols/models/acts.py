"""Acts of hand-over between commissions (seed 003 items 14, 51, 55): what one commission hands
to another, signed by both sides.

* ``precinct_protocol`` — a PEC hands the first copy of its signed protocol, with the election
  documentation (complaints and the decisions on them, dissenting opinions, the counts of unused
  and cancelled ballots), to its TEC (item 51);
* ``territorial_protocol`` — a TEC hands the first copy of its protocol with the summary table to
  the CEC (item 55);
* ``voter_lists`` — the CEC or a TEC hands a precinct's paper voter list, numbered, bound and
  sealed, to its PEC (item 14);
* ``ballots`` — the CEC hands the ballots produced for a district's precincts to its TEC (item
  42), a TEC hands a precinct's ballots to its PEC (item 43): per contest and precinct the count
  and, when ballots are numbered, the serial range (``contents["rows"]``).

The handing side signs when it draws the act up; the receiving side signs on receipt or refuses
with a reason (a new act is then drawn up). What was handed is kept in ``contents`` as it was
signed. A protocol's transmission status follows: its receipt marks it received by the higher
commission."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .protocol import Complaint


class HandoverAct(models.Model):
    class Kind(models.TextChoices):
        PRECINCT_PROTOCOL = "precinct_protocol", _("Precinct protocol handed to the territorial commission")
        TERRITORIAL_PROTOCOL = (
            "territorial_protocol",
            _("Territorial commission's protocol and summary table handed to the central commission"),
        )
        VOTER_LISTS = "voter_lists", _("Paper voter list handed to the precinct commission")
        BALLOTS = "ballots", _("Ballot papers handed to the commission below")

    class Status(models.TextChoices):
        HANDED = "handed", _("Handed over, awaiting receipt")
        RECEIVED = "received", pgettext_lazy("act of hand-over", "Received")
        REFUSED = "refused", _("Receipt refused")

    election = models.ForeignKey(
        "elections.Election",
        on_delete=models.CASCADE,
        related_name="handover_acts",
        verbose_name=_("election"),
    )
    number = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("kind of act"), max_length=24, choices=Kind.choices)
    from_commission = models.ForeignKey(
        "groups.Commission",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("handed by the commission"),
    )
    to_commission = models.ForeignKey(
        "groups.Commission",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("received by the commission"),
    )
    protocol = models.ForeignKey(
        "protocols.Protocol",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handover_acts",
        verbose_name=_("protocol handed over"),
    )
    unit = models.ForeignKey(
        "groups.TerritorialUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("precinct"),
    )
    #: what was handed, as signed: {"items": [...], "complaints": [...], "figures": {...}, ...}
    contents = models.JSONField(_("what was handed over"), default=dict)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.HANDED)
    handed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    handed_by_name = models.CharField(_("handed over by"), max_length=300)
    handed_by_position = models.CharField(_("position"), max_length=16, blank=True)
    handed_at = models.DateTimeField(_("handed over at"), default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    received_by_name = models.CharField(_("received by"), max_length=300, blank=True)
    received_by_position = models.CharField(_("position"), max_length=16, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    refusal_reason = models.TextField(_("why the receipt was refused"), blank=True)

    class Meta:
        verbose_name = _("act of hand-over")
        verbose_name_plural = _("acts of hand-over")
        ordering = ["election", "number"]
        constraints = [
            models.UniqueConstraint(fields=["election", "number"], name="one_act_number_per_election"),
            models.UniqueConstraint(
                fields=["protocol"],
                condition=Q(protocol__isnull=False) & ~Q(status="refused"),
                name="one_standing_act_per_protocol_version",
            ),
            models.UniqueConstraint(
                fields=["unit", "kind"],
                condition=Q(kind="voter_lists") & ~Q(status="refused"),
                name="one_standing_voter_list_act_per_precinct",
            ),
        ]

    def __str__(self):
        return f"№ {self.number} — {self.get_kind_display()}"

    def permission_scope(self):
        return self.to_commission.permission_scope()

    @property
    def is_standing(self) -> bool:
        return self.status != self.Status.REFUSED

    @property
    def complaint_rows(self) -> list[tuple[int, str]]:
        """The complaints handed over, as (number, the decision in the reader's language)."""
        labels = dict(Complaint.Status.choices)
        return [
            (c["number"], labels.get(c["status"], c["status"])) for c in self.contents.get("complaints", [])
        ]
