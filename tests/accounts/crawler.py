"""A breadth-first crawler over the portal with Django's test client: every same-site ``a[href]``
and GET form from a role's start pages, and every POST form's target checked inside a
rolled-back transaction. Used by ``test_links.py``; a problem is reported with the page that
linked to it."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlencode, urljoin, urlsplit

from django.db import transaction

#: never followed: they end the session, switch the language or leave the portal's pages
SKIP_PREFIXES = ("/accounts/logout", "/en/", "/i18n/", "/admin/", "/static/", "/media/")
SKIP_PARTS = ("/logout",)


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = {
                "method": (a.get("method") or "get").lower(),
                "action": a.get("action") or "",
                "fields": {},
                "submit": False,
            }
            self.forms.append(self._form)
        elif tag in ("input", "select", "textarea", "button") and self._form is not None:
            name = a.get("name")
            kind = (a.get("type") or "").lower()
            if (tag == "button" and kind in ("", "submit")) or (
                tag == "input" and kind in ("submit", "image")
            ):
                self._form["submit"] = True  # a form without a button offers no action
            if name and kind not in ("submit", "file", "button", "checkbox", "radio") and tag != "button":
                self._form["fields"][name] = a.get("value") or ""
            elif name and kind in ("checkbox", "radio") and "checked" in a:
                self._form["fields"][name] = a.get("value") or "on"

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


@dataclass
class Report:
    pages: int = 0
    posts: int = 0
    problems: list[str] = field(default_factory=list)


def _local(base: str, href: str) -> str | None:
    href = href.strip()
    if href.startswith(("mailto:", "tel:", "javascript:", "#", "data:")):
        return None
    url = urldefrag(urljoin(base, href))[0]
    parts = urlsplit(url)
    if parts.netloc and parts.netloc not in ("testserver", ""):
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if path.startswith(SKIP_PREFIXES) or any(p in parts.path for p in SKIP_PARTS):
        return None
    return path


def crawl(
    client, start: list[str], *, max_pages: int = 400, check_posts: bool = True, anonymous: bool = False
) -> Report:
    """Follow links from ``start``; every response must be 200/30x (redirects are followed as
    links); every POST form is submitted in a rolled-back transaction and must not be refused
    with 403 (or fail with 404/500)."""
    # an address of its own (loopback): its many form submissions count against the public forms'
    # per-address rate limit, which a shared Redis cache keeps across the test workers — they must
    # not use up the budget of the browser journeys served to 127.0.0.1
    client.defaults["REMOTE_ADDR"] = "127.0.0.2"
    report = Report()
    seen: set[str] = set()
    posted: set[str] = set()
    queue: deque[tuple[str, str]] = deque((url, "(start)") for url in start)
    while queue and report.pages < max_pages:
        url, source = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        try:
            response = client.get(url)
        except Exception as exc:  # the test client re-raises a view's exception
            report.problems.append(f"{url} (linked from {source}) -> {type(exc).__name__}: {exc}")
            continue
        report.pages += 1
        report.problems.extend(missing_security_headers(response, f"{url} (linked from {source})"))
        status = response.status_code
        if status in (301, 302, 303, 307, 308):
            target = _local(url, response["Location"])
            if target and "/accounts/login" in target:
                if anonymous:
                    continue  # "log in to …": the public is sent to the login page, not refused
                report.problems.append(f"{url} (linked from {source}) -> redirected to the login page")
            elif target:
                queue.append((target, f"{url} (redirect)"))
            continue
        if status != 200:
            report.problems.append(f"{url} (linked from {source}) -> {status}")
            continue
        content_type = response.get("Content-Type", "")
        if "text/html" not in content_type:
            continue
        parser = _Parser()
        parser.feed(response.content.decode("utf-8", "replace"))
        for href in parser.links:
            target = _local(url, href)
            if target and target not in seen:
                queue.append((target, url))
        for form in parser.forms:
            target = _local(url, form["action"] or url)
            if not target:
                continue
            if form["method"] == "get":
                query = urlencode({k: v for k, v in form["fields"].items() if v})
                if query:
                    target = f"{target.split('?')[0]}?{query}"
                if target not in seen:
                    queue.append((target, f"{url} (form)"))
            elif check_posts and form["submit"] and target not in posted:
                posted.add(target)
                report.posts += 1
                status = _post_rolled_back(client, target, form["fields"])
                if status in (403, 404, 405) or status >= 500:
                    report.problems.append(f"POST {target} (form on {url}) -> {status}")
    return report


#: the Content-Security-Policy every page must send (issue 16): no inline script or style
CSP_REQUIRED = ("default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'")


def missing_security_headers(response, where: str) -> list[str]:
    """The Content-Security-Policy (strict: no 'unsafe-inline' or 'unsafe-eval') and the
    Permissions-Policy that every response of the portal sends."""
    problems = []
    policy = response.get("Content-Security-Policy", "")
    is_pdf = response.get("Content-Type", "").startswith("application/pdf")
    if not policy:
        problems.append(f"{where} -> no Content-Security-Policy header")
    elif "unsafe-" in policy:
        problems.append(f"{where} -> the Content-Security-Policy allows unsafe code: {policy}")
    elif not is_pdf and not all(part in policy for part in CSP_REQUIRED):
        problems.append(f"{where} -> a weaker Content-Security-Policy: {policy}")
    if "camera=()" not in response.get("Permissions-Policy", ""):
        problems.append(f"{where} -> no Permissions-Policy header")
    return problems


class _Rollback(Exception):
    pass


def _post_rolled_back(client, url: str, fields: dict) -> int:
    """Submit the form with its pre-filled fields and roll everything back; return the status."""
    status = 0
    try:
        with transaction.atomic():
            response = client.post(url, fields)
            status = response.status_code
            raise _Rollback
    except _Rollback:
        pass
    except Exception:  # the test client re-raises a view's exception
        status = 500
    return status
