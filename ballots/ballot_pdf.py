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
    ru = language == "ru"
    options = [
        {
            "kind": o["kind"],
            "label": o["label_ru"] if ru or not o.get("label_en") else o["label_en"],
            "detail": o["detail_ru"] if ru or not o.get("detail_en") else o["detail_en"],
        }
        for o in content.get("options", [])
    ]
    with translation.override(language):
        html = render_to_string(
            "ballots/pdf/ballot_proof.html",
            {
                "title": content["title_ru"] if ru or not content.get("title_en") else content["title_en"],
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
