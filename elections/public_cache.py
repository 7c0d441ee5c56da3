"""Public pages under a crowd (issue 23): results, turnout, candidates, the bulletin board and the
open-data files of an election served from the shared cache, refreshed when the election's data
changes, with ETag and Last-Modified.

* **What is cached.** A GET of a view that declares ``public_cache = True`` (the ``PublicCached``
  mixin) by a visitor who carries no state: no session and no pending messages. Logged-in users
  always get a freshly rendered page. The key is the host, the language and the full path.
* **When it changes.** Every change of an election writes an audit entry in the same transaction
  (``elections.audit``); when that transaction commits, the election's *version* in the cache is
  replaced (``election_changed``). A snapshot rendered under another version is stale.
* **The bound.** A stale snapshot is rendered anew by one request. While the snapshot is younger
  than ``PUBLIC_PAGE_REFRESH`` seconds the other requests keep getting it; after that they wait
  for the new one. So a page served is never older than the latest change by more than
  ``PUBLIC_PAGE_REFRESH`` seconds plus one render (the page states it, with the time of its
  figures). A snapshot younger than ``RENDER_AFTER`` of the interval (0.8) is served even when a
  change came in, so a page is rendered about once per interval however fast the changes arrive
  (and the new snapshot is usually ready before the old one reaches the bound). A change
  without an audit entry (a protocol's PDF written by the worker) shows within
  ``PUBLIC_PAGE_MAX_AGE`` seconds.
* **Cheap hits.** The middleware stands before sessions, authentication and CSRF: a hit is two
  cache reads and no database query. A cached page with a form gets the visitor's own CSRF token
  (the snapshot keeps a placeholder), through Django's CSRF middleware.
* **Conditional GET.** Each snapshot has an ETag (a hash of its body) and a Last-Modified (the
  view's own, e.g. the publication time of the open data, else the time of the snapshot); a
  visitor whose copy is current gets 304. ``Cache-Control: no-cache`` makes browsers ask every
  time, so nobody keeps a stale copy.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.urls import Resolver404, get_urlconf, resolve
from django.utils import translation
from django.utils.http import http_date, parse_http_date_safe, quote_etag

logger = logging.getLogger(__name__)

CSRF_PLACEHOLDER = "__public-cache-csrf-token__"
#: a stale snapshot is rendered anew once it is this share of PUBLIC_PAGE_REFRESH old
RENDER_AFTER = 0.8
_CSRF_MARK = b'name="csrfmiddlewaretoken" value="'
#: response headers a snapshot keeps (the rest is set again by the middleware around it)
KEPT_HEADERS = ("Content-Type", "Content-Language", "Content-Disposition", "X-Frame-Options", "Last-Modified")


class PublicCached:
    """A public view whose GET answer is the same for every visitor without a session: served from
    the shared cache (``elections.public_cache``). The URL must carry the election's ``slug``."""

    public_cache = True

    @property
    def public_refresh_seconds(self) -> int:
        """The bound the page states: the refresh interval plus a render, in whole seconds."""
        return int(settings.PUBLIC_PAGE_REFRESH) + 1


def _version_key(slug: str) -> str:
    return f"public-version:{slug}"


def election_changed(slug: str) -> None:
    """The election's public data changed: every snapshot of its pages is stale from now on. Called
    on commit of every audit entry of the election; a cache outage never fails the change."""
    from .replica import mark_written  # cycle: the replica reads this module's view registry

    mark_written(slug)  # first the position the replica must reach, then the new version
    try:
        cache.set(_version_key(slug), uuid.uuid4().hex, None)
    except Exception:  # the cache is a copy: without it the pages are rendered every time
        logger.warning("public cache: the version of %s was not replaced", slug, exc_info=True)


def election_changed_on_commit(election) -> None:
    slug = getattr(election, "slug", None)
    if slug:
        transaction.on_commit(lambda: election_changed(slug))


def _page_key(request, language: str) -> str:
    raw = f"{request.get_host()}|{language}|{request.get_full_path()}"
    return "public-page:" + hashlib.sha256(raw.encode()).hexdigest()


