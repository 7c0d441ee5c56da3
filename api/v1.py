"""The public read API, ``/api/v1/`` (django-ninja: the OpenAPI 3 document is generated from these
functions and served at ``/api/v1/schema/``, browsable at ``/api/v1/docs/``).

Everything here is what the public pages show, for elections that are public: no e-mail,
telephone, document number or birth date, no voter, no commission member's contact. Lists are
paginated (``limit``/``offset``) and filtered by election in the path, by unit where it applies.
Every GET answers with an ETag (and 304 to If-None-Match), allows any origin (CORS, GET only) and is
rate limited per client address (``API_RATE``). Ids are the portal's own and do not change.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Status
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import HttpBearer
from ninja.throttling import AnonRateThrottle

from ballots.models import Contest
from candidates.selectors import ballot_candidates
from elections.audit import current_head
from elections.models import Election
from elections.selectors import calendar_of, elections_visible_to
from groups.models import Commission, ElectoralGroup, TerritorialUnit
from polling.selectors import turnout_is_public, turnout_table
from protocols import ballot_sets, preliminary_public
from protocols.counting.ballotset import write_ballot_set_csv, write_ballot_set_json
from protocols.models import Protocol
from protocols.nist import nist_results
from protocols.publication_selectors import is_published, open_data
from protocols.ties import tie_breaker_for

from .schemas import (
    ActivityOut,
    AuditHeadOut,
    CandidateOut,
    CommissionOut,
    ContestOut,
    ElectionOut,
    GroupOut,
    PreliminaryIn,
    PreliminaryOut,
    PreliminaryPosted,
    Problem,
    ProtocolOut,
    TurnoutOut,
    UnitOut,
)
from .services import preliminary_post, token_for


class PortalAPI(NinjaAPI):
    """NinjaAPI whose schema also documents the answers every operation may give besides its own:
    422 (a query parameter is not valid), 429 (too many requests) and, under an election, 404."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        problem = {"application/json": {"schema": {"type": "object", "properties": {"detail": {}}}}}
        for path, operations in schema["paths"].items():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                responses.setdefault(
                    422, {"description": "A query parameter is not valid.", "content": problem}
                )
                responses.setdefault(
                    429, {"description": "Too many requests: slow down.", "content": problem}
                )
                if "{slug}" in path:
                    responses.setdefault(
                        404, {"description": "No public election of this name.", "content": problem}
                    )
        return schema


api = PortalAPI(
    title="Election Portal — public API",
    version="1",
    description=__doc__,
    urls_namespace="api-v1",
    openapi_url="/schema/",
    docs_url="/docs/",
    throttle=[AnonRateThrottle(getattr(settings, "API_RATE", "120/m"))],
)


def _election(request, slug: str) -> Election:
    election = elections_visible_to(AnonymousUser()).filter(slug=slug).first()
    if election is None:
        raise Http404
    return election


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.get("/elections/", response=list[ElectionOut], tags=["elections"])
@paginate(LimitOffsetPagination)
def elections(request):
    """The public elections."""
    return [_election_out(e) for e in elections_visible_to(AnonymousUser()).order_by("pk")]


def _election_out(e: Election) -> dict:
    return {
        "slug": e.slug,
        "title": e.title_ru,
        "title_en": e.title_en,
        "kind": e.kind,
        "state": e.state,
        "time_zone": e.time_zone,
        "voting_starts_at": e.voting_starts_at,
        "voting_ends_at": e.voting_ends_at,
    }


@api.get("/elections/{slug}/", response={200: ElectionOut, 404: Problem}, tags=["elections"])
def election(request, slug: str):
    return _election_out(_election(request, slug))


@api.get("/elections/{slug}/calendar/", response=list[ActivityOut], tags=["elections"])
@paginate(LimitOffsetPagination)
def calendar(request, slug: str):
    """The election's calendar plan: every activity with its dates."""
    plan = calendar_of(_election(request, slug))
    if plan is None:
        return []
    return [
        {
            "number": a.number,
            "section": a.section,
            "title": a.title_ru,
            "title_en": a.title_en,
            "starts_at": a.starts_at,
            "due_at": a.due_at,
            "completed_at": a.completed_at,
            "not_applicable": a.is_not_applicable,
        }
        for a in plan.activities.order_by("section", "number")
    ]


