"""Publication: the announcement, the public list per group or district (no private data), open
data with Last-Modified, the profile and photo, the registration certificate; the observers'
panel and the lifecycle guard."""

import datetime as dt
import json
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import http_date

from accounts.models import Role
from candidates import services
from candidates.pdf import certificate_pdf
from elections.services import TransitionRefused, election_transition

from .factories import WINDOW_CLOSES, ApplicationFactory, admit, png_upload, refuse

SECRET = {"email": "private-person@example.org", "phone": "+7 701 555 44 33"}


@pytest.fixture
def published(cand):
    election = cand["election"]
    services.candidacy_settings_update(
        election=election, actor=None, fields={"birth_date": "optional"}, announcement_ru="Объявление"
    )
    services.announcement_publish(election=election, actor=None)
    admitted = ApplicationFactory(
        election=election,
        group=cand["group_a"],
        full_name="Айгерим Нурланова",
        birth_date=dt.date(1984, 5, 17),
        photo=png_upload(),
        programme="Доступ к терапии в каждом регионе.",
        **SECRET,
    )
    admit(admitted, cand["voters_a"])
    refused = ApplicationFactory(election=election, group=cand["group_a"], full_name="Отказанный Кандидат")
    refuse(refused, cand["voters_a"])
    pending = ApplicationFactory(election=election, group=cand["group_b"], full_name="Ожидающий Кандидат")
    admitted.refresh_from_db()
    return dict(cand, admitted=admitted, refused=refused, pending=pending)


@pytest.mark.django_db
def test_public_list_shows_registered_candidates_without_private_data(client, published):
    slug = published["election"].slug
    url = reverse("candidates:list", args=[slug])
    client.get(url)  # warm caches (sessions, templates)
    with CaptureQueriesContext(connection) as queries:
        body = client.get(url).content.decode()
    assert len(queries) <= 8, [q["sql"] for q in queries]
    assert "Айгерим Нурланова" in body and "Доступ к терапии" in body
    assert "Отказанный Кандидат" not in body and "Ожидающий Кандидат" not in body
    for value in (*SECRET.values(), "1984-05-17", "17.05.1984", "1984"):
        assert value not in body
    assert 'data-contest="g-b"' in body


@pytest.mark.django_db
def test_public_list_query_count_does_not_grow_with_candidates(
    client, published, django_assert_max_num_queries
):
    slug = published["election"].slug
    for n in range(5):
        admit(
            ApplicationFactory(election=published["election"], group=published["group_a"]),
            published["voters_a"],
        )
    client.get(reverse("candidates:list", args=[slug]))
    with django_assert_max_num_queries(8):
        client.get(reverse("candidates:list", args=[slug]))


@pytest.mark.django_db
def test_open_data_is_stable_public_and_has_last_modified(client, published):
    slug = published["election"].slug
    response = client.get(reverse("candidates:open_data_json", args=[slug]))
    assert response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    assert [c["full_name"] for c in data["candidates"]] == ["Айгерим Нурланова"]
    row = data["candidates"][0]
    assert row["status"] == "registered" and row["decision_number"] == 1 and row["contest"] == "g-a"
    assert row["birth_year"] is None  # this election does not publish it
    assert set(row) >= {"organisation", "region", "programme", "photo_url", "profile_url"}
    text = response.content.decode()
    for value in SECRET.values():
        assert value not in text
    last_modified = response["Last-Modified"]
    assert last_modified == http_date(published["admitted"].updated_at.timestamp())
    again = client.get(
        reverse("candidates:open_data_json", args=[slug]), HTTP_IF_MODIFIED_SINCE=last_modified
    )
    assert again.status_code == 304
    csv_response = client.get(reverse("candidates:open_data_csv", args=[slug]))
    csv_text = csv_response.content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("id,contest,contest_name,party")
    assert "Айгерим Нурланова" in csv_text and SECRET["email"] not in csv_text
    assert csv_response["Last-Modified"] == last_modified


