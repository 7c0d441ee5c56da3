"""Ballot sets (issue 21): a contest's anonymised ballots in JSON or as a CSV matrix, read back by
``tally --ballots`` to the same count; the JSON's fingerprint catches any change to its ballots;
malformed files are refused naming what is wrong."""

import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from protocols.counting import TieBreaker, count
from protocols.counting.ballotset import (
    BallotSet,
    PaperBatch,
    SetBallot,
    SetOption,
    parse_ballot_set_csv,
    parse_ballot_set_json,
    to_profile,
    to_vote_counts,
    write_ballot_set_csv,
    write_ballot_set_json,
)
from protocols.counting.blt import parse_blt, write_blt
from protocols.counting.cli import main
from protocols.counting.errors import CountingInputError

OPTIONS = (
    SetOption("a1", "Алиева Айгуль"),
    SetOption("b2", "Борисов Бекзат"),
    SetOption("c3", "Васильева Вера"),
    SetOption("x9", "Против всех", "against_all"),
)


def _set(ballots, method="plurality", seats=1, alternates=1, batches=(), options=OPTIONS):
    return BallotSet(
        options=options,
        ballots=tuple(SetBallot(r, s, tuple(c)) for r, s, c in ballots),
        batches=batches,
        title="Член и альтернат",
        method=method,
        seats=seats,
        alternates=alternates,
        tie_rule="commission",
        tie_fallback="lot",
    )


def _tally(tmp_path, text, *args, suffix="json"):
    path = tmp_path / f"set.{suffix}"
    path.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = main(["--ballots", str(path), *args], out, err)
    return code, (json.loads(out.getvalue()) if out.getvalue() else None), err.getvalue()


def test_a_plurality_set_with_paper_batches_recounts_from_json_and_csv(tmp_path):
    ballots = [
        ("AAAA-1", "valid", ["a1"]),
        ("AAAA-2", "valid", ["b2"]),
        ("AAAA-3", "valid", ["a1"]),
        ("AAAA-4", "valid", ["x9"]),
        ("AAAA-5", "valid", []),
        ("AAAA-6", "invalid", []),
        (None, "late", ["b2"]),
    ]
    batch = PaperBatch("Урна 1", (("b2", 3), ("x9", 1)), blank=1, invalid=2, late=1)
    ballot_set = _set(ballots, batches=(batch,))
    counts = to_vote_counts(ballot_set)
    assert counts.votes == (2, 4, 0) and counts.against_all == 2
    assert (counts.blank, counts.invalid) == (2, 3)  # the late ballots are never counted

    code, report, err = _tally(tmp_path, write_ballot_set_json(ballot_set))
    assert code == 0, err
    assert report["elected"] == ["Борисов Бекзат"] and report["alternates"] == ["Алиева Айгуль"]
    assert "fingerprint" in report["notes"][-1] and "matches" in report["notes"][-1]

    csv_text = write_ballot_set_csv(ballot_set)
    assert (
        csv_text.splitlines()[0]
        == "receipt,status,weight,against_all,Алиева Айгуль,Борисов Бекзат,Васильева Вера"
    )
    again = parse_ballot_set_csv(csv_text)
    assert to_vote_counts(again).votes == counts.votes
    code, from_csv, err = _tally(
        tmp_path, csv_text, "--method", "plurality", "--seats", "1", "--alternates", "1", suffix="csv"
    )
    assert code == 0, err
    assert (from_csv["elected"], from_csv["alternates"]) == (report["elected"], report["alternates"])


def test_a_changed_ballot_breaks_the_fingerprint(tmp_path):
    document = json.loads(write_ballot_set_json(_set([("K-1", "valid", ["a1"]), ("K-2", "valid", ["b2"])])))
    document["ballots"][0]["choices"] = ["b2"]
    with pytest.raises(CountingInputError, match="fingerprint"):
        parse_ballot_set_json(json.dumps(document))
    code, _report, err = _tally(tmp_path, json.dumps(document))
    assert code == 2 and "do not match the file's fingerprint" in err
    del document["ballots"][1]  # a missing ballot too
    with pytest.raises(CountingInputError, match="fingerprint"):
        parse_ballot_set_json(json.dumps(document))


