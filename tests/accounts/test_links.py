"""Only usable links at the nomination stage (the demo stands at counting; see
``tests/demo/test_links.py``): a CCM election inside its application window, crawled with the
test client as each of its roles. No page links to a refusal, and every button a page offers is
accepted by the view's permission check (sent in a rolled-back transaction)."""

import pytest

from tests.browser.setup import ccm_election

from .crawler import crawl

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["secretariat", "orgcom", "chair", "observer", None])
def test_links_and_buttons_of_every_role_during_nominations(client, role):
    data = ccm_election()
    if role:
        client.force_login(data["users"][role])
    slug = data["election"].slug
    report = crawl(client, ["/", f"/elections/{slug}/"], max_pages=250, anonymous=role is None)
    assert report.pages > 20
    assert report.problems == [], "\n".join(report.problems)


def test_the_application_form_is_offered_while_the_window_is_open(client):
    data = ccm_election()
    client.force_login(data["users"]["orgcom"])
    page = client.get(f"/en/elections/{data['election'].slug}/candidates/apply/").content.decode()
    assert 'id="apply-form"' in page
    assert "Applications are not accepted now" not in page