@api.get("/elections/{slug}/units/", response=list[UnitOut], tags=["structure"])
@paginate(LimitOffsetPagination)
def units(request, slug: str, kind: str | None = None, parent: int | None = None):
    """Districts and precincts; ``kind`` (district, precinct), ``parent`` (the district's number)."""
    rows = TerritorialUnit.objects.filter(election=_election(request, slug)).select_related("parent")
    if kind:
        rows = rows.filter(kind=kind)
    if parent is not None:
        rows = rows.filter(parent__number=parent)
    return [
        {
            "id": u.pk,
            "kind": u.kind,
            "number": u.number,
            "name": u.name_ru,
            "name_en": u.name_en,
            "parent_number": u.parent.number if u.parent_id else None,
            "address": u.address,
        }
        for u in rows.order_by("kind", "number")
    ]


@api.get("/elections/{slug}/groups/", response=list[GroupOut], tags=["structure"])
@paginate(LimitOffsetPagination)
def groups(request, slug: str):
    return [
        {
            "slug": g.slug,
            "name": g.name_ru,
            "name_en": g.name_en,
            "seats_members": g.seats_members,
            "seats_alternates": g.seats_alternates,
            "decision_rule": g.decision_rule,
        }
        for g in ElectoralGroup.objects.filter(election=_election(request, slug)).order_by("order", "pk")
    ]


@api.get("/elections/{slug}/commissions/", response=list[CommissionOut], tags=["structure"])
@paginate(LimitOffsetPagination)
def commissions(request, slug: str, unit: int | None = None):
    """The commissions (no members' contacts); ``unit``: the district's or precinct's number."""
    rows = Commission.objects.filter(election=_election(request, slug)).select_related("unit", "group")
    if unit is not None:
        rows = rows.filter(unit__number=unit)
    return [
        {
            "id": c.pk,
            "kind": c.kind,
            "name": c.name_ru,
            "name_en": c.name_en,
            "parent_id": c.parent_id,
            "unit_number": c.unit.number if c.unit_id else None,
            "group": c.group.slug if c.group_id else None,
        }
        for c in rows.order_by("kind", "pk")
    ]


@api.get("/elections/{slug}/candidates/", response=list[CandidateOut], tags=["candidates"])
@paginate(LimitOffsetPagination)
def candidates(request, slug: str):
    """Who is on the ballots: registered candidates (and those who left the race after the ballot
    was approved, marked), by group or district."""
    election = _election(request, slug)
    out = []
    targets = [
        *ElectoralGroup.objects.filter(election=election).order_by("pk"),
        *TerritorialUnit.objects.filter(election=election, kind="district").order_by("number"),
    ]
    for target in targets:
        for a in ballot_candidates(election, target):
            out.append(
                {
                    "id": a.pk,
                    "name": a.full_name,
                    "contest_key": f"g-{target.slug}"
                    if isinstance(target, ElectoralGroup)
                    else f"d-{target.number}",
                    "party": a.party_list.party_name if a.party_list_id else None,
                    "list_position": a.list_position,
                    "left_race": bool(a.left_after_ballot_approval),
                }
            )
    return out


@api.get("/elections/{slug}/turnout/", response={200: TurnoutOut, 404: Problem}, tags=["results"])
def turnout(request, slug: str):
    """Turnout by hour at each precinct, once voting has opened (never results)."""
    election = _election(request, slug)
    if not turnout_is_public(election):
        raise Http404
    table = turnout_table(election)
    return {
        "times": table.times,
        "precincts": [
            {
                "precinct_number": r["unit"].number,
                "voters_on_list": r["on_list"],
                "reports": [
                    {"time": t, "voters": c["voters"]} for t, c in zip(table.times, r["cells"], strict=True)
                ],
            }
            for r in table.rows
        ],
    }


@api.get("/elections/{slug}/results/", tags=["results"], response={200: dict, 404: Problem})
def results(request, slug: str):
    """The published results: every contest's result and its lower protocols (the open data)."""
    election = _election(request, slug)
    if not is_published(election):
        raise Http404
    return open_data(election)