def _stateless(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def public_view_of(path_info: str) -> tuple[str, str | None] | None:
    """(language, the election's slug or None) when the path is a ``PublicCached`` view, else
    None. Memoised per path: a hit resolves no URL."""
    return _public_view_of(path_info, get_urlconf())


@functools.lru_cache(maxsize=4096)
def _public_view_of(path_info: str, urlconf):
    language = translation.get_language_from_path(path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        try:
            match = resolve(path_info, urlconf)
        except Resolver404:
            return None
    view_class = getattr(match.func, "view_class", None)
    if not getattr(view_class, "public_cache", False):
        return None
    return language, match.kwargs.get("slug")


class PublicPageCacheMiddleware:
    """Answers public pages of an election from the shared cache (see the module's docstring).
    Place it after the security headers and before sessions."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PUBLIC_PAGE_CACHE or not _stateless(request):
            return self.get_response(request)
        target = public_view_of(request.path_info)
        if target is None or target[1] is None:
            return self.get_response(request)
        language, slug = target
        key, version_key = _page_key(request, language), _version_key(slug)
        try:
            found = cache.get_many([key, version_key])
        except Exception:
            logger.warning("public cache unavailable", exc_info=True)
            return self.get_response(request)
        snapshot, version = found.get(key), found.get(version_key)
        refresh, max_age = settings.PUBLIC_PAGE_REFRESH, settings.PUBLIC_PAGE_MAX_AGE
        age = time.time() - snapshot["at"] if snapshot is not None else max_age
        if age < max_age and (snapshot["version"] == version or age < refresh * RENDER_AFTER):
            return self._serve(request, snapshot)  # current, or rendered a moment ago
        # Stale: one request renders it anew. Meanwhile the others get the snapshot while it is
        # younger than the refresh interval (so the stated bound holds), else wait for the new one.
        lock = key + ":render"
        owner = cache.add(lock, 1, 30)
        if not owner:
            if age < refresh:
                return self._serve(request, snapshot)
            fresher = _wait_for_snapshot(key, after=snapshot["at"] if snapshot is not None else 0)
            if fresher is not None:
                return self._serve(request, fresher)
        try:
            if version is None:
                cache.add(version_key, uuid.uuid4().hex, None)
                version = cache.get(version_key)
            snapshot_at = time.time()
            response = self.get_response(request)
            stored = self._store(key, response, version, snapshot_at)
        finally:
            if owner:
                cache.delete(lock)
        if stored is not None:
            response["ETag"] = stored["etag"]
            response["Cache-Control"] = "no-cache"
            if not response.has_header("Last-Modified"):
                response["Last-Modified"] = http_date(stored["at"])
        return response

    def _store(self, key, response, version, snapshot_at):
        if (
            response.status_code != 200
            or response.streaming
            or response.has_header("Set-Cookie")
            and not _only_csrf_cookie(response)
            or response.has_header("Cache-Control")
            and "private" in response["Cache-Control"]
        ):
            return None
        body = _with_placeholder(response.content)
        snapshot = {
            "version": version,
            "at": snapshot_at,
            "body": body,
            "etag": quote_etag(hashlib.sha256(body).hexdigest()[:32]),
            "headers": {h: response[h] for h in KEPT_HEADERS if response.has_header(h)},
        }
        try:
            cache.set(key, snapshot, settings.PUBLIC_PAGE_MAX_AGE * 10)
        except Exception:
            logger.warning("public cache: a snapshot was not stored", exc_info=True)
            return None
        return snapshot

    def _serve(self, request, snapshot):
        last_modified = snapshot["headers"].get("Last-Modified") or http_date(snapshot["at"])
        if _not_modified(request, snapshot["etag"], last_modified):
            response = HttpResponseNotModified()
        else:
            body = snapshot["body"]
            csrf = CSRF_PLACEHOLDER.encode() in body
            if csrf:  # the visitor's own token, and its cookie when they have none yet
                CsrfViewMiddleware(self.get_response).process_request(request)
                body = body.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
            response = HttpResponse(body)
            for header, value in snapshot["headers"].items():
                response[header] = value
            if csrf:
                response = CsrfViewMiddleware(self.get_response).process_response(request, response)
        response["ETag"] = snapshot["etag"]
        response["Last-Modified"] = last_modified
        response["Cache-Control"] = "no-cache"
        return response


def _wait_for_snapshot(key: str, after: float, timeout: float = 10.0, step: float = 0.05):
    """The snapshot another request is rendering, once it is stored (None after ``timeout``)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(step)
        snapshot = cache.get(key)
        if snapshot is not None and snapshot["at"] > after:
            return snapshot
    return None


def _only_csrf_cookie(response) -> bool:
    return set(response.cookies) <= {settings.CSRF_COOKIE_NAME}


def _with_placeholder(body: bytes) -> bytes:
    """The page with its CSRF token (one per render) replaced by the placeholder."""
    start = body.find(_CSRF_MARK)
    if start < 0:
        return body
    start += len(_CSRF_MARK)
    token = body[start : body.index(b'"', start)]
    return body.replace(token, CSRF_PLACEHOLDER.encode())


def _not_modified(request, etag: str, last_modified: str) -> bool:
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        return etag in [t.strip() for t in if_none_match.split(",")] or if_none_match.strip() == "*"
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    modified = parse_http_date_safe(last_modified)
    return since is not None and modified is not None and modified <= since
