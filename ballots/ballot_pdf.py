"""The proof of a ballot as a PDF (seed 003 item 39): the text a commission approves, rendered
from ``approval.text_content`` — the contest's title, how to mark, every option with a square —
and the footer saying whether it is a draft or which decision approved which version. A pure
function; the languages are the portal's (the state languages come with their catalogues)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from .models import LIST_METHODS, RANKED_METHODS


def languages() -> tuple[str, ...]:
    return tuple(code for code, _name in settings.LANGUAGES)


def ballot_proof_render(
    content: dict,
    *,
    language: str,
    version: int | None = None,
    decision: dict | None = None,
    sha256: str = "",
) -> bytes:
    from weasyprint import HTML

    if language not in languages():
        raise ValueError(f"language must be one of {languages()}, not {language!r}")

    def text(d: dict, field: str) -> str:  # the language's own text, else the Russian one
        return d.get(f"{field}_{language}") or d.get(f"{field}_ru", "")

    options = [
        {"kind": o["kind"], "label": text(o, "label"), "detail": text(o, "detail")}
        for o in content.get("options", [])
    ]
    with translation.override(language):
        html = render_to_string(
            "ballots/pdf/ballot_proof.html",
            {
                "title": text(content, "title"),
                "options": options,
                "is_list": content.get("method") in LIST_METHODS,
                "is_ranked": content.get("method") in RANKED_METHODS,
                "max_choices": content.get("max_choices") or 1,
                "version": version,
                "decision": decision,
                "sha256": sha256,
                "language": language,
            },
        )
    return HTML(string=html).write_pdf()
