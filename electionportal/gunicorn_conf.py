"""gunicorn settings of the portal, shared by the Docker image and `make bench`:
``gunicorn -c python:electionportal.gunicorn_conf electionportal.wsgi``.

Sync workers, 2 × CPUs + 1 of them (``WEB_CONCURRENCY`` overrides), behind a reverse proxy that
buffers slow clients (nginx or the platform's), as gunicorn's documentation recommends. On the
2-core development machines this gave the casting request the same or higher throughput than 4
threaded workers × 4 threads, and about half their 95th-percentile latency (see README,
"Benchmarks"): CPU-bound requests do not wait on a thread's turn for the interpreter lock.
"""

import os
from pathlib import Path

import environ

# the same .env as the settings (electionportal/settings.py): real environment variables win
_env_file = os.environ.get("ENV_FILE", str(Path(__file__).resolve().parent.parent / ".env"))
if _env_file and Path(_env_file).is_file():
    environ.Env.read_env(_env_file, overwrite=False)


def _cpus() -> int:
    """The CPUs this process may run on (a container's cpuset, not the whole host's count)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
worker_class = "sync"
# Set WEB_CONCURRENCY where the CPUs are limited by a quota rather than a cpuset (docker --cpus).
workers = int(os.environ.get("WEB_CONCURRENCY") or _cpus() * 2 + 1)
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))  # seconds a request may take (PDFs render in tasks)
# Voting tokens in invitation and ballot links never reach the access or error log (issue 16):
# they are redacted from the request line, the path and the Referer (electionportal/logredact.py).
logger_class = "electionportal.logredact.GunicornLogger"
