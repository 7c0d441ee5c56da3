"""Election funds and their reports (seed 003 items 36, 38).

* ``fund_rules_save`` — the election's limits (the CEC or the secretariat): caps per citizen and
  per organisation over the campaign, the donors the law forbids.
* ``fund_open`` — a candidate's or party's fund, with its bank account and opening date; its three
  reports are created with their deadlines from the calendar plan (item 38's milestones and due
  date).
* ``fund_entry_add`` / ``fund_entries_import`` — the financial representative (or the candidate)
  enters the rows of a draft report, one by one or from a CSV file (all or nothing). A contribution
  is checked at once and flagged, with the reason, when it comes from a forbidden donor or makes
  one donor's total pass the cap.
* ``fund_report_submit`` — the report is submitted (it then no longer changes); submitted after
  its deadline it is kept as late.
* ``fund_entry_decide`` — the territorial commission decides on a flagged contribution by a vote
  (lawful, to be returned to the donor, to be transferred to the state budget), with reasons.
* ``fund_report_review`` — the conclusion on a submitted report (the territorial commission's, or
  the CEC's control and audit group's), once every flagged contribution in it is decided.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import refuse_observers, require
from elections.audit import audit_log
from elections.models import Decision
from elections.selectors import calendar_of
from elections.services.decisions import MemberVote, decision_take
from groups.models import Commission, CommissionMember

from .. import plan
from ..models import CampaignFund, FundEntry, FundReport, FundRules, Representative
from ..models.funds import DonorKind
from ._common import commission_member, refuse, tec_of

REPORT_ACTIVITY = {"kg-local-2016": 38}


def rules_for(election) -> FundRules:
    return FundRules.objects.filter(election=election).first() or FundRules(election=election)


@transaction.atomic
def fund_rules_save(*, election, actor, cap_person=None, cap_organisation=None, forbidden=None) -> FundRules:
    if actor is not None:
        require(actor, "fund.rules", election)
        refuse_observers(actor, election)
    rules = FundRules.objects.select_for_update().filter(election=election).first() or FundRules(
        election=election
    )
    rules.cap_person, rules.cap_organisation = cap_person, cap_organisation
    if forbidden is not None:
        unknown = [k for k in forbidden if k not in DonorKind.values]
        if unknown:
            refuse(_("Choose the donors the law forbids from the list."), "forbidden")
        rules.forbidden = list(forbidden)
    for cap in (cap_person, cap_organisation):
        if cap is not None and cap <= 0:
            refuse(_("A cap is an amount greater than zero, or empty for none."), "cap")
    rules.full_clean(exclude=["election"])
    rules.save()
    audit_log(
        action="campaign.fund_rules.saved",
        actor=actor,
        obj=rules,
        election=election,
        data={
            "cap_person": str(cap_person),
            "cap_organisation": str(cap_organisation),
            "forbidden": rules.forbidden,
        },
    )
    return rules


def report_deadlines(election) -> dict[str, dt.datetime | None]:
    """The three deadlines of item 38 from the calendar plan: the milestones of the first two, the
    activity's due date for the final one."""
    calendar = calendar_of(election)
    number = REPORT_ACTIVITY.get(calendar.template.slug) if calendar is not None else None
    activity = calendar.activities.filter(number=number).first() if number else None
    if activity is None:
        return {"first": None, "before": None, "final": None}
    milestones = {m.get("key"): m.get("at") for m in activity.milestones or []}

    def parse(value):
        return dt.datetime.fromisoformat(value) if value else None

    return {
        "first": parse(milestones.get("report_1")),
        "before": parse(milestones.get("report_2")),
        "final": activity.due_at,
    }


def _may_report(actor, fund: CampaignFund) -> None:
    """The fund's registered financial representative, the candidate, or the party list's owner."""
    if actor is None:
        return
    refuse_observers(actor, fund.election)
    if Representative.objects.filter(
        election=fund.election,
        kind=Representative.Kind.FINANCIAL,
        status=Representative.Status.REGISTERED,
        user=actor,
        party_list=fund.party_list,
        application=fund.application,
    ).exists():
        return
    if fund.application_id and fund.application.user_id == actor.pk:
        return
    if fund.party_list_id and fund.party_list.representative_id == actor.pk:
        return
    raise PermissionDenied(_("Only the fund's financial representative or its owner reports on it."))