@pytest.mark.django_db
def test_year_of_birth_is_published_only_where_the_election_says_so(client, published):
    services.candidacy_settings_update(election=published["election"], actor=None, publish_birth_year=True)
    slug = published["election"].slug
    data = json.loads(client.get(reverse("candidates:open_data_json", args=[slug])).content)
    assert data["candidates"][0]["birth_year"] == 1984
    body = client.get(reverse("candidates:profile", args=[slug, published["admitted"].pk])).content.decode()
    assert "1984" in body and "17" not in body.split("1984")[0][-20:]


@pytest.mark.django_db
def test_profile_and_photo(client, published):
    slug, admitted, pending = published["election"].slug, published["admitted"], published["pending"]
    profile = client.get(reverse("candidates:profile", args=[slug, admitted.pk])).content.decode()
    assert 'id="programme"' in profile and "Доступ к терапии" in profile
    assert SECRET["email"] not in profile
    photo = client.get(reverse("candidates:photo", args=[slug, admitted.pk]))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/png"
    assert client.get(reverse("candidates:profile", args=[slug, pending.pk])).status_code == 404
    pending_with_photo = ApplicationFactory(
        election=published["election"], group=published["group_a"], photo=png_upload()
    )
    assert (
        client.get(reverse("candidates:photo", args=[slug, pending_with_photo.pk])).status_code == 302
    )  # log in
    client.force_login(published["users"]["org_committee_a"])
    assert client.get(reverse("candidates:photo", args=[slug, pending_with_photo.pk])).status_code == 200


@pytest.mark.django_db
def test_certificate_pdf_has_the_name_decision_and_a_verifying_qr_link(client, published):
    admitted = published["admitted"]
    pdf = certificate_pdf(admitted)
    assert pdf.startswith(b"%PDF-")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "Айгерим Нурланова" in text
    assert "№ 1" in text and "Группа А" in text
    assert f"/candidates/verify/{admitted.certificate_code}/" in text.replace("\n", "")
    slug = published["election"].slug
    verify = client.get(reverse("candidates:verify", args=[slug, admitted.certificate_code])).content.decode()
    assert 'data-status="valid"' in verify and "Айгерим Нурланова" in verify
    assert client.get(reverse("candidates:verify", args=[slug, "forged-code"])).status_code == 404


