"""Voting tokens never reach a log (issue 16).

A voter's invitation link carries its single-use token in the path
(``/elections/<slug>/voters/invitation/<token>/``, and the ballot link
``/elections/<slug>/voting/link/<token>/`` it leads to). Mails already sent keep those URLs, so the
token is removed from what is logged instead: ``redact`` replaces it with ``[redacted]`` wherever a
logged text holds such a path — the request line, the path, the ``Referer`` of the next request.

* ``RedactTokens`` — a ``logging.Filter`` on the console handlers of Django's logging (settings
  ``LOGGING``): ``django.server`` (runserver's request lines) and everything else that reaches
  the console (e.g. ``django.request``'s "Not Found: <path>").
* ``GunicornLogger`` — gunicorn's logger class (``electionportal/gunicorn_conf.py``): the access
  log's fields are redacted before they are formatted, and its error log gets the filter.

No Django import here: gunicorn loads it before Django is set up.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

#: the path segments that hold a voting token, and the token that follows them (up to the next
#: slash, query, fragment, space or quote), also with percent-encoded slashes
TOKEN_PATHS = re.compile(
    r"(?P<prefix>/(?:voting|voters)(?:/|%2[fF])(?:link|invitation)(?:/|%2[fF]))(?P<token>[^/?#\s\"']+)"
)
REDACTED = "[redacted]"


def redact(text: str) -> str:
    """``text`` with every voting token in a path replaced by ``[redacted]``."""
    if "/vot" not in text:  # the common case: nothing to look for
        return text
    return TOKEN_PATHS.sub(lambda m: m.group("prefix") + REDACTED, text)


def _redact_value(value):
    return redact(value) if isinstance(value, str) else value


class RedactTokens(logging.Filter):
    """Redacts voting tokens in a record's message and arguments (never drops a record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, Mapping):
            record.args = {k: _redact_value(v) for k, v in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(_redact_value(a) for a in record.args)
        return True


try:
    from gunicorn.glogging import Logger as _GunicornBase
except ImportError:  # pragma: no cover - gunicorn is a dependency; Django alone does not need it
    _GunicornBase = object


class GunicornLogger(_GunicornBase):
    """gunicorn's logger with the voting tokens redacted from the access log's fields (request
    line, path, ``Referer``, headers) and from the error log."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            if not any(isinstance(f, RedactTokens) for f in log.filters):
                log.addFilter(RedactTokens())

    def atoms(self, resp, req, environ, request_time):
        return {k: _redact_value(v) for k, v in super().atoms(resp, req, environ, request_time).items()}
