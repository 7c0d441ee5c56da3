"""Reads of the ballot text's approval (seed 003 item 39): what a contest's ballot shows, the
commission that approves it, its versions, the calendar row it carries out.

``text_content(contest)`` is the canonical text of the ballot — title, method, seats, marks and
the options in ballot order — the thing a commission approves and whose SHA-256 identifies it."""

from __future__ import annotations

import hashlib
import json

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.permissions import can
from candidates.deadlines import activity_of
from elections.selectors import calendar_of
from groups.models import Commission

from .models import BallotText, Contest

#: the calendar plan activity the approval carries out, per shipped plan template
ACTIVITY_OF: dict[str, int] = {"kg-local-2016": 39}


def _state_language_texts(obj, *fields: str) -> dict:
    """The Kazakh and Kyrgyz texts that are filled (only those: an approved text without them
    keeps the hash it was approved with)."""
    return {
        f"{f}_{lang}": value
        for f in fields
        for lang in ("kk", "ky")
        if (value := getattr(obj, f"{f}_{lang}", ""))
    }


def text_content(contest: Contest) -> dict:
    return {
        "title_ru": contest.title_ru,
        "title_en": contest.title_en,
        **_state_language_texts(contest, "title"),
        "method": contest.method,
        "seats": contest.seats,
        "max_choices": contest.max_choices,
        "options": [
            {
                "kind": o.kind,
                "label_ru": o.label_ru,
                "label_en": o.label_en,
                "detail_ru": o.detail_ru,
                "detail_en": o.detail_en,
                **_state_language_texts(o, "label", "detail"),
            }
            for o in contest.options.order_by("position", "pk")
        ],
    }


def content_sha256(content: dict) -> str:
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def current_text(contest: Contest) -> BallotText | None:
    return (
        BallotText.objects.filter(contest=contest, reopened_at__isnull=True)
        .select_related("decision")
        .first()
    )


def text_versions(contest: Contest) -> list[BallotText]:
    return list(
        BallotText.objects.filter(contest=contest)
        .select_related("decision", "reopen_decision")
        .order_by("-version")
    )


def approving_commission(contest: Contest) -> Commission | None:
    """The TEC of the council's district (a group's contest: the group's commission)."""
    if contest.unit_id is not None:
        return Commission.objects.filter(
            election_id=contest.election_id, kind=Commission.Kind.TEC, unit_id=contest.unit_id
        ).first()
    if contest.group_id is not None:
        return Commission.objects.filter(election_id=contest.election_id, group_id=contest.group_id).first()
    return None


def activity(election):
    calendar = calendar_of(election)
    if calendar is None:
        return None
    return activity_of(election, ACTIVITY_OF.get(calendar.template.slug))


def differs(contest: Contest) -> bool:
    """The live contest no longer matches its approved text (never expected: the services lock it)."""
    text = current_text(contest)
    return text is not None and content_sha256(text_content(contest)) != text.sha256


def not_approved(contest: Contest) -> str | None:
    """Why the contest's ballots may not be printed (``polling`` asks before a print run)."""
    if current_text(contest) is None:
        return _("The ballot text of “%(contest)s” is not approved yet.") % {"contest": contest.title}
    return None


def calendar_work(user, election) -> dict[int, list[tuple[str, str]]]:
    number = ACTIVITY_OF.get(calendar_of(election).template.slug) if calendar_of(election) else None
    if not number or not can(user, "ballot_text.view", election):
        return {}
    links = []
    for contest in Contest.objects.filter(election=election, unit__isnull=False).order_by("pk"):
        text = current_text(contest)
        status = (
            _("approved, version %(version)s") % {"version": text.version} if text else _("not approved yet")
        )
        links.append(
            (
                _("Ballot text: %(contest)s (%(status)s)") % {"contest": contest.title, "status": status},
                reverse("ballots:text", args=[election.slug, contest.pk]),
            )
        )
    return {number: links}