@pytest.mark.django_db
def test_announcement_is_public_once_published(client, cand):
    election = cand["election"]
    url = reverse("candidates:announcement", args=[election.slug])
    assert 'id="not-published"' in client.get(url).content.decode()
    with pytest.raises(Exception):  # noqa: B017 - no text yet
        services.announcement_publish(election=election, actor=cand["users"]["secretariat"])
    client.force_login(cand["users"]["secretariat"])
    response = client.post(
        reverse("candidates:settings", args=[election.slug]),
        {
            "announcement_ru": "Секретариат объявляет выборы членов СКК.",
            "criteria_ru": "Опыт работы в сообществе не менее двух лет.",
            "window_activity": 16, "window_opens_activity": 11, "decision_activity": 16,
            "decision_case_kind": "candidate_application", "withdrawal_activity": 20, "cancellation_activity": 20,
            "allow_self": "on", "allow_organisation": "on", "max_document_mb": 5,
            **{f"mode_{name}": "optional" for name in ("organisation", "occupation", "region", "birth_date", "phone",
                                                        "programme", "photo")},
            "mode_document": "required",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors
    client.post(reverse("candidates:publish", args=[election.slug]), {"action": "publish"})
    client.logout()
    page = client.get(url).content.decode()
    assert "Секретариат объявляет выборы членов СКК." in page
    assert 'data-window="open"' in page  # 12 Aug 2030 is inside 11–15 Aug
    assert 'id="contests"' in page and "Группа А" in page and "Группа Б" in page
    assert "Опыт работы в сообществе не менее двух лет." in page


@pytest.mark.django_db
def test_observer_dashboard_has_the_candidates_panel(published):
    from django.template.loader import render_to_string

    from groups.dashboard import panels_for

    panel = next(
        p for p in panels_for(published["election"]) if p.template == "candidates/panels/candidates.html"
    )
    body = render_to_string(panel.template, {"panel": panel})
    assert 'id="candidate-counts"' in body
    assert 'data-count="admitted">1<' in body and 'data-count="refused">1<' in body
    assert "Айгерим Нурланова" not in body  # totals only


@pytest.mark.django_db
def test_voting_cannot_open_while_applications_await_a_decision(published):
    election = election_transition(election=published["election"], transition="open_registration", actor=None)
    with pytest.raises(TransitionRefused) as refused:
        election_transition(election=election, transition="open_voting", actor=None)
    assert "candidates_undecided" in [b.code for b in refused.value.blockers]
    admit(published["pending"], [published["member_b"]])
    from elections import lifecycle

    codes = [b.code for b in lifecycle.blockers(election, lifecycle.BY_NAME["open_voting"])]
    assert "candidates_undecided" not in codes


@pytest.mark.django_db
def test_my_applications_page_links_the_certificate(client, cand):
    candidate = cand["users"]["candidate_a"]
    application = ApplicationFactory(
        election=cand["election"], group=cand["group_a"], actor=candidate, nomination="self"
    )
    admit(application, cand["voters_a"])
    client.force_login(candidate)
    body = client.get(reverse("candidates:mine", args=[cand["election"].slug])).content.decode()
    assert f'data-application="{application.pk}"' in body and "cert-link" in body
    assert candidate.role_assignments.filter(role=Role.CANDIDATE, group=cand["group_a"]).exists()


@pytest.mark.django_db
def test_csv_exports_neutralise_spreadsheet_formulas(client, published):
    election = published["election"]
    sneaky = ApplicationFactory(
        election=election, group=published["group_a"], organisation='=HYPERLINK("http://x")'
    )
    admit(sneaky, published["voters_a"])
    csv_text = client.get(reverse("candidates:open_data_csv", args=[election.slug])).content.decode(
        "utf-8-sig"
    )
    assert "'=HYPERLINK" in csv_text and ",=HYPERLINK" not in csv_text
    client.force_login(published["users"]["secretariat"])
    package = client.get(reverse("candidates:package_csv", args=[election.slug, "g-a"])).content.decode(
        "utf-8-sig"
    )
    assert "'=HYPERLINK" in package


@pytest.mark.django_db
def test_the_list_invites_applications_only_while_they_are_open(client, cand, clock):
    """The sentence that candidates appear once admitted only while there are none; the invitation
    to apply only while an application would be accepted (announcement published, window open)."""
    election = cand["election"]
    url = "/en" + reverse("candidates:list", args=[election.slug])
    waiting = "Candidates appear here once the commission has admitted them."
    body = client.get(url).content.decode()
    assert waiting in body and 'id="apply-invitation"' not in body  # no announcement yet
    services.candidacy_settings_update(election=election, actor=None, fields={}, announcement_ru="Объявление")
    services.announcement_publish(election=election, actor=None)
    body = client.get(url).content.decode()
    assert waiting in body and 'id="apply-invitation"' in body
    admit(
        ApplicationFactory(election=election, group=cand["group_a"], full_name="Айгерим Нурланова"),
        cand["voters_a"],
    )
    body = client.get(url).content.decode()
    assert "Айгерим Нурланова" in body
    assert waiting not in body and 'id="apply-invitation"' in body
    clock.move_to(WINDOW_CLOSES + dt.timedelta(minutes=1))
    body = client.get(url).content.decode()
    assert "Айгерим Нурланова" in body
    assert waiting not in body and "Read the announcement and apply." not in body
