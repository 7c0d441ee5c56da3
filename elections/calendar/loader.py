"""Loading plan templates from YAML files (``elections/calendar_templates/<slug>.yaml``)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date, datetime, time
from pathlib import Path

import yaml

from .errors import TemplateError, TemplateNotFound
from .parser import parse_template
from .types import PlanTemplate

#: the folder of the templates shipped with the portal
TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "calendar_templates"

_cache: dict[tuple[str, int], PlanTemplate] = {}

#: a template is a few levels deep and a few thousand elements (the shipped ones: 6 levels, ~4,000)
MAX_DEPTH = 32
MAX_NODES = 200_000


class YamlTooComplex(yaml.YAMLError):
    """A YAML text refused before it is built: nested deeper than ``MAX_DEPTH`` levels
    (``reason="depth"``), more than ``MAX_NODES`` elements once its aliases are expanded
    (``"size"``: a "billion laughs" file), or an alias inside itself (``"recursive"``)."""

    def __init__(self, reason: str, limit: int | None = None, line: int | None = None):
        self.reason = reason
        self.limit = limit
        self.line = line
        text = {
            "depth": f"nested deeper than {limit} levels",
            "size": f"more than {limit} elements once its aliases (*name) are expanded",
            "recursive": "an alias (*name) refers to the element that contains it",
        }[reason]
        super().__init__(f"line {line}: {text}" if line else text)


class _LimitedLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` (plain data only) that refuses deep nesting and alias bombs while
    composing, before any Python object is built."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise YamlTooComplex("depth", MAX_DEPTH, mark.line + 1 if mark else None)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_yaml_int(self, node):
        # Python refuses to read an integer of more than 4,300 digits (ValueError, not YAMLError)
        try:
            return super().construct_yaml_int(node)
        except ValueError:
            raise yaml.constructor.ConstructorError(
                None, None, "a number too long to read", node.start_mark
            ) from None

    def get_single_node(self):
        node = super().get_single_node()
        if node is not None:
            _expanded_size(node, {}, set())
        return node


def _expanded_size(node, sizes: dict[int, int], open_nodes: set[int]) -> int:
    """Elements of ``node`` with every alias expanded (memoised: linear in the text's size)."""
    key = id(node)
    if key in sizes:
        return sizes[key]
    if key in open_nodes:
        raise YamlTooComplex("recursive", line=node.start_mark.line + 1)
    open_nodes.add(key)
    size = 1
    if isinstance(node, yaml.SequenceNode):
        size += sum(_expanded_size(child, sizes, open_nodes) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            size += _expanded_size(k, sizes, open_nodes) + _expanded_size(v, sizes, open_nodes)
    open_nodes.discard(key)
    if size > MAX_NODES:
        raise YamlTooComplex("size", MAX_NODES, node.start_mark.line + 1)
    sizes[key] = size
    return size


_LimitedLoader.add_constructor("tag:yaml.org,2002:int", _LimitedLoader.construct_yaml_int)


def safe_load(text: str):
    """``yaml.safe_load`` with limits: every template YAML (files, uploads, stored copies) is
    read with it. Raises ``yaml.YAMLError`` (:class:`YamlTooComplex` for the limits)."""
    loader = _LimitedLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def _dirs(dirs: Iterable[str | os.PathLike[str]] | None) -> list[Path]:
    return [Path(d) for d in dirs] if dirs is not None else [TEMPLATES_DIR]


def _files(dirs: list[Path]) -> list[Path]:
    out: list[Path] = []
    for d in dirs:
        if d.is_dir():
            out.extend(sorted(p for p in d.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()))
    return out


def load_template_file(path: str | os.PathLike[str]) -> PlanTemplate:
    """Parse and validate one YAML template file (cached by path and modification time)."""
    p = Path(path)
    key = (str(p.resolve()), p.stat().st_mtime_ns)
    if key in _cache:
        return _cache[key]
    try:
        data = safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        raise TemplateError([f"not valid YAML: {e}"], str(p)) from None
    tpl = parse_template(data, source=str(p))
    if tpl.slug != p.stem:
        raise TemplateError([f"template: slug {tpl.slug!r} must equal the file name {p.stem!r}"], str(p))
    _cache[key] = tpl
    return tpl


def list_templates(dirs: Iterable[str | os.PathLike[str]] | None = None) -> list[PlanTemplate]:
    """All templates of the folder(s), sorted by slug. An invalid file raises :class:`TemplateError`."""
    seen: dict[str, PlanTemplate] = {}
    for f in _files(_dirs(dirs)):
        tpl = load_template_file(f)
        seen.setdefault(tpl.slug, tpl)
    return [seen[s] for s in sorted(seen)]


def template_slugs(dirs: Iterable[str | os.PathLike[str]] | None = None) -> list[str]:
    """Slugs available in the folder(s) (file names, without parsing)."""
    return sorted({f.stem for f in _files(_dirs(dirs))})


def load_template(slug: str, dirs: Iterable[str | os.PathLike[str]] | None = None) -> PlanTemplate:
    """The template ``<slug>.yaml`` (or ``.yml``); :class:`TemplateNotFound` if there is none."""
    for d in _dirs(dirs):
        for ext in (".yaml", ".yml"):
            f = d / f"{slug}{ext}"
            if f.is_file():
                return load_template_file(f)
    raise TemplateNotFound(slug, template_slugs(dirs))


def _fmt_default(v: object) -> str:
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%dT%H:%M")
    if isinstance(v, time):
        return v.strftime("%H:%M")
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


def anchors_help(template: PlanTemplate, lang: str = "en") -> list[str]:
    """One line per anchor, e.g. ``voting_start (time, optional, default 08:00) — Voting starts at``."""
    ru = lang == "ru"
    lines = []
    for a in template.anchors:
        if a.required:
            need = "обязательный" if ru else "required"
        elif a.default is not None:
            need = ("необязательный, по умолчанию " if ru else "optional, default ") + _fmt_default(a.default)
        elif a.default_from is not None:
            need = ("необязательный, по умолчанию = " if ru else "optional, default = ") + a.default_from
        else:
            need = "необязательный" if ru else "optional"
        lines.append(f"{a.name} ({a.type}, {need}) — {a.label_ru if ru else a.label_en}")
    return lines
