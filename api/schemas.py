"""What the public API returns (OpenAPI 3 components): only what the public pages show — no
e-mails, telephones, document numbers, birth dates, no voter, no commission member's contact."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class ElectionOut(Schema):
    slug: str
    title: str
    title_en: str
    kind: str
    state: str
    time_zone: str
    voting_starts_at: dt.datetime | None
    voting_ends_at: dt.datetime | None


class ActivityOut(Schema):
    number: int
    section: int | None = None
    title: str
    title_en: str
    starts_at: dt.datetime | None
    due_at: dt.datetime | None
    completed_at: dt.datetime | None
    not_applicable: bool


class UnitOut(Schema):
    id: int
    kind: str
    number: int
    name: str
    name_en: str
    parent_number: int | None
    address: str


class CommissionOut(Schema):
    id: int
    kind: str
    name: str
    name_en: str
    parent_id: int | None
    unit_number: int | None
    group: str | None


class GroupOut(Schema):
    slug: str
    name: str
    name_en: str
    seats_members: int
    seats_alternates: int
    decision_rule: str


class CandidateOut(Schema):
    id: int
    name: str
    contest_key: str
    party: str | None
    list_position: int | None
    left_race: bool


class TurnoutCell(Schema):
    time: str
    voters: int | None


class TurnoutRow(Schema):
    precinct_number: int
    voters_on_list: int
    reports: list[TurnoutCell]


class TurnoutOut(Schema):
    times: list[str]
    precincts: list[TurnoutRow]


class AuditHeadOut(Schema):
    sequence: int
    sha256: str
    recorded_at: dt.datetime


class Problem(Schema):
    detail: str


class PreliminaryOption(Schema):
    code: str
    label: str
    votes: int


class PrecinctReport(Schema):
    precinct_number: int
    reported_at: dt.datetime | None
    votes: dict[str, int] | None


class ContestPreliminaryOut(Schema):
    contest_id: int
    title: str
    precincts: int
    reported: int
    options: list[PreliminaryOption]
    precinct_reports: list[PrecinctReport]


class PreliminaryOut(Schema):
    preliminary: bool
    contests: list[ContestPreliminaryOut]


class PreliminaryIn(Schema):
    """One precinct's preliminary figures: protocol lines (e.g. ballots_in_boxes, ballots_invalid,
    ballots_valid) and votes per ballot option code (as in the CSV import)."""

    contest_id: int
    figures: dict[str, int] = {}
    votes: dict[str, int] = {}


class PreliminaryPosted(Schema):
    id: int
    precinct_number: int
    received_at: dt.datetime
    preliminary: bool


class OptionOut(Schema):
    code: str
    label: str
    label_en: str
    kind: str


class ContestOut(Schema):
    id: int
    title: str
    title_en: str
    method: str
    seats: int
    alternates: int
    #: list contests: the threshold in percent of ``threshold_base`` (participants, valid, list)
    threshold_percent: str | None
    threshold_base: str | None
    #: how a tie is settled: backwards / forwards (earlier stages, then the commission) or commission
    tie_rule: str
    group: str | None
    district_number: int | None
    options: list[OptionOut]
    #: the anonymised ballot set's files (format -> URL), once voting has closed; empty for a
    #: contest counted only at the precincts (its protocols are its record)
    ballot_sets: dict[str, str]


class DocumentOut(Schema):
    id: int
    copy_number: int
    language: str
    sha256: str
    size: int
    signed: bool
    url: str


class ProtocolOut(Schema):
    id: int
    contest_id: int
    level: str
    unit_kind: str | None
    unit_number: int | None
    version: int
    status: str
    signed_at: dt.datetime | None
    data_sha256: str
    ballots_fingerprint: str
    corrects_version: int | None
    documents: list[DocumentOut]