@api.get("/elections/{slug}/contests/", response=list[ContestOut], tags=["results"])
@paginate(LimitOffsetPagination)
def contests(request, slug: str):
    """What is voted on: each contest with its options (codes as in the results and the ballot
    sets) and, once voting has closed, the links to its anonymised ballot set."""
    election = _election(request, slug)
    public = ballot_sets.is_public(election)
    online = {c.pk for c in ballot_sets.online_contests(election)} if public else set()
    out = []
    for c in Contest.objects.filter(election=election).select_related("group", "unit").order_by("pk"):
        out.append(
            {
                "id": c.pk,
                "title": c.title_ru,
                "title_en": c.title_en,
                "method": c.method,
                "seats": c.seats,
                "alternates": c.alternates,
                "threshold_percent": str(c.threshold_percent) if c.threshold_percent is not None else None,
                "threshold_base": c.threshold_base if c.is_list else None,
                "tie_rule": tie_breaker_for(c).rule,
                "group": c.group.slug if c.group_id else None,
                "district_number": c.unit.number if c.unit_id else None,
                "options": [
                    {"code": o.code, "label": o.label_ru, "label_en": o.label_en, "kind": o.kind}
                    for o in c.options.all()
                ],
                "ballot_sets": {
                    fmt: reverse("api-v1:ballot_set", kwargs={"slug": slug, "contest_id": c.pk, "fmt": fmt})
                    for fmt in ballot_sets.formats_for(c)
                }
                if c.pk in online
                else {},
            }
        )
    return out


_BALLOT_SET_RESPONSES = {
    "200": {
        "description": "The ballot set: JSON (complete), CSV (one row per ballot) or BLT (ranked contests).",
        "content": {
            "application/json": {"schema": {"type": "object"}},
            "text/csv": {"schema": {"type": "string"}},
            "text/plain": {"schema": {"type": "string"}},
        },
    }
}


@api.get(
    "/elections/{slug}/contests/{contest_id}/ballots.{fmt}",
    url_name="ballot_set",
    tags=["results"],
    response={404: Problem},
    openapi_extra={"responses": _BALLOT_SET_RESPONSES},
)
def ballot_set(request, slug: str, contest_id: int, fmt: str):
    """A contest's anonymised ballot set as the bulletin board publishes it, once voting has
    closed: ``json`` (ballots, paper batches' totals, the count's parameters and the protocol's
    fingerprint), ``csv`` (one row per ballot, one column per option) or ``blt`` (ranked contests).
    Recount it with ``manage.py tally --ballots FILE`` or another tool."""
    election = _election(request, slug)
    contest = Contest.objects.filter(election=election, pk=contest_id).first()
    if contest is None or not ballot_sets.is_public(election) or fmt not in ballot_sets.FORMATS:
        raise Http404
    if not ballot_sets.formats_for(contest):
        return Status(
            404, {"detail": _("This contest was counted at the precincts: its protocols are its record.")}
        )
    if fmt not in ballot_sets.formats_for(contest):
        return Status(
            404, {"detail": _("BLT holds ranked ballots; this contest is not ranked. Take the JSON or CSV.")}
        )
    from ballots.services import ballots_settle

    ballots_settle(election=election)  # as the board: no ballot that raced the close is missing
    name = f"{slug}-contest-{contest.pk}-ballots.{fmt}"
    if fmt == "json":
        body, content_type = write_ballot_set_json(ballot_sets.ballot_set(contest)), "application/json"
    elif fmt == "csv":
        body, content_type = write_ballot_set_csv(ballot_sets.ballot_set(contest)), "text/csv; charset=utf-8"
    else:
        body, content_type = ballot_sets.ballot_set_blt(contest), "text/plain; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@api.get("/elections/{slug}/protocols/", response=list[ProtocolOut], tags=["results"])
