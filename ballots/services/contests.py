"""Contests (the ballots) and their options, the choices a ballot may hold, the voting settings.
Every write is one transaction with an audit entry."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import require
from candidates.selectors import ballot_candidates
from elections.audit import audit_log
from elections.models import Election

from ..models import (
    Contest,
    ContestOption,
    Method,
    TieRule,
    VotingSettings,
)
from ._common import _refuse

# --- contests -------------------------------------------------------------------------------


def _require_unlocked(contest: Contest, *, text_change: bool = True) -> None:
    """Voting has not opened and — for a change of what the ballot shows — its text is not
    approved (a change needs the commission's decision to reopen it, ``services.approval``)."""
    from ..approval import current_text

    if contest.is_locked:
        _refuse(_("Voting has opened: the ballot is locked and cannot change."), "locked")
    text = current_text(contest) if text_change else None
    if text is not None:
        _refuse(
            _(
                "The ballot text was approved by decision № %(number)s of %(date)s of %(body)s. To change it, "
                "the commission first decides to reopen it."
            )
            % {
                "number": text.decision.number,
                "date": timezone.localtime(text.decision.decided_at, contest.election.tz).strftime(
                    "%d.%m.%Y"
                ),
                "body": text.decision.body_name,
            },
            "approved",
        )


@transaction.atomic
def contest_save(*, election: Election, actor, contest: Contest | None = None, **fields) -> Contest:
    """Create or change a contest (secretariat), refused once its ballot is locked."""
    if actor is not None:
        require(actor, "contest.manage", election)
    created = contest is None
    if created:
        contest = Contest(election=election)
        if "tie_rule" not in fields and fields.get("unit") is not None:
            # a council: a lot drawn by the commission unless the contest names the law's rule
            contest.tie_rule = TieRule.LOT
    else:
        contest = Contest.objects.select_for_update().get(pk=contest.pk)
        _require_unlocked(contest)
    for name, value in fields.items():
        setattr(contest, name, value)
    contest.follow_group()  # a group's ballot: the group's rule and seats, never its own
    contest.full_clean()
    _refuse_more_seats_than_candidates(contest)
    contest.save()
    audit_log(
        action="ballots.contest.created" if created else "ballots.contest.updated",
        actor=actor,
        obj=contest,
        election=election,
        data={
            "title": contest.title_ru,
            "method": contest.method,
            "seats": contest.seats,
            "alternates": contest.alternates,
            "group_id": contest.group_id,
            "unit_id": contest.unit_id,
        },
    )
    return contest


def _refuse_more_seats_than_candidates(contest: Contest) -> None:
    """Seats no more than the candidates on the ballot, once it lists them (party lists share their
    seats among the lists' candidates, so any number of seats is possible there)."""
    if contest.pk is None or contest.is_list:
        return
    candidates = contest.options.exclude(kind=ContestOption.Kind.AGAINST_ALL).count()
    if candidates and contest.seats > candidates:
        raise ValidationError(
            {
                "seats": _("The ballot lists %(candidates)s candidate(s): it cannot fill %(seats)s seats.")
                % {"candidates": candidates, "seats": contest.seats}
            }
        )


@transaction.atomic
def contests_follow_group(*, group, actor) -> list[Contest]:
    """The group's decision rule or seats changed: its ballot follows (issue 15: the two can never
    disagree). Refused, with the group's change, once the ballot is locked. Registered with
    ``groups.services.structure.follow_group_rules`` so that groups need not know ballots."""
    changed = []
    for contest in Contest.objects.select_for_update().filter(group=group):
        before = (contest.method, contest.seats, contest.alternates)
        contest.group = group
        contest.follow_group()
        if (contest.method, contest.seats, contest.alternates) == before:
            continue
        if contest.is_locked:
            raise ValidationError(
                _(
                    "The ballot “%(title)s” is locked (voting has opened): the group's rule and seats can no longer change."
                )
                % {"title": contest.title}
            )
        _require_unlocked(contest)  # an approved ballot text changes only after its reopening
        contest.full_clean()
        contest.save(update_fields=["method", "seats", "alternates"])
        audit_log(
            action="ballots.contest.followed_group",
            actor=actor,
            obj=contest,
            election=contest.election,
            data={
                "group_id": group.pk,
                "method": contest.method,
                "seats": contest.seats,
                "alternates": contest.alternates,
            },
        )
        changed.append(contest)
    return changed


def _candidate_label(application) -> tuple[str, str, str, str]:
    name = application.full_name
    detail = ", ".join(
        x for x in [getattr(application, "organisation", ""), getattr(application, "region", "")] if x
    )
    return name, name, detail, detail


#: "against all" on the ballot in each language of the portal (a name, unlike candidates', is translated)
AGAINST_ALL_LABELS = {"ru": "Против всех", "kk": "Бәріне қарсы", "ky": "Баарына каршы", "en": "Against all"}


@transaction.atomic
def contest_sync_options(*, contest: Contest, actor) -> list[ContestOption]:
    """Put the admitted candidates (or party lists) on the ballot, plus "against all" when used.

    Before the ballot is locked it follows the candidate list; candidates who left the race after
    the ballot was approved stay on it, marked (seed 003 items 25–26)."""

    if actor is not None:
        require(actor, "contest.manage", contest.election)
    contest = Contest.objects.select_for_update().select_related("election").get(pk=contest.pk)
    _require_unlocked(contest, text_change=False)
    target = contest.group or contest.unit
    wanted: list[dict] = []
    candidates = ballot_candidates(contest.election, target)
    if contest.is_list:
        lists = {}
        for app in candidates:
            if app.party_list_id:
                lists.setdefault(app.party_list_id, app.party_list)
        for party in lists.values():
            wanted.append(
                {
                    "kind": ContestOption.Kind.PARTY_LIST,
                    "party_list": party,
                    "application": None,
                    "label_ru": party.party_name,
                    "label_en": party.party_name,
                    "label_kk": "",
                    "label_ky": "",
                    "detail_ru": "",
                    "detail_en": "",
                    "left_race": False,
                }
            )
    else:
        for app in candidates:
            label_ru, label_en, detail_ru, detail_en = _candidate_label(app)
            wanted.append(
                {
                    "kind": ContestOption.Kind.CANDIDATE,
                    "application": app,
                    "party_list": None,
                    "label_ru": label_ru,
                    "label_en": label_en,
                    "label_kk": "",
                    "label_ky": "",
                    "detail_ru": detail_ru,
                    "detail_en": detail_en,
                    "left_race": bool(getattr(app, "left_after_ballot_approval", False)),
                }
            )
    wanted.sort(key=lambda w: w["label_ru"].casefold())
    if contest.has_against_all:
        wanted.append(
            {
                "kind": ContestOption.Kind.AGAINST_ALL,
                "application": None,
                "party_list": None,
                **{f"label_{code}": label for code, label in AGAINST_ALL_LABELS.items()},
                "detail_ru": "",
                "detail_en": "",
                "left_race": False,
            }
        )
    _approved_text_unchanged(contest, wanted)
    existing = {(o.kind, o.application_id, o.party_list_id): o for o in contest.options.all()}
    keep = []
    for position, w in enumerate(wanted):
        key = (
            w["kind"],
            w["application"].pk if w["application"] else None,
            w["party_list"].pk if w["party_list"] else None,
        )
        option = existing.pop(key, None) or ContestOption(contest=contest, kind=w["kind"])
        for name in (
            "application",
            "party_list",
            "label_ru",
            "label_en",
            "label_kk",
            "label_ky",
            "detail_ru",
            "detail_en",
            "left_race",
        ):
            setattr(option, name, w[name])
        option.position = position
        option.save()
        keep.append(option)
    for stale in existing.values():
        stale.delete()
    audit_log(
        action="ballots.contest.options_synced",
        actor=actor,
        obj=contest,
        election=contest.election,
        data={"options": [o.label_ru for o in keep]},
    )
    return keep


def _approved_text_unchanged(contest: Contest, wanted: list[dict]) -> None:
    """An approved ballot keeps its options: only a candidate who left the race may be marked
    (seed 003 items 25–26: the name stays on the ballot)."""
    from ..approval import current_text

    text = current_text(contest)
    if text is None:
        return
    approved = [(o["kind"], o["label_ru"], o["detail_ru"]) for o in text.content.get("options", [])]
    if [(w["kind"], w["label_ru"], w["detail_ru"]) for w in wanted] != approved:
        _require_unlocked(contest)  # refuses with the approving decision named


def lock_contests(*, election: Election, actor=None) -> None:
    """Lock every ballot of the election when voting opens (a lifecycle on-enter action)."""
    now = timezone.now()
    locked = Contest.objects.filter(election=election, locked_at__isnull=True).update(locked_at=now)
    if locked:
        audit_log(action="ballots.contest.locked", actor=actor, election=election, data={"contests": locked})


# --- choices --------------------------------------------------------------------------------


def validate_choices(contest: Contest, choices: list[str]) -> list[str]:
    """Check a ballot's choices against the contest's rules; returns them normalised."""
    codes = getattr(contest, "option_by_code", None) or {o.code: o for o in contest.options.all()}
    choices = [c for c in choices if c]
    if len(set(choices)) != len(choices):
        _refuse(_("An option is marked twice."), "duplicate")
    unknown = [c for c in choices if c not in codes]
    if unknown:
        _refuse(_("The ballot holds an option that is not on it."), "unknown_option")
    if not choices:
        if not contest.allows_blank:
            _refuse(_("Mark at least one option."), "blank")
        return []
    against = [c for c in choices if codes[c].kind == ContestOption.Kind.AGAINST_ALL]
    if against and len(choices) > 1:
        _refuse(_("“Against all” cannot be combined with other marks."), "against_all_mixed")
    if contest.method == Method.PLURALITY and len(choices) > contest.max_choices:
        _refuse(_("Mark at most %(n)s option(s).") % {"n": contest.max_choices}, "too_many")
    if contest.is_list and len(choices) > 1:
        _refuse(_("Mark one list."), "too_many")
    return choices


@transaction.atomic
def voting_settings_save(
    *, election: Election, actor, double_entry: bool, reminder_times: list
) -> VotingSettings:
    if actor is not None:
        require(actor, "contest.manage", election)
    settings_row, _created = VotingSettings.objects.get_or_create(election=election)
    settings_row.double_entry = double_entry
    settings_row.reminder_times = [
        t.isoformat() if hasattr(t, "isoformat") else str(t) for t in reminder_times
    ]
    settings_row.full_clean()
    settings_row.save()
    audit_log(
        action="ballots.settings.updated",
        actor=actor,
        election=election,
        data={"double_entry": double_entry, "reminder_times": settings_row.reminder_times},
    )
    return settings_row
