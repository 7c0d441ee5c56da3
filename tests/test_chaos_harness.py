"""The chaos harness (``make chaos``, scripts/chaos*.py) without its servers: the counts it prints
from given data, and its voter against the real pages of a live test server (so that a change of
the pages that the harness would misread fails here, not in a chaos run)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import chaos_tally as t  # noqa: E402

VOTERS = ["a@x.example", "b@x.example", "c@x.example"]
ELECTOR = {email: f"registration:{n}" for n, email in enumerate(VOTERS)}


def _all_well(**changes):
    data = {
        "voters": VOTERS,
        "outcomes": [t.Outcome(email, t.RECEIPT, receipt=f"R{n}") for n, email in enumerate(VOTERS)],
        "ballot_receipts": ["R0", "R1", "R2"],
        "participations": list(ELECTOR.values()),
        "elector_of": ELECTOR,
        "used": set(VOTERS),
        "mails": [(e, "invitation") for e in VOTERS] + [(e, "confirmation") for e in VOTERS],
    }
    data.update(changes)
    return t.tally(**data)


def test_a_clean_run_counts_nothing_wrong_and_exits_0():
    counts = _all_well(duration_s=12.34)
    assert counts["voted_ok"] == 3 and counts["not_voted"] == 0
    assert counts["lost"] == counts["doubled"] == 0
    assert counts["undelivered_invitations"] == counts["undelivered_confirmations"] == 0
    assert t.exit_code(counts) == 0
    line = t.summary_line(counts)
    assert line.startswith("voters=3 voted_ok=3 ")
    assert [pair.split("=")[0] for pair in line.split()] == list(t.KEYS)
    assert "duration_s=12.3" in line


def test_a_receipt_shown_but_not_stored_is_lost():
    counts = _all_well(ballot_receipts=["R0", "R1"], participations=list(ELECTOR.values())[:2])
    assert counts["lost"] == 1 and counts["doubled"] == 0
    assert t.exit_code(counts) == 1


def test_a_participation_without_its_ballot_is_lost():
    counts = _all_well(
        outcomes=[t.Outcome(e, t.GAVE_UP) for e in VOTERS], ballot_receipts=["R0"], used={VOTERS[0]}
    )
    # three participations, one ballot; nobody was shown a code
    assert counts["lost"] == 2 and counts["not_voted"] == 3


def test_told_recorded_without_a_participation_is_lost():
    outcomes = [
        t.Outcome(VOTERS[0], t.RECORDED),
        t.Outcome(VOTERS[1], t.RECORDED),
        t.Outcome(VOTERS[2], t.GAVE_UP),
    ]
    counts = _all_well(
        outcomes=outcomes,
        ballot_receipts=["R0"],
        participations=[ELECTOR[VOTERS[0]]],
        used={VOTERS[0]},
        mails=[(e, "invitation") for e in VOTERS] + [(VOTERS[0], "confirmation")],
    )
    assert counts["recorded_no_receipt"] == 2 and counts["gave_up"] == 1
    assert counts["lost"] == 1  # the second voter was told "recorded", but is not


def test_ballots_without_participations_and_repeated_codes_are_doubled():
    counts = _all_well(ballot_receipts=["R0", "R1", "R2", "R2"])
    assert counts["doubled"] == 2  # one ballot too many; and R2 stored twice
    outcomes = [t.Outcome(e, t.RECEIPT, receipt="R0") for e in VOTERS[:2]] + [
        t.Outcome(VOTERS[2], t.RECEIPT, "R2")
    ]
    counts = _all_well(outcomes=outcomes, ballot_receipts=["R0", "R0", "R2"])
    assert counts["doubled"] == 2  # R0 stored twice and shown to two voters
    counts = _all_well(
        participations=[*ELECTOR.values(), ELECTOR[VOTERS[0]]], ballot_receipts=["R0", "R1", "R2"]
    )
    assert counts["doubled"] == 1 and counts["lost"] == 1  # a voter twice; a participation without a ballot
    assert t.exit_code(counts) == 1


def test_mails_not_received_exactly_once_are_undelivered_and_exit_2():
    mails = [
        (VOTERS[0], "invitation"),
        (VOTERS[0], "invitation"),  # twice
        (VOTERS[1], "invitation"),  # c gets none
        ("stranger@x.example", "invitation"),
        (VOTERS[0], "confirmation"),
        (VOTERS[1], "confirmation"),
        (VOTERS[1], "confirmation"),  # twice; c gets none
    ]
    counts = _all_well(mails=mails)
    assert counts["undelivered_invitations"] == 3  # a twice, c never, a stranger
    assert counts["undelivered_confirmations"] == 2
    assert counts["duplicate_mails"] == 2
    assert counts["lost"] == counts["doubled"] == 0
    assert t.exit_code(counts) == 2
    # a confirmation for a vote that is not recorded is wrong too
    counts = _all_well(used=set(VOTERS[:2]))
    assert counts["undelivered_confirmations"] == 1


def test_dead_links_fail_the_run():
    outcomes = [t.Outcome(VOTERS[0], t.DEAD_LINK)] + [
        t.Outcome(e, t.RECEIPT, f"R{n + 1}") for n, e in enumerate(VOTERS[1:])
    ]
    counts = _all_well(
        outcomes=outcomes, ballot_receipts=["R1", "R2"], participations=list(ELECTOR.values())[1:]
    )
    assert counts["dead_links"] == 1 and counts["lost"] == 0
    assert t.exit_code(counts) == 2


def test_mail_kinds_and_the_invitation_link():
    body = "Hello!\n\nYour personal link (it can be used once; do not forward it):\nhttp://127.0.0.1:8123/elections/chaos/voters/invitation/AbC_d-9/"
    assert t.invitation_path(body) == "/elections/chaos/voters/invitation/AbC_d-9/"
    assert t.mail_kind(body) == "invitation"
    assert t.mail_kind("Your ballot was received at 10:00.") == "confirmation"


def test_the_harness_plays_the_minute_sweeps_of_the_beat_schedule(settings):
    import datetime as dt

    import chaos

    played = chaos.minute_sweeps(settings.CELERY_BEAT_SCHEDULE)
    assert {"ballots.send_pending_vote_confirmations", "ballots.audit_participations"} <= set(played)
    assert "elections.verify_audit_chain" not in played  # nightly
    schedule = {
        "a": {"task": "x", "schedule": dt.timedelta(seconds=30)},
        "b": {"task": "y", "schedule": 3600},
    }
    assert chaos.minute_sweeps(schedule) == ["x"]


@pytest.mark.django_db(transaction=True)
def test_the_harness_voter_votes_through_the_real_pages(live_server, mailoutbox):
    """The harness's election, invitations by the portal's service, and its voter on a live
    server: the receipt it reads is the stored ballot's; the same link again says "recorded"."""
    import chaos
    import chaos_voter

    from ballots.models import Ballot
    from elections.services import election_transition
    from voters.services import credentials_issue

    election, contest = chaos.prepare(2)
    credentials_issue(election=election, actor=None)
    election_transition(election=election, transition="open_voting", actor=None)
    links = {m.to[0]: t.invitation_path(m.body) for m in mailoutbox}
    assert set(links) == {"voter0@chaos.example", "voter1@chaos.example"} and all(links.values())

    port = int(live_server.url.rsplit(":", 1)[1])
    rng = __import__("random").Random(1)
    outcome = chaos_voter.Voter("voter0@chaos.example", port, rng=rng, retries=2).vote(
        links["voter0@chaos.example"]
    )
    assert outcome.result == t.RECEIPT, outcome.note
    from ballots.mixing import ballots_mix_final

    ballots_mix_final(election=contest.election)  # what closing voting does: the waiting ballot is stored
    assert list(Ballot.objects.filter(contest=contest).values_list("receipt", flat=True)) == [outcome.receipt]
    again = chaos_voter.Voter("voter0@chaos.example", port, rng=rng, retries=2).vote(
        links["voter0@chaos.example"]
    )
    assert again.result == t.RECORDED
    assert Ballot.objects.filter(contest=contest).count() == 1
