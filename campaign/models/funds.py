"""Election funds of candidates and parties (seed 003 items 36, 38).

* ``FundRules`` — the election's legal limits: the cap on what one person or one organisation may
  give, and the kinds of donors the law forbids (foreign, anonymous, state bodies by default).
* ``CampaignFund`` — a candidate's or party's fund: its bank account and opening date.
* ``FundReport`` — one of the three reports of item 38 (with the registration documents, not later
  than 7 days before voting, not later than 7 days after), drafted by the financial representative
  and submitted; then the territorial commission (with the CEC's control and audit group) reviews it.
* ``FundEntry`` — a contribution or a spending in a report; a contribution that breaks a limit is
  flagged with the reason, and the commission decides on it (``Decision`` kind ``fund_entry``).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from elections.models import DecidedRequest


class DonorKind(models.TextChoices):
    PERSON = "person", _("A citizen")
    ORGANISATION = "organisation", _("An organisation")
    OWN = "own", _("The candidate's own money")
    PARTY = "party", _("The nominating party")
    FOREIGN = "foreign", _("A foreign citizen or organisation")
    ANONYMOUS = "anonymous", _("Anonymous")
    STATE = "state", _("A state or municipal body or enterprise")


def default_forbidden() -> list[str]:
    return [DonorKind.FOREIGN, DonorKind.ANONYMOUS, DonorKind.STATE]


class FundRules(models.Model):
    election = models.OneToOneField("elections.Election", on_delete=models.CASCADE, related_name="fund_rules")
    cap_person = models.DecimalField(
        _("most one citizen may give"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("In all, over the campaign. Empty: no cap."),
    )
    cap_organisation = models.DecimalField(
        _("most one organisation may give"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("In all, over the campaign. Empty: no cap."),
    )
    forbidden = models.JSONField(_("donors the law forbids"), default=default_forbidden, blank=True)
    currency = models.CharField(_("currency"), max_length=8, default="KGS")

    class Meta:
        verbose_name = _("rules of election funds")
        verbose_name_plural = _("rules of election funds")

    def __str__(self):
        return str(self.election)


class CampaignFund(models.Model):
    election = models.ForeignKey(
        "elections.Election", on_delete=models.CASCADE, related_name="campaign_funds"
    )
    commission = models.ForeignKey(
        "groups.Commission",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("territorial commission"),
    )
    party_list = models.OneToOneField(
        "candidates.PartyList", on_delete=models.PROTECT, null=True, blank=True, related_name="fund"
    )
    application = models.OneToOneField(
        "candidates.Application", on_delete=models.PROTECT, null=True, blank=True, related_name="fund"
    )
    bank = models.CharField(_("bank"), max_length=300)
    account = models.CharField(_("account number"), max_length=64)
    opened_on = models.DateField(_("opened on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("election fund")
        verbose_name_plural = _("election funds")
        constraints = [
            models.CheckConstraint(
                condition=Q(party_list__isnull=False, application__isnull=True)
                | Q(party_list__isnull=True, application__isnull=False),
                name="fund_of_a_party_or_a_candidate",
            )
        ]

    def __str__(self):
        return self.owner_name

    def permission_scope(self):
        return self.commission.permission_scope()

    @property
    def owner_name(self) -> str:
        return self.party_list.party_name if self.party_list_id else self.application.full_name


class FundReport(models.Model):
    class Kind(models.TextChoices):
        FIRST = "first", _("First report, with the registration documents")
        BEFORE = "before", _("Report not later than 7 days before voting")
        FINAL = "final", _("Final report, not later than 7 days after the election")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted, under review")
        REVIEWED = "reviewed", _("Reviewed by the commission")

    fund = models.ForeignKey(CampaignFund, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("report"), max_length=8, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_note = models.TextField(_("the commission's conclusion"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("fund report")
        verbose_name_plural = _("fund reports")
        ordering = ["fund", "kind"]
        constraints = [models.UniqueConstraint(fields=["fund", "kind"], name="one_report_of_each_kind")]

    def __str__(self):
        return f"{self.fund} — {self.get_kind_display()}"

    def permission_scope(self):
        return self.fund.permission_scope()

    @property
    def on_time(self) -> bool | None:
        if self.submitted_at is None or self.due_at is None:
            return None
        return self.submitted_at <= self.due_at


class FundEntry(DecidedRequest):
    """A row of a report: money in (a contribution) or out (a spending)."""

    class Direction(models.TextChoices):
        INCOME = "income", _("Contribution")
        EXPENSE = "expense", _("Spending")

    class Verdict(models.TextChoices):
        NONE = "", _("No decision needed")
        PENDING = "pending", _("Awaiting the commission's decision")
        LAWFUL = "lawful", _("Found lawful")
        RETURN = "return", _("To be returned to the donor")
        TO_BUDGET = "to_budget", _("To be transferred to the state budget")

    report = models.ForeignKey(FundReport, on_delete=models.CASCADE, related_name="entries")
    direction = models.CharField(_("money"), max_length=8, choices=Direction.choices)
    on_date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    counterparty = models.CharField(_("from or to"), max_length=300, blank=True)
    donor_kind = models.CharField(_("donor"), max_length=16, choices=DonorKind.choices, blank=True)
    donor_id = models.CharField(
        _("donor's identification number"),
        max_length=32,
        blank=True,
        help_text=_("The personal or registration number: contributions of one donor are added up by it."),
    )
    purpose = models.CharField(_("purpose or payment document"), max_length=300, blank=True)
    #: why a contribution breaks the rules, as the commission reads it (empty: it does not)
    flags = models.JSONField(_("breaks the rules"), default=list, blank=True)
    verdict = models.CharField(_("decision"), max_length=12, choices=Verdict.choices, default="", blank=True)

    class Meta:
        verbose_name = _("row of a fund report")
        verbose_name_plural = _("rows of fund reports")
        ordering = ["report", "on_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=Decimal("0")), name="fund_entry_amount_positive")
        ]

    def __str__(self):
        return f"{self.on_date} {self.get_direction_display()} {self.amount}"

    def permission_scope(self):
        return self.report.permission_scope()

    @property
    def flag_texts(self) -> list[str]:
        """The reasons this contribution breaks the rules, in the reader's language."""
        texts = []
        for flag in self.flags or []:
            if flag.get("code") == "forbidden":
                kind = flag.get("kind", "")
                label = DonorKind(kind).label if kind in DonorKind.values else kind
                texts.append(_("the law forbids contributions from this donor: %(kind)s") % {"kind": label})
            elif flag.get("code") == "cap":
                texts.append(
                    _("%(donor)s has given %(total)s in all, more than the cap of %(cap)s")
                    % {"donor": flag.get("donor", ""), "total": flag.get("total"), "cap": flag.get("cap")}
                )
        return texts