@paginate(LimitOffsetPagination)
def protocols(request, slug: str, unit: int | None = None, contest: int | None = None):
    """The signed protocols of a published election, superseded versions included, with their
    signed documents (PDF) and hashes; ``unit``: the precinct's or district's number."""
    election = _election(request, slug)
    if not is_published(election):
        raise Http404
    rows = (
        Protocol.objects.filter(
            election=election, status__in=(Protocol.Status.SIGNED, Protocol.Status.SUPERSEDED)
        )
        .select_related("unit", "supersedes")
        .prefetch_related("documents")
    )
    if unit is not None:
        rows = rows.filter(unit__number=unit)
    if contest is not None:
        rows = rows.filter(contest_id=contest)
    return [
        {
            "id": p.pk,
            "contest_id": p.contest_id,
            "level": p.level,
            "unit_kind": p.unit.kind if p.unit_id else None,
            "unit_number": p.unit.number if p.unit_id else None,
            "version": p.version,
            "status": p.status,
            "signed_at": p.frozen_at,
            "data_sha256": p.data_sha256,
            "ballots_fingerprint": p.ballots_fingerprint,
            "corrects_version": p.supersedes.version if p.supersedes_id else None,
            "documents": [
                {
                    "id": d.pk,
                    "copy_number": d.copy,
                    "language": d.language,
                    "sha256": d.sha256,
                    "size": d.size,
                    "signed": d.is_signed,
                    "url": reverse("protocols:document", kwargs={"slug": slug, "pk": d.pk}),
                }
                for d in sorted(p.documents.all(), key=lambda d: (d.copy, d.language, d.pk))
                if d.is_signed
            ],
        }
        for p in rows.order_by("contest_id", "level", "unit__number", "version")
    ]


@api.get("/elections/{slug}/nist-results.json", tags=["results"], response={200: dict, 404: Problem})
def nist(request, slug: str):
    """The published results in the NIST SP 1500-100 v2 Election Results Common Data Format."""
    election = _election(request, slug)
    if not is_published(election):
        raise Http404
    return nist_results(election)


@api.get("/elections/{slug}/preliminary/", tags=["results"], response={200: PreliminaryOut, 404: Problem})
def preliminary(request, slug: str):
    """The precincts' preliminary figures added up per contest, with how many precincts reported —
    preliminary, never the result; public once voting has closed."""
    election = _election(request, slug)
    if not preliminary_public.is_public(election):
        raise Http404
    return {
        "preliminary": True,
        "contests": [
            {
                "contest_id": c.contest.pk,
                "title": c.contest.title_ru,
                "precincts": c.precincts,
                "reported": c.reported,
                "options": [{"code": o["code"], "label": o["label"], "votes": o["votes"]} for o in c.options],
                "precinct_reports": [
                    {
                        "precinct_number": r["unit"].number,
                        "reported_at": r["result"].received_at if r["result"] else None,
                        "votes": (r["result"].votes if r["result"] else None),
                    }
                    for r in c.rows
                ],
            }
            for c in preliminary_public.preliminary_results(election)
        ],
    }


class CommissionToken(HttpBearer):
    """``Authorization: Bearer <token>``: a precinct commission's token (``api.services``)."""

    def authenticate(self, request, token):
        return token_for(token)


@api.post(
    "/elections/{slug}/preliminary/",
    auth=CommissionToken(),
    tags=["results"],
    response={201: PreliminaryPosted, 400: Problem, 401: Problem, 404: Problem},
)
def preliminary_submit(request, slug: str, payload: PreliminaryIn):
    """The precinct's automated count posts its preliminary figures (seed 003 item 46) with the
    token of its precinct commission: all or nothing, validated like the file import."""
    token = request.auth
    election = _election(request, slug)
    if token.election_id != election.pk:
        raise Http404
    contest = Contest.objects.filter(election=election, pk=payload.contest_id).first()
    if contest is None:
        return Status(400, {"detail": _("No contest of this election has this id.")})
    try:
        row = preliminary_post(token=token, contest=contest, figures=payload.figures, votes=payload.votes)
    except (ValidationError, PermissionDenied) as exc:
        message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        return Status(400, {"detail": message})
    return Status(
        201,
        {
            "id": row.pk,
            "precinct_number": row.unit.number,
            "received_at": row.received_at,
            "preliminary": True,
        },
    )


@api.get("/audit-head/", response=AuditHeadOut, tags=["audit"])
def audit_head(request):
    """The head of the portal's audit log: its length and last hash (compare with a signed copy)."""
    sequence, sha, at = current_head()
    return {"sequence": sequence, "sha256": sha, "recorded_at": at}


def public_urls():
    """``api.urls`` with every view declared public (``accounts.access``): the read API is open to
    anyone; what it returns is already limited to public data."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback.public = True
    return patterns, app_name, namespace