def test_the_commissions_tie_stops_the_recount_as_it_stopped_the_count(tmp_path):
    tied = _set([("T-1", "valid", ["a1"]), ("T-2", "valid", ["b2"])], alternates=0)
    code, report, _err = _tally(tmp_path, write_ballot_set_json(tied))
    assert code == 3 and report["unresolved_tie"]["candidates"] == ["Алиева Айгуль", "Борисов Бекзат"]
    decided = BallotSet(**{**tied.__dict__, "tie_decisions": (("Борисов Бекзат", "Алиева Айгуль"),)})
    code, report, _err = _tally(tmp_path, write_ballot_set_json(decided))
    assert code == 0 and report["elected"] == ["Борисов Бекзат"]


def test_a_ranked_set_recounts_from_json_csv_and_blt_to_the_same_stv_result(tmp_path):
    ballots = [(f"R-{n}", "valid", ["a1", "c3"]) for n in range(5)]
    ballots += [(f"S-{n}", "valid", ["b2", "a1", "c3"]) for n in range(4)]
    ballots += [(f"T-{n}", "valid", ["c3", "b2"]) for n in range(2)]
    ballots += [("U-0", "valid", []), ("U-1", "invalid", [])]
    options = OPTIONS[:3]
    ranked = _set(ballots, method="stv-scottish", seats=2, alternates=0, options=options)
    reports = []
    code, report, err = _tally(tmp_path, write_ballot_set_json(ranked))
    assert code == 0, err
    reports.append(report)
    csv_text = write_ballot_set_csv(ranked)
    assert "S-0,valid,1,,2,1,3" in csv_text  # the preference numbers in the options' columns
    code, report, err = _tally(tmp_path, csv_text, "--method", "stv-scottish", "--seats", "2", suffix="csv")
    assert code == 0, err
    reports.append(report)
    blt = write_blt(to_profile(ranked))
    assert parse_blt(blt).candidates == tuple(o.label for o in options)
    path = tmp_path / "set.blt"
    path.write_text(blt, encoding="utf-8")
    out = io.StringIO()
    assert main(["--method", "stv-scottish", "--blt", str(path)], out, io.StringIO()) == 0
    reports.append(json.loads(out.getvalue()))
    assert {tuple(r["elected"]) for r in reports} == {("Алиева Айгуль", "Борисов Бекзат")}
    assert len({json.dumps(r["stages"], sort_keys=True) for r in reports}) == 1


def test_paper_totals_cannot_be_counted_as_ranked_ballots():
    ranked = _set([("R-1", "valid", ["a1"])], method="irv", batches=(PaperBatch("1", (("a1", 2),)),))
    with pytest.raises(CountingInputError, match="order of preferences"):
        to_profile(ranked)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("receipt,status,weight\n", "header must begin"),
        ("receipt,status,weight,against_all,A,A\n", "unique"),
        ("receipt,status,weight,against_all,A,B\nK-1,spoilt,1,,1,\n", "line 2: unknown status"),
        (
            "receipt,status,weight,against_all,A,B\nK-1,valid,2,,1,\n",
            "line 2: a ballot with a receipt has the weight 1",
        ),
        (
            "receipt,status,weight,against_all,A,B\n,valid,x,,1,\n",
            "line 2: the weight must be a whole number",
        ),
        (
            "receipt,status,weight,against_all,A,B\nK-1,valid,1,,1,,,\n",
            "line 2: 8 cells, but the header has 6",
        ),
    ],
)
def test_a_malformed_csv_set_is_refused_naming_the_line(text, message):
    with pytest.raises(CountingInputError, match=message):
        parse_ballot_set_csv(text)


