"""Reads of the commissions' training and budget (seed 003 items 7, 35, 37)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.permissions import can
from elections.selectors import calendar_of

from .models import BudgetLine, Commission, Spending, TrainingAttendance, TrainingSession
from .services.work import ACTIVITIES, activity


def trained_member_ids(commission) -> set[int]:
    return set(
        TrainingAttendance.objects.filter(member__commission=commission, attended=True).values_list(
            "member_id", flat=True
        )
    )


def sessions(election):
    return (
        TrainingSession.objects.filter(election=election)
        .prefetch_related("commissions")
        .annotate(
            invited=Count("attendance"), attended=Count("attendance", filter=Q(attendance__attended=True))
        )
        .order_by("starts_at")
    )


def training_by_commission(election) -> list[dict]:
    rows = []
    for commission in (
        Commission.objects.filter(election=election, kind__in=(Commission.Kind.TEC, Commission.Kind.PEC))
        .select_related("unit")
        .order_by("kind", "unit__number")
    ):
        members = commission.members.filter(is_active=True).count()
        trained = len(trained_member_ids(commission))
        rows.append({"commission": commission, "members": members, "trained": trained})
    return rows


def budget_report(election) -> dict:
    """Per commission and article: planned, spent, left; over-spending flagged; totals."""
    planned = {(b.commission_id, b.article): b for b in BudgetLine.objects.filter(election=election)}
    spent = {
        (row["commission_id"], row["article"]): row["s"]
        for row in Spending.objects.filter(election=election)
        .values("commission_id", "article")
        .annotate(s=Sum("amount"))
    }
    commissions = {
        c.pk: c
        for c in Commission.objects.filter(pk__in={k[0] for k in planned | spent}).select_related("unit")
    }
    rows = []
    for key in sorted(
        set(planned) | set(spent),
        key=lambda k: (
            commissions[k[0]].kind != "cec",
            commissions[k[0]].kind,
            commissions[k[0]].name_ru,
            k[1],
        ),
    ):
        line = planned.get(key)
        p = line.planned if line else Decimal("0")
        s = spent.get(key) or Decimal("0")
        rows.append(
            {
                "commission": commissions[key[0]],
                "article": key[1],
                "article_label": line.get_article_display() if line else key[1],
                "planned": p,
                "spent": s,
                "left": p - s,
                "over": s > p,
            }
        )
    return {
        "rows": rows,
        "planned": sum((r["planned"] for r in rows), Decimal("0")),
        "spent": sum((r["spent"] for r in rows), Decimal("0")),
        "over": sum(1 for r in rows if r["over"]),
        "estimate_activity": activity(election, "estimate"),
    }


def calendar_work(user, election) -> dict[int, list[tuple[str, str]]]:
    calendar = calendar_of(election)
    numbers = ACTIVITIES.get(calendar.template.slug, {}) if calendar is not None else {}
    links: dict[int, list[tuple[str, str]]] = {}
    if numbers and can(user, "training.view", election):
        links.setdefault(numbers["training"], []).append(
            (_("Training of commission members"), reverse("groups:training", args=[election.slug]))
        )
    if numbers and can(user, "budget.view", election):
        for what in ("estimate", "control"):
            links.setdefault(numbers[what], []).append(
                (
                    _("The election's budget: the estimate and the spending"),
                    reverse("groups:budget", args=[election.slug]),
                )
            )
    return links
