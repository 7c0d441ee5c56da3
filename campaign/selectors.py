"""Reads of the campaign, narrowed to who may see what.

The register of representatives is read by the secretariat, commission members and observers
(``representative.view``); a credential's public page shows only the name, the kind, whom it
represents and whether it stands. The funds' summaries are public: owner, bank, reports with
their dates and whether they were on time, totals in and out, flagged contributions and the
decisions on them — never a donor's identification number.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.permissions import can
from elections.selectors import calendar_of

from .models import CampaignFund, FundEntry, FundReport, Representative

#: the calendar plan's activities these functions carry out, per shipped plan template
ACTIVITIES = {
    "kg-local-2016": {
        "representatives": (15, 27),
        "funds": (36, 38),
        "media": (28,),
        "events": (29, 30, 31, 32),
        "notices": (29, 40),
        "observers": (33, 34),
    }
}


def representatives_of(election):
    return (
        Representative.objects.filter(election=election)
        .select_related("commission", "party_list", "application", "decision")
        .order_by("-received_at", "-pk")
    )


def represented_lists(user, election) -> list[int]:
    """The party lists ``user`` is a registered representative (for the election or for financial
    matters) of."""
    return list(
        Representative.objects.filter(
            election=election, user=user, status=Representative.Status.REGISTERED, party_list__isnull=False
        )
        .exclude(kind=Representative.Kind.PROXY)
        .values_list("party_list_id", flat=True)
    )


def funds_owned_by(user, election):
    """The funds ``user`` reports on: as a registered financial representative, the candidate,
    or the party list's owner."""
    if not user.is_authenticated:
        return CampaignFund.objects.none()
    reps = Representative.objects.filter(
        election=election,
        user=user,
        kind=Representative.Kind.FINANCIAL,
        status=Representative.Status.REGISTERED,
    )
    return (
        CampaignFund.objects.filter(election=election)
        .filter(
            Q(party_list__in=reps.values("party_list"))
            | Q(application__in=reps.values("application"))
            | Q(application__user=user)
            | Q(party_list__representative=user)
        )
        .distinct()
    )


def may_report(user, fund: CampaignFund) -> bool:
    return funds_owned_by(user, fund.election).filter(pk=fund.pk).exists()


def principals_of(user, election) -> dict:
    """The party lists and applications ``user`` may open a fund for (none opened yet)."""
    from candidates.models import Application, PartyList

    if not user.is_authenticated:
        return {"party_lists": [], "applications": []}
    reps = Representative.objects.filter(
        election=election,
        user=user,
        kind=Representative.Kind.FINANCIAL,
        status=Representative.Status.REGISTERED,
    )
    lists = PartyList.objects.filter(election=election, fund__isnull=True).filter(
        Q(representative=user) | Q(pk__in=reps.values("party_list"))
    )
    apps = Application.objects.filter(election=election, fund__isnull=True, party_list__isnull=True).filter(
        Q(user=user) | Q(pk__in=reps.values("application"))
    )
    return {"party_lists": list(lists), "applications": list(apps)}


@dataclass
class ReportRow:
    report: FundReport
    income: Decimal
    expense: Decimal
    flagged: int
    pending: int


def report_rows(fund: CampaignFund) -> list[ReportRow]:
    rows = []
    for report in fund.reports.all().order_by("pk"):
        entries = report.entries.all()
        totals = {
            d: entries.filter(direction=d).aggregate(s=Sum("amount"))["s"] or Decimal("0")
            for d in FundEntry.Direction.values
        }
        rows.append(
            ReportRow(
                report=report,
                income=totals[FundEntry.Direction.INCOME],
                expense=totals[FundEntry.Direction.EXPENSE],
                flagged=entries.exclude(flags=[]).count(),
                pending=entries.filter(verdict=FundEntry.Verdict.PENDING).count(),
            )
        )
    return rows


def public_funds(election) -> list[dict]:
    """Every fund with its reports' totals (public)."""
    out = []
    for fund in CampaignFund.objects.filter(election=election).select_related(
        "party_list", "application", "commission"
    ):
        rows = report_rows(fund)
        published = [r for r in rows if r.report.status != FundReport.Status.DRAFT]
        out.append(
            {
                "fund": fund,
                "rows": rows,
                "income": sum((r.income for r in published), Decimal("0")),
                "expense": sum((r.expense for r in published), Decimal("0")),
                "flagged": sum(r.flagged for r in published),
                "pending": sum(r.pending for r in published),
            }
        )
    return sorted(out, key=lambda f: f["fund"].owner_name.casefold())


def calendar_work(user, election) -> dict[int, list[tuple[str, str]]]:
    calendar = calendar_of(election)
    numbers = ACTIVITIES.get(calendar.template.slug, {}) if calendar is not None else {}
    links: dict[int, list[tuple[str, str]]] = {}
    if not numbers:
        return links
    if can(user, "representative.view", election):
        url = reverse("campaign:representatives", args=[election.slug])
        registered = Representative.objects.filter(
            election=election, status=Representative.Status.REGISTERED
        ).count()
        for number in numbers["representatives"]:
            links.setdefault(number, []).append(
                (_("Representatives and proxies (registered: %(count)s)") % {"count": registered}, url)
            )
    url = reverse("campaign:funds", args=[election.slug])
    count = CampaignFund.objects.filter(election=election).count()
    for number in numbers["funds"]:
        links.setdefault(number, []).append(
            (_("Election funds and their reports (funds: %(count)s)") % {"count": count}, url)
        )
    slug = election.slug
    public = {
        "media": (_("Media rates"), reverse("campaign:media", args=[slug])),
        "events": (_("Campaign events and places"), reverse("campaign:events", args=[slug])),
        "notices": (_("Notices to voters and “where do I vote”"), reverse("campaign:notices", args=[slug])),
        "observers": (
            _("Observers: applications and accreditation"),
            reverse("groups:observer_list", args=[slug]),
        ),
    }
    for what, link in public.items():
        for number in numbers[what]:
            links.setdefault(number, []).append(link)
    return links