@transaction.atomic
def fund_open(
    *, election, actor, bank: str, account: str, opened_on, party_list=None, application=None
) -> CampaignFund:
    """Record a fund opened at a bank; its three reports are created with their deadlines."""
    if (party_list is None) == (application is None):
        refuse(_("Choose the party or the candidate whose fund it is."), "owner")
    commission = tec_of(party_list=party_list, application=application)
    fund = CampaignFund(
        election=election,
        commission=commission,
        party_list=party_list,
        application=application,
        bank=bank.strip(),
        account=account.strip(),
        opened_on=opened_on,
        recorded_by=actor,
    )
    _may_report(actor, fund)
    if not fund.bank or not fund.account:
        refuse(_("Give the bank and the account number of the fund."), "account")
    if opened_on is None or opened_on > timezone.localdate():
        refuse(_("Give the date the account was opened; it cannot be in the future."), "opened_on")
    if CampaignFund.objects.filter(party_list=party_list, application=application).exists():
        refuse(_("This fund is recorded already."), "exists")
    fund.full_clean(exclude=["recorded_by"])
    fund.save()
    for kind, due in report_deadlines(election).items():
        FundReport.objects.create(fund=fund, kind=kind, due_at=due)
    audit_log(
        action="campaign.fund.opened",
        actor=actor,
        obj=fund,
        election=election,
        data={
            "owner": fund.owner_name,
            "bank": fund.bank,
            "account": fund.account,
            "opened_on": str(opened_on),
        },
    )
    return fund


def _flags(entry: FundEntry, rules: FundRules) -> list[dict]:
    """Why a contribution breaks the rules, as codes with their figures (rendered in the reader's
    language by ``FundEntry.flag_texts``; the donor is named, never by their number)."""
    if entry.direction != FundEntry.Direction.INCOME:
        return []
    flags = []
    if entry.donor_kind in (rules.forbidden or []):
        flags.append({"code": "forbidden", "kind": entry.donor_kind})
    cap = {DonorKind.PERSON: rules.cap_person, DonorKind.ORGANISATION: rules.cap_organisation}.get(
        entry.donor_kind
    )
    if cap is not None:
        given = FundEntry.objects.filter(
            report__fund=entry.report.fund, direction=FundEntry.Direction.INCOME, donor_kind=entry.donor_kind
        ).filter(
            **({"donor_id": entry.donor_id} if entry.donor_id else {"counterparty": entry.counterparty})
        ).exclude(pk=entry.pk).aggregate(s=Sum("amount"))["s"] or Decimal("0")
        if given + entry.amount > cap:
            flags.append(
                {
                    "code": "cap",
                    "donor": entry.counterparty,
                    "total": str(given + entry.amount),
                    "cap": str(cap),
                }
            )
    return flags


def _draft(report: FundReport, actor) -> FundReport:
    report = (
        FundReport.objects.select_for_update(of=("self",))
        .select_related("fund", "fund__election", "fund__party_list", "fund__application")
        .get(pk=report.pk)
    )
    _may_report(actor, report.fund)
    if report.status != FundReport.Status.DRAFT:
        refuse(_("The report has been submitted: it no longer changes."), "submitted")
    return report


