"""The PDF of a protocol (seed 000 item 21; seed 003 items 48–50: "the protocol in two copies
signed by all present members"): A4, in Russian or English, numbered pages "Page N of M", the
copy mark ("Copy No. 1" / "Copy No. 2") on every page.

It holds the title (election, contest, group or precinct, level, commission), the version and
the reason for a correction, every line of ``protocols.forms_spec`` with its number and value,
the votes per ballot option ("against all" included), the control checks with their results and
explanations, the texts of a CCM group protocol and the decision naming the member and the
alternate, the signature sheet (names, positions, times in the election's zone, dissenting
opinions), the complaints attached with their decisions, and the fingerprints: SHA-256 of the
protocol data, of the ballot set, and the audit log head at signing.

``protocol_pdf_render`` is a pure function of the stored protocol (it only reads); signing and
storing are done by ``protocols.services.pdf``.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from accounts.models import Position

from . import forms_spec, selectors
from .models import Protocol
from .ties import rule_text, tie_rows

COPIES = (1, 2)
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


def _position_label(value: str) -> str:
    """A position (stored as its code) in the rendering language."""
    return str(Position(value).label) if value in Position.values else value


def _place(protocol: Protocol) -> str:
    """The group, district or precinct the protocol is about."""
    contest = protocol.contest
    parts = []
    if contest.group_id:
        parts.append(_("Electoral group: %(name)s") % {"name": contest.group.name})
    elif contest.unit_id:
        parts.append(str(contest.unit))
    if protocol.unit_id and protocol.unit_id != contest.unit_id:
        parts.append(str(protocol.unit))
    return " · ".join(parts)


def _outcome_names(protocol: Protocol, key: str) -> list[str]:
    """Names of the elected (or alternates) in the outcome, shown with the option's label in the
    rendering language when the outcome names an option by its Russian label or code."""
    by_key = {}
    for option in protocol.contest.options.all():
        by_key[option.label_ru] = option.label
        by_key[option.code] = option.label
    names = []
    for item in protocol.outcome.get(key) or []:
        if isinstance(item, dict):
            item = item.get("label") or item.get("name") or item.get("code") or ""
        names.append(by_key.get(str(item), str(item)))
    return names


def css_string(value: str) -> str:
    """``value`` for a quoted CSS string (page margin boxes): quotes, backslashes and line breaks
    escaped as CSS hex escapes (and ``<``, so that nothing closes the style element)."""
    return "".join(f"\\{ord(ch):x} " if ch in '"\\\n\r<' else ch for ch in str(value))


#: relation of a check -> (sign when it holds, sign when it fails)
SIGNS = {"==": ("=", "≠"), "<=": ("≤", ">")}


def _checks(protocol: Protocol) -> list[dict]:
    """The control checks with their figures written as a comparison, e.g. ``2 ≠ 3``."""
    relations = {
        c.code: c.relation
        for c in forms_spec.checks_for(protocol.level, single_mark=selectors.is_single_mark(protocol.contest))
    }
    rows = []
    for result in selectors.protocol_checks(protocol):
        holds, fails = SIGNS.get(relations.get(result.code, "=="), ("=", "≠"))
        sign = holds if result.ok else fails
        rows.append({"result": result, "comparison": f"{result.left} {sign} {result.right}"})
    return rows


def _field_label(name: str) -> str:
    return capfirst(str(Protocol._meta.get_field(name).verbose_name))


def protocol_pdf_context(protocol: Protocol, *, copy: int) -> dict:
    """Everything the template prints, read in the active language and time zone."""
    election = protocol.election
    signatures = list(protocol.signatures.order_by("signed_at", "pk"))
    signed_members = {s.member_id for s in signatures}
    unsigned = [
        {"full_name": m.user.full_name, "position": _position_label(m.position)}
        for m in protocol.present_members.select_related("user").order_by("user__full_name")
        if m.pk not in signed_members
    ]
    options = selectors.option_rows(protocol)
    return {
        "election": election,
        "protocol": protocol,
        "contest": protocol.contest,
        "commission": protocol.commission,
        "place": _place(protocol),
        "level": protocol.get_level_display(),
        "copy": copy,
        "copy_mark": _("Copy No. %(copy)s") % {"copy": copy},
        "lines": selectors.line_rows(protocol),
        "options": options,
        "votes_total": sum(o["votes"] for o in options),
        "checks": _checks(protocol),
        "elected": _outcome_names(protocol, "elected"),
        "alternates": _outcome_names(protocol, "alternates"),
        "tie_rows": tie_rows(protocol),
        "tie_rule": rule_text(protocol.contest),
        "signatures": [
            {
                "full_name": s.full_name,
                "position": _position_label(s.position),
                "signed_at": election.local(s.signed_at),
                "dissent": s.dissent,
            }
            for s in signatures
        ],
        "unsigned": unsigned,
        "complaints": list(protocol.complaints.select_related("decision").order_by("number")),
        "fingerprints": [
            (_field_label("data_sha256"), protocol.data_sha256),
            (_field_label("ballots_fingerprint"), protocol.ballots_fingerprint),
            (_field_label("audit_head"), protocol.audit_head),
        ],
        "frozen_at": election.local(protocol.frozen_at),
        "generated_at": election.local(timezone.now()),
        "css": {
            "title": css_string(election.title),
            "copy_mark": css_string(_("Copy No. %(copy)s") % {"copy": copy}),
            "version": css_string(_("Version %(version)s") % {"version": protocol.version}),
        },
        "footer": _("Page %(page)s of %(pages)s")
        % {"page": '" counter(page) "', "pages": '" counter(pages) "'},
    }


def protocol_pdf_render(protocol: Protocol, *, copy: int, language: str) -> bytes:
    """The protocol as an unsigned A4 PDF: copy ``copy`` (1 or 2) in ``language`` ("ru", "en")."""
    from weasyprint import HTML

    if copy not in COPIES:
        raise ValueError(f"copy must be one of {COPIES}, not {copy!r}")
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    with translation.override(language), timezone.override(protocol.election.tz):
        html = render_to_string(
            "protocols/pdf/protocol.html",
            {**protocol_pdf_context(protocol, copy=copy), "language": language},
        )
    return HTML(string=html).write_pdf()
