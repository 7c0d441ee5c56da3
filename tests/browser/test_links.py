"""Only usable links, in a real browser: an observer and a commission member open every
same-site link of their pages (breadth first, bounded) and never meet a refusal (403), a missing
page or a server error. Small on purpose; the full crawl of every demo role runs with the test
client in ``tests/demo/test_links.py``."""

from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

from .setup import PASSWORD, ccm_election

MAX_PAGES = 60
SKIP = ("/accounts/logout", "/i18n/", "/admin/", "/static/", "/media/")


def _is_file(path: str) -> bool:
    last = path.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
    return "." in last or "download" in path or "format=" in path


def _walk(portal, start: str) -> tuple[int, list[str]]:
    page, base = portal.page, portal.base
    seen, problems, pages = set(), [], 0
    queue = deque([(start, "(start)")])
    while queue and pages < MAX_PAGES:
        path, source = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        if _is_file(path):  # a download: the status is enough (the browser would save it)
            status = page.request.get(base + path, max_redirects=0).status
            if status >= 400:
                problems.append(f"{path} (linked from {source}) -> {status}")
            continue
        try:
            response = page.goto(base + path)
        except PlaywrightError as exc:  # an attachment the browser downloads: check its status
            if "Download is starting" not in str(exc):
                raise
            status = page.request.get(base + path, max_redirects=0).status
            if status >= 400:
                problems.append(f"{path} (linked from {source}) -> {status}")
            continue
        pages += 1
        status = response.status if response else 0
        if status >= 400 or "/accounts/login/" in page.url:
            problems.append(f"{path} (linked from {source}) -> {status} {page.url}")
            continue
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        for href in hrefs:
            url = urldefrag(href)[0]
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or url.split("/")[2] != base.split("/")[2]:
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target.startswith(SKIP) or target.startswith("/en/"):
                continue
            if target not in seen:
                queue.append((target, path))
    return pages, problems


@pytest.mark.parametrize("who", ["observer", "chair"])
def test_every_link_of_the_observer_and_a_commission_member_opens(portal, who):
    data = ccm_election()
    email = {"observer": "observer@example.org", "chair": "chair@example.org"}[who]
    portal.login(email, PASSWORD, lang="ru")
    pages, problems = _walk(portal, f"/elections/{data['election'].slug}/")
    assert pages > 10
    assert problems == [], "\n".join(problems)
    portal.goto(f"/elections/{data['election'].slug}/")
    portal.shot(f"links-{who}")
