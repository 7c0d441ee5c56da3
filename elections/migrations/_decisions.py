"""For the data migrations that move each app's decided requests onto ``elections.Decision``
(issue 17): one function that writes a decision as ``decision_take`` would have, from historical
models. Not a migration itself (the loader skips modules whose name starts with "_")."""

from __future__ import annotations

import zoneinfo

SECRETARIAT = "secretariat"


def content_type(apps, app_label: str, model: str):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]


def body_key(body) -> str:
    if body is None:
        return SECRETARIAT
    return f"{body._meta.app_label}.{body._meta.model_name}:{body.pk}"


def add_decision(
    apps,
    *,
    election,
    kind: str,
    outcome: str,
    body,
    subject,
    subject_label: str,
    decided_at,
    reasons: str = "",
    recorded_by_id=None,
    number=None,
    due_at=None,
    votes=(),
    members_total: int = 0,
    is_adopted: bool = True,
    recorded_at=None,
):
    """One decision of ``body`` (a commission, or None: the secretariat) on ``subject``. An adopted
    decision without a ``number`` gets the body's next one for its year. ``votes`` are
    (user_id, position, vote) of a decision taken by a vote."""
    Decision = apps.get_model("elections", "Decision")
    DecisionVote = apps.get_model("elections", "DecisionVote")
    year = decided_at.astimezone(zoneinfo.ZoneInfo(election.time_zone)).year
    key = body_key(body)
    if is_adopted and number is None:
        last = (
            Decision.objects.filter(election=election, body_key=key, year=year)
            .order_by("-number")
            .values_list("number", flat=True)
            .first()
        )
        number = (last or 0) + 1
    counted = {v: sum(1 for _u, _p, vote in votes if vote == v) for v in ("for", "against", "abstain")}
    decision = Decision.objects.create(
        election=election,
        kind=kind,
        outcome=outcome,
        body_type=content_type(apps, body._meta.app_label, body._meta.model_name) if body is not None else None,
        body_id=body.pk if body is not None else None,
        body_key=key,
        body_name_ru=body.name_ru if body is not None else "Секретариат",
        body_name_en=body.name_en if body is not None else "Secretariat",
        subject_type=content_type(apps, subject._meta.app_label, subject._meta.model_name),
        subject_id=subject.pk,
        subject_label=subject_label[:300],
        number=number if is_adopted else None,
        year=year,
        decided_at=decided_at,
        due_at=due_at,
        reasons=reasons,
        method="vote" if votes else "official",
        votes_for=counted["for"],
        votes_against=counted["against"],
        votes_abstained=counted["abstain"],
        members_total=members_total,
        quorum=members_total // 2 + 1 if votes else 0,
        is_adopted=is_adopted,
        recorded_by_id=recorded_by_id,
        recorded_at=recorded_at or decided_at,
    )
    DecisionVote.objects.bulk_create(
        [DecisionVote(decision=decision, user_id=u, position=p, vote=v) for u, p, v in votes]
    )
    return decision