def _entry(report: FundReport, row: dict, rules: FundRules) -> FundEntry:
    direction = row.get("direction")
    if direction not in FundEntry.Direction.values:
        refuse(_("Say whether the row is a contribution or a spending."), "direction")
    try:
        amount = Decimal(str(row.get("amount")).replace(",", ".").replace(" ", ""))
    except (InvalidOperation, TypeError):
        refuse(_("The amount must be a number, e.g. 15000.50."), "amount")
    if amount <= 0:
        refuse(_("The amount must be greater than zero."), "amount")
    on_date = row.get("on_date")
    if isinstance(on_date, str):
        try:
            on_date = dt.date.fromisoformat(on_date.strip())
        except ValueError:
            refuse(_("Write the date as year-month-day, e.g. 2016-11-20."), "date")
    if on_date is None or on_date > timezone.localdate():
        refuse(_("Give the date of the row; it cannot be in the future."), "date")
    if on_date < report.fund.opened_on:
        refuse(
            _("The row is dated before the fund was opened (%(date)s).") % {"date": report.fund.opened_on},
            "date",
        )
    donor_kind = row.get("donor_kind") or ""
    if direction == FundEntry.Direction.INCOME and donor_kind not in DonorKind.values:
        refuse(_("Say who gave the contribution."), "donor")
    counterparty = (row.get("counterparty") or "").strip()
    if direction == FundEntry.Direction.INCOME and donor_kind != DonorKind.ANONYMOUS and not counterparty:
        refuse(_("Name the donor of the contribution."), "counterparty")
    entry = FundEntry(
        report=report,
        direction=direction,
        on_date=on_date,
        amount=amount,
        counterparty=counterparty,
        donor_kind=donor_kind if direction == FundEntry.Direction.INCOME else "",
        donor_id=(row.get("donor_id") or "").strip(),
        purpose=(row.get("purpose") or "").strip(),
    )
    entry.flags = _flags(entry, rules)
    entry.verdict = FundEntry.Verdict.PENDING if entry.flags else FundEntry.Verdict.NONE
    entry.full_clean(exclude=["report"])
    entry.save()
    return entry


@transaction.atomic
def fund_entry_add(*, report: FundReport, actor, row: dict) -> FundEntry:
    report = _draft(report, actor)
    entry = _entry(report, row, rules_for(report.fund.election))
    audit_log(
        action="campaign.fund_entry.added",
        actor=actor,
        obj=report,
        election=report.fund.election,
        data={
            "entry": entry.pk,
            "direction": entry.direction,
            "amount": str(entry.amount),
            "flags": entry.flags,
        },
    )
    return entry


CSV_COLUMNS = ("direction", "on_date", "amount", "counterparty", "donor_kind", "donor_id", "purpose")


@transaction.atomic
def fund_entries_import(*, report: FundReport, actor, content: str) -> list[FundEntry]:
    """Rows from a CSV file with the columns of ``CSV_COLUMNS`` (a header line first); all or
    nothing: a wrong row names its line and nothing is added."""
    report = _draft(report, actor)
    rules = rules_for(report.fund.election)
    reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))
    missing = [c for c in ("direction", "on_date", "amount") if c not in (reader.fieldnames or [])]
    if missing:
        refuse(
            _("The file's first line must name the columns: %(columns)s.")
            % {"columns": ", ".join(CSV_COLUMNS)},
            "columns",
        )
    entries = []
    for line, row in enumerate(reader, start=2):
        try:
            entries.append(_entry(report, row, rules))
        except ValidationError as exc:
            raise type(exc)(
                _("Line %(line)s: %(error)s") % {"line": line, "error": " ".join(exc.messages)}, code="line"
            ) from None
    if not entries:
        refuse(_("The file has no rows."), "empty")
    audit_log(
        action="campaign.fund_entry.imported",
        actor=actor,
        obj=report,
        election=report.fund.election,
        data={"rows": len(entries), "flagged": sum(1 for e in entries if e.flags)},
    )
    return entries


@transaction.atomic
def fund_report_submit(*, report: FundReport, actor, as_of=None) -> FundReport:
    """Submit a draft report; ``as_of``: when a report delivered on paper reached the commission."""
    report = _draft(report, actor)
    order = [k for k, _label in FundReport.Kind.choices]
    before = order[: order.index(report.kind)]
    if FundReport.objects.filter(fund=report.fund, kind__in=before, status=FundReport.Status.DRAFT).exists():
        refuse(_("Submit the earlier reports first."), "order")
    now = as_of or timezone.now()
    if now > timezone.now():
        refuse(_("The time cannot be in the future."), "future")
    report.status = FundReport.Status.SUBMITTED
    report.submitted_at = now
    report.submitted_by = actor
    report.save()
    audit_log(
        action="campaign.fund_report.submitted",
        actor=actor,
        obj=report,
        election=report.fund.election,
        data={"kind": report.kind, "on_time": report.on_time, "rows": report.entries.count()},
    )
    plan.funds_fulfil(report.fund.election)
    return report


