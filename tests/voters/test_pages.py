"""Pages of the voters area: the navigation, the observer dashboard's panel (aggregates only),
the windows page, and list pages whose queries do not grow with the rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from voters import services

from .factories import import_rows, register_row, registration


@pytest.mark.django_db
def test_election_navigation_links_the_voters_area(client, ccm):
    page = client.get(reverse("elections:detail", args=[ccm["election"].slug])).content.decode()
    assert reverse("voters:index", args=[ccm["election"].slug]) in page


@pytest.mark.django_db
def test_dashboard_panel_shows_counts_and_no_personal_data(ccm):
    from django.template.loader import render_to_string

    from groups.dashboard import _PANELS
    from voters.dashboard import registration_panel

    registration(ccm["group_a"], email="secret-voter@example.org", name="Тайный Избиратель", decided="accept")
    registration(ccm["group_a"], email="other@example.org")
    assert _PANELS["registration"][1] is registration_panel
    panel = registration_panel(ccm["election"])
    html = render_to_string(panel.template, {"panel": panel})  # as the dashboard includes it
    assert 'id="registration-panel"' in html
    row = next(r for r in panel.context["groups"] if r["group"] == ccm["group_a"])
    assert (row["accepted"], row["confirmed"]) == (1, 1)
    assert "secret-voter@example.org" not in html and "Тайный" not in html


@pytest.mark.django_db
def test_windows_page_sets_exact_times_in_the_elections_zone(client, ccm):
    client.force_login(ccm["users"]["secretariat"])
    url = reverse("voters:settings", args=[ccm["election"].slug])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"registration_opens_at": "2030-08-02T09:00", "registration_closes_at": "2030-08-12T18:00"}
    )
    assert response.status_code == 302
    settings = ccm["election"].voter_settings
    settings.refresh_from_db()
    assert settings.registration_opens_at == dt.datetime(2030, 8, 2, 4, 0, tzinfo=dt.UTC)  # 09:00 in Almaty
    bad = client.post(
        url, {"registration_opens_at": "2030-08-12T09:00", "registration_closes_at": "2030-08-02T18:00"}
    )
    assert bad.status_code == 200 and "registration_closes_at" in bad.context["form"].errors


@pytest.mark.django_db
def test_list_pages_query_count_does_not_grow_with_rows(client, kg, ccm):
    from tests.factories import user_with_role

    client.force_login(user_with_role("secretariat"))
    precinct_url = reverse("voters:precinct_list", args=[kg["election"].slug, 1001])
    group_url = reverse("voters:registered_list", args=[ccm["election"].slug, ccm["group_a"].slug])
    import_rows(kg["election"], [register_row(i) for i in range(3)])
    for i in range(3):
        registration(ccm["group_a"], email=f"{i}@example.org", decided="accept")
    counts = []
    for url in (precinct_url, group_url):
        with CaptureQueriesContext(connection) as few:
            assert client.get(url).status_code == 200
        counts.append(len(few))
    import_rows(kg["election"], [register_row(100 + i) for i in range(30)])
    for i in range(30):
        registration(ccm["group_a"], email=f"more{i}@example.org", decided="accept")
    for url, before in zip((precinct_url, group_url), counts, strict=True):
        with CaptureQueriesContext(connection) as many:
            assert client.get(url).status_code == 200
        assert len(many) == before


@pytest.mark.django_db
def test_import_page_lists_the_problems_with_their_lines(client, kg):
    from tests.factories import user_with_role

    client.force_login(user_with_role("secretariat"))
    bad = import_rows(kg["election"], [register_row(0), register_row(1, birth_date="1980-13-01")], mode=None)
    page = client.get(reverse("voters:import_detail", args=[kg["election"].slug, bad.pk])).content.decode()
    assert 'data-line="3" data-code="date_invalid"' in page
    assert reverse("voters:import_report", args=[kg["election"].slug, bad.pk]) in page
    report = client.get(reverse("voters:import_report", args=[kg["election"].slug, bad.pk]))
    assert b"1980-13-01" in b"".join(report.streaming_content)
    services.register_import_discard(register_import=bad, actor=None)
    bad.refresh_from_db()
    assert bad.status == "discarded"
