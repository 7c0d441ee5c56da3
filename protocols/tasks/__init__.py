"""Celery tasks of the protocols app (autodiscovered through this package): PDF rendering,
results mail, archives. Each takes ids, loads, calls one service."""

from .archive import *  # noqa: F401,F403
from .pdf import *  # noqa: F401,F403
from .publication import *  # noqa: F401,F403
