"""Real-browser journeys: Playwright driving Debian's Chromium against pytest-django's live server.

``playwright install`` cannot download browsers here; the system Chromium (``apt-get install
chromium``; ``make test`` installs it through ``WITH_BROWSER=1 scripts/ensure-system-deps.sh``) is
launched instead. One browser per test session (per xdist worker); each test gets a fresh context.
Every test here is marked ``browser``; without Chromium they are skipped with the reason.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
from pathlib import Path

# The live server runs in a thread while Playwright's sync API keeps an event loop in the test's
# thread; Django refuses ORM calls from a thread with a running loop unless this is set. It must
# be set before Django is touched.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
AXE = ROOT / "static" / "vendor" / "axe-core" / "axe.min.js"
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    skip = None
    if not Path(CHROMIUM).exists():
        skip = pytest.mark.skip(
            reason=f"no Chromium at {CHROMIUM}: apt-get install chromium (make test does it: WITH_BROWSER=1)"
        )
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            if skip is not None:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": {"width": 1280, "height": 900},
        "locale": "ru-RU",
        "timezone_id": "Asia/Almaty",
    }


@pytest.fixture(autouse=True)
def _timeouts(page):
    page.set_default_timeout(15_000)
    page.set_default_navigation_timeout(30_000)


@pytest.fixture(autouse=True)
def _fresh_outbox(settings):
    from django.core import mail

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []


#: reports every Content-Security-Policy violation of every document the page opens (an init
#: script runs before the page's own scripts and, injected by the browser, is not subject to the
#: page's policy)
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__portalCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} ` +
    `at ${e.sourceFile || document.location.href}:${e.lineNumber} ${e.sample || ""}`);
}, true);
"""


class Portal:
    """Helpers bound to the live server and the test's page.

    Every page the test opens is watched: a Content-Security-Policy violation (the
    ``securitypolicyviolation`` event or the browser's console message about it), an uncaught
    script error or any other console error fails the test at its end (``problems``)."""

    def __init__(self, page, live_server):
        self.page = page
        self.base = live_server.url
        self.problems: list[str] = []
        page.expose_function(
            "__portalCspViolation", lambda text: self.problems.append(f"CSP violation: {text}")
        )
        page.add_init_script(REPORT_VIOLATIONS)
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.problems.append(f"script error on {page.url}: {exc}"))

    def _on_console(self, message) -> None:
        text = message.text
        about_policy = "Content Security Policy" in text or "Permissions-Policy" in text
        # "Failed to load resource: … 403": a page a test opens on purpose to see a refusal
        if about_policy or (message.type == "error" and not text.startswith("Failed to load resource")):
            self.problems.append(f"console {message.type} on {self.page.url}: {text}")

    def url(self, path: str) -> str:
        return self.base + path

    def goto(self, path: str):
        response = self.page.goto(self.url(path))
        assert response is not None and response.status < 400, f"{path}: HTTP {response and response.status}"
        return response

    def login(self, email: str, password: str, *, lang: str = "en") -> None:
        prefix = "" if lang == "ru" else f"/{lang}"
        self.goto(f"{prefix}/accounts/login/")
        self.page.fill("input[name=username]", email)
        self.page.fill("input[name=password]", password)
        self.page.locator("main form button[type=submit]").click()
        self.page.wait_for_load_state()
        assert "/accounts/login/" not in self.page.url, f"login failed for {email}"

    def logout(self) -> None:
        self.page.context.clear_cookies()

    def shot(self, name: str) -> Path:
        """A full-page screenshot under var/screenshots/ (git-ignored)."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def shots(self, path: str, name: str) -> None:
        """The same page in Russian (default) and English, screenshotted and axe-checked."""
        english = path if path.startswith("/en/") else "/en" + path
        russian = re.sub(r"^/en/", "/", path)
        for lang, url in (("ru", russian), ("en", english)):
            self.goto(url)
            self.shot(f"{name}-{lang}")
            self.axe(name=f"{name}-{lang}")

    def axe(self, *, name: str = "") -> list[dict]:
        """Run axe-core on the current page; fail on serious or critical violations.

        axe is evaluated through the DevTools protocol, like code typed in the console, not added
        as a <script> tag: the page's Content-Security-Policy (rightly) refuses an inline script,
        and the journeys must see the policy the users get (no ``bypass_csp``)."""
        if not self.page.evaluate("() => typeof window.axe !== 'undefined'"):
            self.page.evaluate(axe_source())
        result = self.page.evaluate(
            """async () => {
                const r = await axe.run(document, {resultTypes: ['violations']});
                return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || ''))}));
            }"""
        )
        bad = [v for v in result if v["impact"] in ("serious", "critical")]
        assert not bad, f"axe on {name or self.page.url}: " + "\n".join(
            f"{v['impact']} {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in bad
        )
        return result

    def csrf_post(self, path: str, data: dict | None = None):
        """A POST from the logged-in browser context with a valid CSRF token (so that a refusal
        comes from the permission check, not from CSRF)."""
        cookies = {c["name"]: c["value"] for c in self.page.context.cookies()}
        token = cookies.get("csrftoken", "")
        return self.page.request.post(
            self.url(path),
            form={"csrfmiddlewaretoken": token, **(data or {})},
            headers={"X-CSRFToken": token, "Referer": self.url(path)},
            max_redirects=0,
        )


@functools.cache
def axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def portal(page, live_server):
    portal = Portal(page, live_server)
    yield portal
    assert not portal.problems, "the browser reported:\n" + "\n".join(portal.problems)
