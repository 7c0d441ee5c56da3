"""The published results in the NIST SP 1500-100 version 2 Election Results Common Data Format
(JSON), built from the open data (``publication_selectors.open_data``), so both say the same.

* reporting units: the election (``gp-election``), each group or electoral district
  (``gp-g-<slug>``, ``gp-d-<number>``, both of ``Type`` ``other``) and each precinct
  (``gp-p-<number>``), nested by ``ComposingGpUnitIds``;
* a party-list contest is a ``PartyContest`` with a ``PartySelection`` per list; any other is a
  ``CandidateContest`` with a ``CandidateSelection`` per candidate; "against all" is a
  ``CandidateSelection`` without candidates whose id ends in ``-against-all`` (said in ``Notes``),
  whether the counts list it among the options (a group's ballot) or among the special lines of a
  protocol (a council's);
* votes per selection and reporting unit (``Type`` ``total``) from the result of the contest (the
  group protocol or the CEC's result) and from every lower protocol (a TEC's summary, a precinct's),
  each unit once: a TEC's summary of the whole district is the same unit as the CEC's result for
  it, and the result is the one given; seats won as ``Type`` ``seats`` at the contest's unit;
  ballots cast and rejected per unit.

Ids are stable: they come from the contest's id, the option's code, the units' numbers."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from elections.models import Election

from .publication_selectors import open_data

AGAINST_ALL = "against_all"
KG_BALLOTS_CAST = ("ballots_in_boxes", "ballots_total")


def _text(ru: str, en: str = "") -> dict:
    texts = [{"@type": "ElectionResults.LanguageString", "Content": ru, "Language": "ru"}]
    if en:
        texts.append({"@type": "ElectionResults.LanguageString", "Content": en, "Language": "en"})
    return {"@type": "ElectionResults.InternationalizedText", "Text": texts}


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _unit_id(unit: dict | None, contest: dict) -> str:
    if unit is None:
        return f"gp-g-{contest['group']}" if contest.get("group") else f"gp-d-{contest['district_number']}"
    prefix = {"precinct": "p", "district": "d"}.get(unit["kind"], unit["kind"][:1])
    return f"gp-{prefix}-{unit['number']}"


def _against_all(record: dict) -> int | None:
    """The votes "against all" of a protocol that counts them among its special lines."""
    return next((s["number"] for s in record.get("special") or [] if s["code"] == AGAINST_ALL), None)


def nist_results(election: Election, *, generated: dt.datetime | None = None) -> dict:
    data = open_data(election)
    units: dict[str, dict] = {}
    children: dict[str, set[str]] = {"gp-election": set()}
    parties: dict[str, dict] = {}
    candidates: dict[str, dict] = {}
    contests = []
    ballot_counts = []

    def unit(uid: str, kind: str, name: str, number=None, parent: str = "gp-election") -> None:
        if uid not in units:
            units[uid] = {
                "@id": uid,
                "@type": "ElectionResults.ReportingUnit",
                "Type": kind,
                "Name": _text(name),
            }
            if number is not None:
                units[uid]["Number"] = str(number)
            children.setdefault(parent, set()).add(uid)

    for c in data["contests"]:
        contest_unit = _unit_id(None, c)
        district = next(
            (p["unit"] for p in c["lower_protocols"] if p["unit"] and p["unit"]["kind"] == "district"), None
        )
        unit(
            contest_unit,
            "other",
            c["title"] if c.get("group") else (district or {}).get("name") or f"{c['district_number']}",
            c.get("district_number"),
        )
        # NIST has no type for an electoral district (okrug) or an electoral group
        units[contest_unit]["OtherType"] = "electoral-group" if c.get("group") else "electoral-district"
        records = ([c["result"]] if c["result"] else []) + c["lower_protocols"]
        if not records:
            continue
        is_party = any(o["kind"] == "party_list" for o in records[0]["options"])
        selections: dict[str, dict] = {}
        for o in records[0]["options"]:
            sid = f"sel-{c['id']}-{o['code']}" if o["kind"] != AGAINST_ALL else f"sel-{c['id']}-against-all"
            if o["kind"] == "party_list":
                pid = f"party-{c['id']}-{o['code']}"
                parties[pid] = {
                    "@id": pid,
                    "@type": "ElectionResults.Party",
                    "Name": _text(o["label"], o.get("label_en", "")),
                }
                selections[o["code"]] = {
                    "@id": sid,
                    "@type": "ElectionResults.PartySelection",
                    "PartyIds": [pid],
                    "VoteCounts": [],
                }
            elif o["kind"] == AGAINST_ALL and is_party:
                continue  # a party contest has party selections only: "against all" goes to Notes
            else:
                selection = {"@id": sid, "@type": "ElectionResults.CandidateSelection", "VoteCounts": []}
                if o["kind"] != AGAINST_ALL:
                    cid = f"cand-{c['id']}-{o['code']}"
                    candidates[cid] = {
                        "@id": cid,
                        "@type": "ElectionResults.Candidate",
                        "BallotName": _text(o["label"], o.get("label_en", "")),
                    }
                    selection["CandidateIds"] = [cid]
                    if o.get("elected"):
                        candidates[cid]["PostElectionStatus"] = "winner"
                selections[o["code"]] = selection
        listed = any(o["kind"] == AGAINST_ALL for o in records[0]["options"])
        if not is_party and not listed and any(_against_all(r) is not None for r in records):
            # a council's protocol counts "against all" among its special lines, not its options
            selections[AGAINST_ALL] = {
                "@id": f"sel-{c['id']}-against-all",
                "@type": "ElectionResults.CandidateSelection",
                "VoteCounts": [],
            }
        reported: set[str] = set()
        for record in records:
            uid = _unit_id(record["unit"], c) if record["unit"] else contest_unit
            if uid in reported:
                continue  # the TEC's summary of the district the CEC's result already gives
            reported.add(uid)
            if record["unit"] and record["unit"]["kind"] == "precinct":
                unit(uid, "precinct", record["unit"]["name"], record["unit"]["number"], parent=contest_unit)
            against_all = _against_all(record)
            counted = record["options"]
            if against_all is not None and not any(o["kind"] == AGAINST_ALL for o in counted):
                counted = [*counted, {"code": AGAINST_ALL, "kind": AGAINST_ALL, "votes": against_all}]
            for o in counted:
                selection = selections.get(o["code"])
                if selection is None or o["votes"] is None:
                    continue
                selection["VoteCounts"].append(
                    {
                        "@type": "ElectionResults.VoteCounts",
                        "Count": o["votes"],
                        "GpUnitId": uid,
                        "Type": "total",
                    }
                )
                if record is c["result"] and o.get("seats"):
                    selection["VoteCounts"].append(
                        {
                            "@type": "ElectionResults.VoteCounts",
                            "Count": o["seats"],
                            "GpUnitId": uid,
                            "Type": "seats",
                        }
                    )
            figures = record.get("figures", {})
            cast = next((figures[k] for k in KG_BALLOTS_CAST if figures.get(k) is not None), None)
            if cast is not None:
                ballot_counts.append(
                    {
                        "@type": "ElectionResults.BallotCounts",
                        "GpUnitId": uid,
                        "Type": "total",
                        "BallotsCast": int(cast),
                        **(
                            {"BallotsRejected": int(figures["ballots_invalid"])}
                            if figures.get("ballots_invalid") is not None
                            else {}
                        ),
                    }
                )
        contest = {
            "@id": f"contest-{c['id']}",
            "@type": "ElectionResults.PartyContest" if is_party else "ElectionResults.CandidateContest",
            "ElectionDistrictId": contest_unit,
            "Name": c["title"],
            "ContestSelection": list(selections.values()),
            "VoteVariation": "proportional" if is_party else "plurality",
        }
        if not is_party:
            contest["VotesAllowed"] = 1
            contest["NumberElected"] = int(c["seats"])
        contests.append(contest)
    for uid, kids in children.items():
        if uid in units and kids:
            units[uid]["ComposingGpUnitIds"] = sorted(kids)
    election_unit = {
        "@id": "gp-election",
        "@type": "ElectionResults.ReportingUnit",
        "Type": "other",
        "OtherType": "election",
        "Name": _text(election.title_ru, election.title_en),
        "ComposingGpUnitIds": sorted(children["gp-election"]),
    }
    starts = (
        timezone.localtime(election.voting_starts_at, election.tz).date()
        if election.voting_starts_at
        else None
    )
    ends = (
        timezone.localtime(election.voting_ends_at, election.tz).date() if election.voting_ends_at else starts
    )
    published = data["election"]["published_at"]
    return {
        "@type": "ElectionResults.ElectionReport",
        "Format": "precinct-level",
        "GeneratedDate": _stamp(
            generated or (dt.datetime.fromisoformat(published) if published else timezone.now())
        ),
        "Issuer": "Election Portal",
        "IssuerAbbreviation": "EP",
        "SequenceStart": 1,
        "SequenceEnd": 1,
        "Status": "certified"
        if election.state in (Election.State.PUBLISHED, Election.State.ARCHIVED)
        else "unofficial-partial",
        "VendorApplicationId": "Election Portal (NIST SP 1500-100 v2 export)",
        "Notes": "A selection whose id ends in '-against-all' counts the votes 'against all'; in a party "
        "contest those votes are in the open data only.",
        "GpUnit": [election_unit, *units.values()],
        "Party": list(parties.values()),
        "Election": [
            {
                "@type": "ElectionResults.Election",
                "ElectionScopeId": "gp-election",
                "Name": _text(election.title_ru, election.title_en),
                "StartDate": (starts or timezone.localdate()).isoformat(),
                "EndDate": (ends or timezone.localdate()).isoformat(),
                "Type": "special" if election.kind == Election.Kind.LOCAL_COUNCIL else "other",
                "Candidate": list(candidates.values()),
                "Contest": contests,
                "BallotCounts": ballot_counts,
            }
        ],
    }
