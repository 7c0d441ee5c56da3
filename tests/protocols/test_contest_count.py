"""Counting stored ballots: SQL tallies for single-mark contests, streamed rankings for ranked
ones, paper batches included, the result stored with its report and the engine's version."""

import pytest
from freezegun import freeze_time

from ballots import services as ballot_services
from ballots.models import Ballot, ContestOption
from elections.models import AuditEntry
from elections.services import election_transition
from protocols.counting import ENGINE_VERSION
from protocols.models import ContestCount
from protocols.services import contest_count
from protocols.tallying import contest_tallies, option_votes_sql
from tests.ballots.fixtures import AFTER, OPEN, _counting_member

pytestmark = pytest.mark.django_db


def _ballots(contest, codes_list, status="valid"):
    Ballot.objects.bulk_create(
        [Ballot(contest=contest, choices=codes, status=status, channel="online") for codes in codes_list]
    )


def test_plurality_tally_is_sql_and_includes_counted_paper_batches(vote):
    contest, a, b, against = vote["contest"], vote["alpha"].code, vote["beta"].code, vote["against"].code
    _ballots(contest, [[a]] * 7 + [[b]] * 5 + [[against]] * 2 + [[]] * 1)
    _ballots(contest, [[]] * 2, status="invalid")
    _ballots(contest, [[a]], status="late")
    assert option_votes_sql(contest) == {a: 7, b: 5, against: 2}
    first = _counting_member(vote, "p1@example.org")
    second = _counting_member(vote, "p2@example.org")
    ballot_services.paper_tally_enter(
        contest=contest,
        actor=first,
        batch="1",
        counts={b: 4},
        invalid=1,
        invalid_reasons="две отметки",
        late=1,
    )
    ballot_services.paper_tally_enter(
        contest=contest,
        actor=second,
        batch="1",
        counts={b: 4},
        invalid=1,
        invalid_reasons="две отметки",
        late=1,
    )
    ballot_services.paper_tally_enter(contest=contest, actor=first, batch="2", counts={b: 50})  # unconfirmed
    tallies = contest_tallies(contest)
    assert tallies["votes"] == {a: 7, b: 9, against: 2}
    assert (tallies["blank"], tallies["invalid"], tallies["late"]) == (1, 3, 2)
    stored = contest_count(contest=contest, actor=None)
    assert stored.report["elected"] == ["Борисов Бекзат"]  # the member …
    assert stored.report["alternates"] == ["Алиева Айгуль"]  # … and the alternate (seed 000)
    assert stored.engine_version == ENGINE_VERSION and stored.method == "plurality"
    assert AuditEntry.objects.filter(action="protocols.contest.counted").count() == 1


def test_against_all_never_wins_a_seat(vote):
    contest, a, against = vote["contest"], vote["alpha"].code, vote["against"].code
    _ballots(contest, [[against]] * 10 + [[a]] * 3)
    stored = contest_count(contest=contest, actor=None)
    assert "Против всех" not in stored.report["elected"]
    assert stored.report["elected"][0] == "Алиева Айгуль"


def test_ranked_contest_is_counted_from_streamed_ballots(vote):
    from ballots.models import Contest

    Contest.objects.filter(pk=vote["contest"].pk).update(method="irv", alternates=0, has_against_all=False)
    contest = Contest.objects.get(pk=vote["contest"].pk)
    ContestOption.objects.filter(contest=contest, kind="against_all").delete()
    c = ContestOption.objects.create(contest=contest, kind="candidate", label_ru="Васильева Вера", position=3)
    a, b = vote["alpha"].code, vote["beta"].code
    # first preferences A 4, B 3, C 2; C's ballots go to B: B wins 5–4
    _ballots(contest, [[a]] * 4 + [[b, a]] * 3 + [[c.code, b]] * 2)
    stored = contest_count(contest=contest, actor=None)
    assert stored.report["elected"] == ["Борисов Бекзат"]
    assert len(stored.report["stages"]) >= 2


def test_counted_online_votes_match_the_bulletin_board_fingerprint(vote):
    from ballots.selectors import ballot_set_fingerprint

    with freeze_time(OPEN):
        ballot_services.ballot_cast(credential=vote["credentials"][0], choices=[vote["alpha"].code])
    with freeze_time(AFTER):  # counted after the close, which stores the ballot waiting to be mixed
        election_transition(election=vote["election"], transition="close_voting", actor=None)
    stored = contest_count(contest=vote["contest"], actor=None)
    assert stored.ballots_fingerprint == ballot_set_fingerprint(vote["contest"])
    assert stored.tallies["votes"] == {vote["alpha"].code: 1}
    assert ContestCount.objects.count() == 1
