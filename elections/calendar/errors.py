"""Exceptions of the calendar rule engine (pure Python, no Django)."""

from __future__ import annotations


class CalendarError(Exception):
    """Base class of every error raised by :mod:`elections.calendar`."""


class TemplateError(CalendarError, ValueError):
    """A plan template is invalid.

    ``errors`` holds one human-readable line per problem, each naming the place
    (``activity 12: rule.due.anchor: ...``) so that a secretariat writing its own
    template can fix every problem in one pass.
    """

    def __init__(self, errors: list[str] | str, source: str | None = None):
        if isinstance(errors, str):
            errors = [errors]
        self.errors = list(errors)
        self.source = source
        head = f"invalid plan template {source}" if source else "invalid plan template"
        super().__init__(head + ":\n  - " + "\n  - ".join(self.errors))


class CycleError(TemplateError):
    """Activities reference each other in a cycle (``cycle`` lists the numbers)."""

    def __init__(self, cycle: list[int], what: str = "rules", source: str | None = None):
        self.cycle = list(cycle)
        path = " -> ".join(str(n) for n in [*cycle, cycle[0]])
        super().__init__([f"activities form a cycle through their {what}: {path}"], source)


class TemplateNotFound(CalendarError, LookupError):
    """No template with this slug in the template folder(s)."""

    def __init__(self, slug: str, known: list[str]):
        self.slug = slug
        self.known = list(known)
        super().__init__(
            f"unknown calendar template {slug!r}; known templates: {', '.join(known) or '(none)'}"
        )


class AnchorError(CalendarError, ValueError):
    """Anchors given to :func:`compute_plan` are unknown, missing or of the wrong type."""


class ActualError(CalendarError, ValueError):
    """Actual completion datetimes refer to unknown activities or are not datetimes."""