def _votes(commission, votes: dict) -> tuple[list[MemberVote], int]:
    members = {
        m.pk: m
        for m in CommissionMember.objects.filter(commission=commission, is_active=True).select_related("user")
    }
    if any(pk not in members for pk in votes):
        raise ValidationError(_("Only active members of the commission vote."))
    present = [
        MemberVote(user=members[pk].user, vote=vote, position=members[pk].position)
        for pk, vote in votes.items()
        if vote not in ("absent", "", None)
    ]
    if not present:
        raise ValidationError(_("Record how each member present voted: the commission decides by a vote."))
    return present, len(members)


@transaction.atomic
def fund_entry_decide(*, entry: FundEntry, actor, verdict: str, reasons: str, votes: dict, decided_at=None):
    """The commission's decision on a flagged contribution (item 36)."""
    entry = (
        FundEntry.objects.select_for_update(of=("self",))
        .select_related("report", "report__fund", "report__fund__commission", "report__fund__election")
        .get(pk=entry.pk)
    )
    fund = entry.report.fund
    commission_member(actor, fund.commission, "fund.review")
    if entry.verdict != FundEntry.Verdict.PENDING:
        refuse(_("This row needs no decision, or has one already."), "no_flag")
    if entry.report.status == FundReport.Status.DRAFT:
        refuse(_("The commission decides once the report is submitted."), "draft")
    if verdict not in (FundEntry.Verdict.LAWFUL, FundEntry.Verdict.RETURN, FundEntry.Verdict.TO_BUDGET):
        refuse(_("Choose the decision: lawful, to be returned, or to the state budget."), "verdict")
    if not reasons.strip():
        raise ValidationError({"reasons": _("Give the reasons; the party or candidate will read them.")})
    present, total = _votes(fund.commission, votes)

    def on_adopted(decision):
        entry.decision = decision
        entry.verdict = verdict
        entry.save(update_fields=["decision", "verdict"])
        return {"verdict": verdict}

    decision = decision_take(
        election=fund.election,
        kind=Decision.Kind.CAMPAIGN_FUND,
        subject=entry,
        subject_label=_("Contribution of %(amount)s from %(donor)s to the fund of %(owner)s")
        % {
            "amount": entry.amount,
            "donor": entry.counterparty or DonorKind(entry.donor_kind).label,
            "owner": fund.owner_name,
        },
        body=fund.commission,
        outcome=Decision.Outcome.GRANTED if verdict == FundEntry.Verdict.LAWFUL else Decision.Outcome.REFUSED,
        actor=actor,
        action="campaign.fund_entry.decided",
        on_adopted=on_adopted,
        reasons=reasons,
        votes=present,
        members_total=total,
        decided_at=decided_at,
        due_at=None,
    )
    return decision


def _reviewer(actor, fund: CampaignFund) -> None:
    """The fund's territorial commission, or the CEC, at which the control and audit group sits
    (seed 003 items 36, 38)."""
    try:
        commission_member(actor, fund.commission, "fund.review")
    except PermissionDenied:
        cec = Commission.objects.filter(election=fund.election, kind=Commission.Kind.CEC).first()
        if cec is None:
            raise
        commission_member(actor, cec, "fund.review")


@transaction.atomic
def fund_report_review(*, report: FundReport, actor, note: str) -> FundReport:
    report = (
        FundReport.objects.select_for_update(of=("self",))
        .select_related("fund", "fund__commission", "fund__election")
        .get(pk=report.pk)
    )
    _reviewer(actor, report.fund)
    if report.status != FundReport.Status.SUBMITTED:
        refuse(_("Only a submitted report not yet reviewed is reviewed."), "not_submitted")
    if report.entries.filter(verdict=FundEntry.Verdict.PENDING).exists():
        refuse(_("Decide on every flagged contribution first."), "pending")
    if not note.strip():
        raise ValidationError({"note": _("Write the commission's conclusion.")})
    report.status = FundReport.Status.REVIEWED
    report.review_note = note.strip()
    report.reviewed_at = timezone.now()
    report.reviewed_by = actor
    report.save()
    audit_log(
        action="campaign.fund_report.reviewed",
        actor=actor,
        obj=report,
        election=report.fund.election,
        data={"kind": report.kind, "note": report.review_note},
    )
    plan.funds_fulfil(report.fund.election)
    return report
