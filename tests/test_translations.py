"""Every catalogue is complete and sound (issue 22): CI fails on a missing or broken translation.

* ``msgfmt --check`` accepts each catalogue (header, plural forms, python-format strings);
* Russian, Kazakh and Kyrgyz have no empty and no fuzzy entry (English is the source language:
  an empty English msgstr shows the msgid itself);
* every placeholder of the source (``%(name)s``, ``%s``, ``{name}``) is kept in each translation,
  and none is invented;
* the strings Django leaves untranslated in Kazakh are translated by the portal
  (``locale_django/kk``);
* the compiled ``.mo`` files are those of the ``.po`` files.
"""

import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CATALOGUES = sorted(
    [*ROOT.glob("locale/*/LC_MESSAGES/django.po"), *ROOT.glob("locale_django/*/LC_MESSAGES/django.po")]
)
COMPLETE = {"ru", "kk", "ky"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sdfr]|\{\w*\}")
DJANGO = Path(__import__("django").__file__).parent
DJANGO_CATALOGUES = (
    "conf/locale",
    "contrib/auth/locale",
    "contrib/humanize/locale",
    "contrib/contenttypes/locale",
)


def _language(path: Path) -> str:
    return path.parent.parent.name


def _id(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_the_portal_ships_every_language_it_offers():
    offered = {code for code, _name in settings.LANGUAGES}
    assert offered == {"ru", "kk", "ky", "en"}
    assert {_language(p) for p in CATALOGUES if p.parent.parent.parent.name == "locale"} == offered


@pytest.mark.parametrize("path", CATALOGUES, ids=_id)
def test_msgfmt_accepts_the_catalogue(path, tmp_path):
    if shutil.which("msgfmt") is None:
        pytest.skip("gettext's msgfmt is not installed")
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "out.mo"), str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[:2000]


@pytest.mark.parametrize("path", [p for p in CATALOGUES if _language(p) in COMPLETE], ids=_id)
def test_no_entry_is_empty_or_fuzzy(path):
    catalogue = polib.pofile(str(path))
    missing = [e.msgid[:80] for e in catalogue if not e.obsolete and not e.translated()]
    fuzzy = [e.msgid[:80] for e in catalogue if not e.obsolete and "fuzzy" in e.flags]
    assert missing == [], f"{len(missing)} untranslated, e.g. {missing[:5]}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


@pytest.mark.parametrize("path", CATALOGUES, ids=_id)
def test_every_placeholder_is_kept(path):
    broken = []
    for entry in polib.pofile(str(path)):
        if entry.obsolete or not entry.translated():
            continue
        if entry.msgid_plural:
            source = set(PLACEHOLDER.findall(entry.msgid)) | set(PLACEHOLDER.findall(entry.msgid_plural))
            for form in entry.msgstr_plural.values():
                named = {p for p in PLACEHOLDER.findall(form) if p[1] == "(" or p[0] == "{"}
                if not named <= source:
                    broken.append((entry.msgid[:60], sorted(named - source)))
        else:
            source = sorted(PLACEHOLDER.findall(entry.msgid))
            got = sorted(PLACEHOLDER.findall(entry.msgstr))
            if source != got:
                broken.append((entry.msgid[:60], source, got))
    assert broken == [], broken[:5]


def test_the_strings_django_leaves_untranslated_in_kazakh_are_translated_by_the_portal():
    ours = {
        (e.msgctxt, e.msgid): e for e in polib.pofile(str(ROOT / "locale_django/kk/LC_MESSAGES/django.po"))
    }
    gaps = []
    for folder in DJANGO_CATALOGUES:
        for entry in polib.pofile(str(DJANGO / folder / "kk/LC_MESSAGES/django.po")):
            if entry.obsolete or (entry.translated() and "fuzzy" not in entry.flags):
                continue
            own = ours.get((entry.msgctxt, entry.msgid))
            if own is None or not own.translated():
                gaps.append(entry.msgid[:60])
    assert gaps == [], f"{len(gaps)} strings of Django untranslated in Kazakh, e.g. {gaps[:5]}"


@pytest.mark.parametrize("path", CATALOGUES, ids=_id)
def test_the_compiled_catalogue_is_current(path, tmp_path):
    compiled = path.with_suffix(".mo")
    assert compiled.exists(), f"{_id(compiled)} is missing: run make messages"
    expected = {
        (e.msgctxt, e.msgid): e.msgstr or dict(e.msgstr_plural)
        for e in polib.pofile(str(path))
        if e.translated() and "fuzzy" not in e.flags
    }
    actual = {
        (e.msgctxt, e.msgid): e.msgstr or dict(e.msgstr_plural)
        for e in polib.mofile(str(compiled))
        if e.msgid
    }
    assert actual == expected, f"{_id(compiled)} is not compiled from its .po: run make messages"


# the translation functions of django.utils.translation, and the names makemessages extracts
TRANSLATING = {
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}
SKIPPED = {".venv", "node_modules", "var", "static", "locale", "locale_django", "tests", ".git"}


def test_every_string_marked_for_translation_reaches_the_catalogue():
    """makemessages finds a string only through the names it knows: ``_`` or the function's own
    name. A string wrapped in a translation function imported under another name (``_lazy``)
    is never extracted, so it shows in English to every reader; the test names such imports."""
    import ast

    renamed = []
    for path in ROOT.rglob("*.py"):
        if SKIPPED & set(path.relative_to(ROOT).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
                renamed += [
                    f"{path.relative_to(ROOT)}: {alias.name} as {alias.asname}"
                    for alias in node.names
                    if alias.name in TRANSLATING and alias.asname not in (None, "_")
                ]
    assert renamed == []
