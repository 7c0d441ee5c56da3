"""Parsing a plan template: collecting errors, checking keys and values, times, dates, parties."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from .types import (
    _DATETIME_RE,
    _NAME_RE,
    _TIME_RE,
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
