"""Parsing a plan template: collecting errors, checking keys and values, times, dates, parties,
anchors and the glossaries."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from .types import (
    _DATETIME_RE,
    _NAME_RE,
    _TIME_RE,
    ANCHOR_TYPES,
    AnchorSpec,
    Party,
)

# --------------------------------------------------------------------------- parsing helpers


class _Errors:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, where: str, msg: str) -> None:
        self.lines.append(f"{where}: {msg}" if where else msg)


def _join(where: str, key: str) -> str:
    """``activity 3`` + ``title_ru`` -> ``activity 3: title_ru``; ``activity 3: rule`` + ``due`` -> ``activity 3: rule.due``."""
    if not where:
        return key
    return f"{where}.{key}" if ":" in where else f"{where}: {key}"


def _check_keys(d: Mapping[str, Any], allowed: tuple[str, ...], where: str, err: _Errors) -> None:
    for k in d:
        if k not in allowed:
            err.add(where, f"unknown field {k!r} (allowed: {', '.join(allowed)})")


def _as_mapping(v: Any, where: str, err: _Errors) -> Mapping[str, Any] | None:
    if not isinstance(v, Mapping):
        err.add(where, f"expected a mapping (key: value), got {type(v).__name__}")
        return None
    return v


def _str(d: Mapping[str, Any], key: str, where: str, err: _Errors, required: bool = True) -> str | None:
    v = d.get(key)
    if v is None:
        if required:
            err.add(_join(where, key), "required text is missing")
        return None
    if not isinstance(v, str) or not v.strip():
        err.add(_join(where, key), f"expected non-empty text, got {v!r}")
        return None
    return " ".join(v.split()) if "\n" in v else v.strip()


def _int(v: Any, where: str, err: _Errors, *, positive: bool = False) -> int | None:
    if isinstance(v, bool) or not isinstance(v, int):
        err.add(where, f"expected a whole number, got {v!r}")
        return None
    if positive and v <= 0:
        err.add(where, f"expected a positive number, got {v}")
        return None
    return v


def _bool(v: Any, where: str, err: _Errors) -> bool | None:
    if not isinstance(v, bool):
        err.add(where, f"expected true or false, got {v!r}")
        return None
    return v


def parse_time(v: Any) -> time:
    """Parse ``"HH:MM"`` (or a :class:`datetime.time`)."""
    if isinstance(v, time):
        return v
    if isinstance(v, int) and not isinstance(v, bool):
        raise ValueError(
            f"{v!r} is a number; write times in quotes, e.g. '20:00' (YAML reads 20:00 unquoted as a number)"
        )
    if isinstance(v, str):
        m = _TIME_RE.match(v.strip())
        if m:
            return time(int(m.group(1)), int(m.group(2)))
    raise ValueError(f"expected a time 'HH:MM', got {v!r}")


def parse_date(v: Any) -> date:
    if isinstance(v, datetime):
        raise ValueError(f"expected a date YYYY-MM-DD, got a date and time {v!r}")
    if isinstance(v, date):
        return v
    if isinstance(v, str):
        try:
            return date.fromisoformat(v.strip())
        except ValueError:
            pass
    raise ValueError(f"expected a date YYYY-MM-DD, got {v!r}")


def parse_local_datetime(v: Any) -> datetime:
    """Parse ``"YYYY-MM-DDTHH:MM"`` (naive, local time) or a :class:`datetime`."""
    if isinstance(v, datetime):
        return v
    if isinstance(v, str):
        s = v.strip()
        m = _DATETIME_RE.match(s)
        if m:
            y, mo, d, hh, mm = (int(x) for x in m.groups())
            return datetime(y, mo, d, hh, mm)
        try:
            return datetime.fromisoformat(s)
        except ValueError:
            pass
    raise ValueError(f"expected a date and time 'YYYY-MM-DDTHH:MM', got {v!r}")


def _party(v: Any, where: str, err: _Errors) -> Party | None:
    d = _as_mapping(v, where, err)
    if d is None:
        return None
    _check_keys(d, ("ru", "en", "roles"), where, err)
    ru = _str(d, "ru", where, err)
    en = _str(d, "en", where, err)
    roles_v = d.get("roles")
    roles: list[str] = []
    if not isinstance(roles_v, list) or not roles_v:
        err.add(_join(where, "roles"), "expected a non-empty list of role keys, e.g. [tec, local_government]")
    else:
        for i, r in enumerate(roles_v):
            if not isinstance(r, str) or not _NAME_RE.match(r):
                err.add(f"{_join(where, 'roles')}[{i}]", f"role key must be lower_snake_case, got {r!r}")
            else:
                roles.append(r)
    if ru is None or en is None:
        return None
    return Party(ru=ru, en=en, roles=tuple(roles))


def _anchor(v: Any, where: str, err: _Errors) -> AnchorSpec | None:
    d = _as_mapping(v, where, err)
    if d is None:
        return None
    name = d.get("name")
    if not isinstance(name, str) or not _NAME_RE.match(name):
        err.add(where, f"anchor name must be lower_snake_case, got {name!r}")
        return None
    where = f"anchor {name}"
    _check_keys(
        d, ("name", "label_ru", "label_en", "type", "required", "default", "default_from"), where, err
    )
    label_ru = _str(d, "label_ru", where, err)
    label_en = _str(d, "label_en", where, err)
    typ = d.get("type")
    if typ not in ANCHOR_TYPES:
        err.add(f"{where}: type", f"expected one of {', '.join(ANCHOR_TYPES)}, got {typ!r}")
        return None
    required = d.get("required", True)
    if not isinstance(required, bool):
        err.add(f"{where}: required", f"expected true or false, got {required!r}")
        required = True
    default = None
    if d.get("default") is not None:
        try:
            default = {"date": parse_date, "datetime": parse_local_datetime, "time": parse_time}[typ](
                d["default"]
            )
        except ValueError as e:
            err.add(f"{where}: default", str(e))
    default_from = d.get("default_from")
    if default_from is not None and (not isinstance(default_from, str) or not _NAME_RE.match(default_from)):
        err.add(f"{where}: default_from", f"expected an anchor name, got {default_from!r}")
        default_from = None
    if required and (default is not None or default_from is not None):
        err.add(where, "a required anchor cannot have a default; use required: false")
    if default is not None and default_from is not None:
        err.add(where, "give either default or default_from, not both")
    if label_ru is None or label_en is None:
        return None
    return AnchorSpec(
        name=name,
        label_ru=label_ru,
        label_en=label_en,
        type=typ,
        required=required,
        default=default,
        default_from=default_from,
    )


def _glossary(v: Any, where: str, err: _Errors) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    if v is None:
        return out
    d = _as_mapping(v, where, err)
    if d is None:
        return out
    for k, item in d.items():
        w = f"{where}.{k}"
        if not isinstance(k, str) or not _NAME_RE.match(k):
            err.add(w, "key must be lower_snake_case")
            continue
        m = _as_mapping(item, w, err)
        if m is None:
            continue
        _check_keys(m, ("ru", "en"), w, err)
        ru, en = _str(m, "ru", w, err), _str(m, "en", w, err)
        if ru and en:
            out[k] = (ru, en)
    return out