def test_ranked_csv_preferences_need_one_two_three():
    text = "receipt,status,weight,against_all,A,B,C\nK-1,valid,1,,1,3,\n"
    with pytest.raises(CountingInputError, match="line 2: the preferences must be 1, 2, 3"):
        parse_ballot_set_csv(text, ranked=True)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="other"), "not a ballot set"),
        (lambda d: d.update(version=7), "version 7"),
        (lambda d: d["ballots"][0].update(status="odd"), "ballot 1: unknown status"),
        (lambda d: d["ballots"][0].update(choices=["zz"]), "ballot 1: option code 'zz'"),
        (lambda d: d["ballots"][0].update(choices=["a1", "a1"]), "ballot 1: an option is chosen twice"),
        (lambda d: d["options"].append({"code": "a1", "label": "Дубль"}), "appears twice"),
        (lambda d: d.update(paper_batches=[{"counts": {"a1": -1}}]), "paper batch 1: votes"),
    ],
)
def test_a_malformed_json_set_is_refused_saying_what_is_wrong(change, message):
    document = json.loads(write_ballot_set_json(_set([("K-1", "valid", ["a1"])])))
    change(document)
    document.pop("fingerprint")
    with pytest.raises(CountingInputError, match=message):
        parse_ballot_set_json(json.dumps(document))


def test_the_cli_needs_a_method_and_seats_for_a_csv_set(tmp_path):
    csv_text = "receipt,status,weight,against_all,A,B\nK-1,valid,1,,1,\n"
    code, _r, err = _tally(tmp_path, csv_text, suffix="csv")
    assert code == 2 and "--method is required" in err
    code, _r, err = _tally(tmp_path, csv_text, "--method", "plurality", suffix="csv")
    assert code == 2 and "--seats is required" in err


# --- property: any ballot set survives both formats and counts the same -----------------------

ballot_st = st.tuples(
    st.sampled_from(["valid", "valid", "valid", "invalid", "late"]),
    st.permutations(["a1", "b2", "c3", "x9"]).flatmap(lambda p: st.integers(0, 4).map(lambda k: p[:k])),
)


@given(
    st.lists(ballot_st, max_size=40),
    st.sampled_from(["plurality", "approval", "stv-meek"]),
    st.lists(st.tuples(st.sampled_from(["a1", "b2", "c3", "x9"]), st.integers(0, 9)), max_size=4),
)
@settings(max_examples=60, deadline=None)
def test_any_ballot_set_reads_back_from_json_and_csv_to_the_same_counts(rows, method, batch_counts):
    ranked = method == "stv-meek"
    ballots = [(f"B-{n:04d}", status, list(choices)) for n, (status, choices) in enumerate(rows)]
    if not ranked:  # a plurality/approval ballot marks options, in the order of the ballot
        ballots = [(r, s, sorted(c)) for r, s, c in ballots]
    batches = (
        () if ranked or not batch_counts else (PaperBatch("1", tuple(dict(batch_counts).items()), 1, 2, 0),)
    )
    options = OPTIONS[:3] if ranked else OPTIONS
    if ranked:
        ballots = [(r, s, [c for c in ch if c != "x9"]) for r, s, ch in ballots]
    original = _set(ballots, method=method, seats=2, alternates=0, batches=batches, options=options)
    from_json = parse_ballot_set_json(write_ballot_set_json(original))
    assert from_json.ballots == original.ballots and from_json.fingerprint() == original.fingerprint()
    from_csv = parse_ballot_set_csv(write_ballot_set_csv(original), ranked=ranked)
    if ranked:
        assert to_profile(from_csv).groups == to_profile(original).groups
        first = count(method, profile=to_profile(original), seats=2, tie_breaker=TieBreaker("lot", seed=7))
        again = count(method, profile=to_profile(from_csv), seats=2, tie_breaker=TieBreaker("lot", seed=7))
    else:
        a, b = to_vote_counts(original), to_vote_counts(from_csv)
        assert (a.votes, a.against_all, a.blank, a.invalid) == (b.votes, b.against_all, b.blank, b.invalid)
        first = count("plurality", counts=a, seats=1, alternates=1, tie_breaker=TieBreaker("lot", seed=7))
        again = count("plurality", counts=b, seats=1, alternates=1, tie_breaker=TieBreaker("lot", seed=7))
    assert (first.status, first.elected, first.alternates) == (again.status, again.elected, again.alternates)
