"""Content-Security-Policy and Permissions-Policy (issue 16, deliverable 4).

Every page sends a strict policy — scripts and styles only from the portal's static files — so no
template may carry an inline script, an on…= handler, a javascript: link or a style attribute;
this file checks the templates for them, and the headers on pages the crawlers do not reach (the
admin, errors, the login steps, PDFs). ``tests/demo/test_links.py`` and ``tests/accounts/test_links.py``
check the headers on every page each role reaches (``crawler.missing_security_headers``); the
browser journeys fail on any violation the browser reports."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from accounts.models import Role
from tests.factories import user_with_role

from .crawler import missing_security_headers

ROOT = Path(settings.BASE_DIR)
#: rendered to PDF by WeasyPrint (their <style> blocks never reach a browser)
PDF_TEMPLATES = {
    "voters/precinct_list_pdf.html",
    "elections/calendar_pdf.html",
    "candidates/package_pdf.html",
    "candidates/certificate_pdf.html",
    "protocols/pdf/protocol.html",
    "meetings/pdf/minutes.html",
    "protocols/pdf/act.html",
    "ballots/pdf/ballot_proof.html",
    "polling/pdf/order.html",
    "campaign/credential.html",
    "campaign/pdf/notice.html",
    "groups/credential.html",
}
INLINE = {
    "inline <script>": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I),
    "on…= handler": re.compile(r"<[^>]+\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "style attribute": re.compile(r"<[^>]+\sstyle\s*=", re.I),
    "<style> block": re.compile(r"<style\b", re.I),
}


def _templates():
    for path in sorted(ROOT.glob("*/templates/**/*.html")) + sorted((ROOT / "templates").glob("**/*.html")):
        if ".venv" in path.parts:
            continue
        name = str(path).split("/templates/", 1)[1]
        yield name, path


def test_no_template_has_inline_code_or_styles():
    found = []
    count = 0
    for name, path in _templates():
        if name in PDF_TEMPLATES:
            continue
        count += 1
        text = path.read_text()
        for what, pattern in INLINE.items():
            for match in pattern.finditer(text):
                found.append(f"{name}: {what}: {match.group(0)[:80]}")
    assert count > 100  # really looked at the portal's templates
    assert found == []


def test_the_detector_finds_what_the_policy_blocks():
    samples = [
        "<script>alert(1)</script>",
        '<a onclick="x()">',
        '<a href="javascript:void(0)">',
        '<div class="a" style="width: 3px">',
        "<style>p{}</style>",
    ]
    for sample, pattern in zip(samples, INLINE.values(), strict=True):
        assert pattern.search(sample)
    assert not INLINE["inline <script>"].search('<script src="/static/js/portal.js"></script>')
    assert not INLINE["inline <script>"].search('<script id="d" type="application/json">{}</script>')


def _policy(response) -> dict[str, str]:
    return {
        part.strip().split(" ", 1)[0]: part.strip().split(" ", 1)[1]
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    }


@pytest.mark.django_db
def test_the_policy_allows_only_the_portals_own_scripts_and_styles(client):
    response = client.get("/")
    policy = _policy(response)
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert policy["img-src"] == "'self' data:"  # Bootstrap's icons are data: SVGs in its CSS
    assert "unsafe" not in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/en/admin/",
        "/en/admin/accounts/user/",
        "/en/admin/accounts/user/add/",
        "/en/admin/elections/election/",
        "/en/accounts/two-step/",
        "/en/accounts/profile/",
        "/en/no-such-page/",
    ],
)
def test_admin_and_other_pages_send_the_headers(client, path):
    secretariat = user_with_role(Role.SECRETARIAT)
    secretariat.is_staff = True
    secretariat.save()
    client.force_login(secretariat)
    response = client.get(path)
    assert response.status_code in (200, 404)
    assert missing_security_headers(response, path) == []


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/password-reset/", "/accounts/login/code/"])
def test_public_account_pages_send_the_headers(client, path):
    response = client.get(path)
    assert missing_security_headers(response, path) == []


def test_a_pdf_gets_a_policy_its_viewer_can_show(rf):
    from django.http import HttpResponse

    from accounts.middleware import ContentSecurityPolicyMiddleware

    middleware = ContentSecurityPolicyMiddleware(
        lambda request: HttpResponse(b"%PDF-1.7", content_type="application/pdf")
    )
    response = middleware(rf.get("/x.pdf"))
    assert _policy(response) == {"object-src": "'self'", "frame-ancestors": "'none'"}
    html = ContentSecurityPolicyMiddleware(lambda request: HttpResponse(b"<p>"))(rf.get("/"))
    assert "script-src 'self'" in html["Content-Security-Policy"]
