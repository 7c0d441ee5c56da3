"""The shipped plan templates' texts in the state languages (issue 22): one YAML file per template
and language, ``elections/calendar_templates/translations/<slug>.<lang>.yaml``::

    language: ky
    name: "…"                         # the plan's title
    description: "…"
    sections: {1: "…", 2: "…"}        # section titles by number
    activities:
      1: {title: "…", responsible: "…", participants: "…", deadline: "…", legal_basis: "…"}

A text that is missing falls back to Russian (``Translated``); the template's own YAML keeps
Russian and English and its rules, so a translation can never move a deadline.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from .loader import TEMPLATES_DIR, safe_load

TRANSLATIONS_DIR = Path(TEMPLATES_DIR) / "translations"
LANGUAGES = ("kk", "ky")

#: activity model field -> key in the translation file
ACTIVITY_KEYS = {
    "title": "title",
    "responsible": "responsible",
    "participants": "participants",
    "deadline_text": "deadline",
    "legal_basis": "legal_basis",
}


@cache
def translations(slug: str) -> dict[str, dict]:
    """{language: document} for the template ``slug`` (empty when none is shipped)."""
    found = {}
    for language in LANGUAGES:
        path = TRANSLATIONS_DIR / f"{slug}.{language}.yaml"
        if path.exists():
            document = safe_load(path.read_text(encoding="utf-8")) or {}
            if document.get("language", language) != language:
                raise ValueError(f"{path.name} says it is in {document.get('language')!r}")
            found[language] = document
    return found


def template_fields(slug: str) -> dict[str, str]:
    """``name_kk``, ``name_ky`` … of the template's own record."""
    return {f"name_{lang}": str(doc.get("name") or "") for lang, doc in translations(slug).items()}


def activity_fields(slug: str, section: int | None, number: int) -> dict[str, str]:
    """``title_kk``, ``section_title_kk``, ``responsible_kk`` … of one activity of the plan."""
    fields: dict[str, str] = {}
    for lang, doc in translations(slug).items():
        sections = doc.get("sections") or {}
        if section is not None and sections.get(section):
            fields[f"section_title_{lang}"] = str(sections[section])
        texts = (doc.get("activities") or {}).get(number) or {}
        for field, key in ACTIVITY_KEYS.items():
            if texts.get(key):
                fields[f"{field}_{lang}"] = str(texts[key])
    return fields
