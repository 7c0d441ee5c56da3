"""The offline channels: participation at the assembly, on paper or by e-mail, paper ballots and
the tallies of paper batches, and their recount. Every write is one transaction."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import require
from elections.audit import audit_log
from groups.models import CommissionMember
from groups.services import require_coi_declared

from .. import selectors
from ..models import (
    Ballot,
    Channel,
    Contest,
    PaperTally,
    Participation,
)
from ._common import _readonly_observer, _refuse
from .contests import validate_choices

# --- offline channels ----------------------------------------------------------------------


def _require_counting_member(actor, contest: Contest) -> None:
    require(actor, "ballot.enter_paper", contest.group or contest.election)
    _readonly_observer(actor, contest.election)
    commission = selectors.counting_commission(actor, contest)
    if commission is None and not actor.is_superuser:
        raise PermissionDenied(
            _("Only members of the commission that counts this contest may enter ballots.")
        )
    if commission is not None:
        require_coi_declared(actor, commission)


@transaction.atomic
def participation_record_offline(*, contest: Contest, voter, channel: str, actor) -> Participation:
    """Mark a voter as having voted at the assembly, on paper or by e-mail (seed 000 item 20).

    The same unique constraint as online voting refuses a second vote in any channel."""
    if channel == Channel.ONLINE:
        raise ValueError("online participation is recorded by ballot_cast")
    if actor is not None:
        _require_counting_member(actor, contest)
    key = f"registration:{voter.pk}" if voter._meta.model_name == "voterregistration" else f"entry:{voter.pk}"
    try:
        with transaction.atomic():
            participation = Participation.objects.create(
                election=contest.election, contest=contest, elector=key, channel=channel, recorded_by=actor
            )
    except IntegrityError:
        existing = Participation.objects.get(election=contest.election, elector=key)
        _refuse(
            _("This voter has already voted (%(channel)s).") % {"channel": existing.get_channel_display()},
            "already_voted",
        )
    credential = getattr(voter, "credential", None)
    if credential is not None and credential.revoked_at is None:
        type(credential).objects.filter(pk=credential.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    audit_log(
        action="ballots.participation.recorded",
        actor=actor,
        election=contest.election,
        data={"contest": contest.pk, "elector": key, "channel": channel},
    )
    return participation


@transaction.atomic
def paper_ballot_enter(
    *,
    contest: Contest,
    actor,
    choices: list[str],
    status: str = Ballot.Status.VALID,
    invalid_reason: str = "",
    channel: str = Channel.PAPER,
) -> Ballot:
    """Enter one paper/assembly/e-mailed ballot as read by the commission: valid, invalid (with a
    reason) or late (received after close). Needed for ranked contests."""
    if actor is not None:
        _require_counting_member(actor, contest)
    if status == Ballot.Status.VALID:
        choices = validate_choices(contest, choices)
    elif status == Ballot.Status.INVALID:
        if not invalid_reason.strip():
            _refuse(_("Say why the ballot is invalid."), "reason")
        choices = []
    ballot = Ballot.objects.create(
        contest=contest, choices=list(choices), status=status, invalid_reason=invalid_reason, channel=channel
    )
    audit_log(
        action="ballots.paper_ballot.entered",
        actor=actor,
        election=contest.election,
        data={"contest": contest.pk, "channel": channel, "status": status},
    )
    return ballot


@transaction.atomic
def paper_tally_enter(
    *,
    contest: Contest,
    actor,
    batch: str,
    counts: dict[str, int],
    blank: int = 0,
    invalid: int = 0,
    invalid_reasons: str = "",
    late: int = 0,
    channel: str = Channel.PAPER,
    meeting=None,
) -> PaperTally:
    """Enter the totals of one batch of paper ballots. With double entry the batch counts once two
    members' entries match (``selectors.paper_batches``). ``meeting``: the assembly of voters the
    ballots were cast at (channel "assembly")."""
    if actor is None:
        raise ValueError("paper tallies are entered by a commission member")
    _require_counting_member(actor, contest)
    if contest.is_ranked:
        _refuse(
            _(
                "A ranked ballot counts by its order of preferences, which batch totals cannot carry: "
                "enter each paper ballot on its own."
            ),
            "ranked_batch",
        )
    codes = {o.code for o in contest.options.all()}
    unknown = set(counts) - codes
    if unknown:
        _refuse(_("The entry holds an option that is not on the ballot."), "unknown_option")
    if any(int(v) < 0 for v in counts.values()) or min(blank, invalid, late) < 0:
        _refuse(_("Numbers of ballots cannot be negative."), "negative")
    if invalid and not invalid_reasons.strip():
        _refuse(_("Say why the invalid ballots are invalid."), "reason")
    if not batch.strip():
        _refuse(_("Name the batch (e.g. the box number)."), "batch")
    if meeting is not None:
        if channel != Channel.ASSEMBLY:
            _refuse(_("Only ballots cast at the assembly are linked to an assembly."), "meeting_channel")
        if meeting not in selectors.assemblies_of(contest):
            _refuse(_("Choose an assembly of voters of this election that was not cancelled."), "meeting")
    Contest.objects.select_for_update().filter(pk=contest.pk).first()  # one entry at a time per contest
    current = list(
        PaperTally.objects.filter(
            contest=contest, batch=batch.strip(), superseded_at__isnull=True
        ).select_related("entered_by")
    )
    if any(e.entered_by_id == actor.pk for e in current):
        _refuse(
            _("You have already entered this batch; the second entry must come from another member."),
            "duplicate_entry",
        )
    double = selectors.voting_settings(contest.election).double_entry
    if len(current) >= (2 if double else 1):
        _refuse(
            _(
                "This batch is already entered (by %(names)s). If the figures are wrong or the two "
                "entries differ, the chair of the commission orders a recount of the batch; then it is "
                "entered again."
            )
            % {"names": ", ".join(e.entered_by.full_name or e.entered_by.email for e in current)},
            "batch_complete",
        )
    tally = PaperTally(
        contest=contest,
        batch=batch.strip(),
        channel=channel,
        entered_by=actor,
        counts={k: int(v) for k, v in counts.items() if int(v)},
        blank=blank,
        invalid=invalid,
        invalid_reasons=invalid_reasons,
        late=late,
        meeting=meeting,
    )
    try:
        with transaction.atomic():
            tally.save()
    except IntegrityError:
        _refuse(
            _("You have already entered this batch; the second entry must come from another member."),
            "duplicate_entry",
        )
    audit_log(
        action="ballots.paper_tally.entered",
        actor=actor,
        election=contest.election,
        data={
            "contest": contest.pk,
            "batch": tally.batch,
            "totals": tally.totals(),
            "meeting_id": meeting.pk if meeting is not None else None,
        },
    )
    return tally


RECOUNT_POSITIONS = ("chair", "deputy")
#: functions ``guard(contest) -> str | None`` that may refuse a recount with a reason; ``protocols``
#: registers one (a protocol being signed), so that ballots need not know protocols
RECOUNT_GUARDS: list = []


@transaction.atomic
def paper_batch_recount_order(*, contest: Contest, batch: str, actor, reason: str) -> int:
    """The chair (or deputy chair) of the counting commission orders a recount of a batch whose
    entries differ — or whose single entry is wrong (issue 15: a double entry always ends).

    The paper ballots of the batch are counted again and entered anew: by two members with double
    entry (the same two or others), by one without. The current entries are kept for the record,
    marked superseded with the chair's reason and time, and no longer count. Refused once the
    contest's protocol is being signed (a correction is needed then). Returns the number of
    entries superseded."""

    _require_counting_member(actor, contest)
    commission = selectors.counting_commission(actor, contest)
    position = (
        CommissionMember.objects.filter(commission=commission, user=actor, is_active=True)
        .values_list("position", flat=True)
        .first()
        if commission is not None
        else None
    )
    if position not in RECOUNT_POSITIONS:
        raise PermissionDenied(_("Only the chair or the deputy chair of the commission orders a recount."))
    if not reason.strip():
        _refuse(
            _("Say why the batch is counted again (e.g. the two entries differ in the votes for A)."),
            "reason",
        )
    for guard in RECOUNT_GUARDS:
        refusal = guard(contest)
        if refusal:
            _refuse(refusal, "recount_refused")
    Contest.objects.select_for_update().filter(pk=contest.pk).first()
    current = list(
        PaperTally.objects.select_for_update().filter(
            contest=contest, batch=batch, superseded_at__isnull=True
        )
    )
    if not current:
        _refuse(_("This batch has no entries to count again."), "no_entries")
    now = timezone.now()
    PaperTally.objects.filter(pk__in=[e.pk for e in current]).update(
        superseded_at=now, superseded_by=actor, superseded_reason=reason.strip()
    )
    audit_log(
        action="ballots.paper_tally.recount_ordered",
        actor=actor,
        election=contest.election,
        data={
            "contest": contest.pk,
            "batch": batch,
            "reason": reason.strip(),
            "superseded": [{"entry": e.pk, "member": e.entered_by_id, "totals": e.totals()} for e in current],
        },
    )
    return len(current)
