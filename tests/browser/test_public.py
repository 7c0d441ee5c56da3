"""The public (no login): the home page, an election, its candidates, results page and open data."""

import csv
import io
import json

from django.core.files.uploadedfile import SimpleUploadedFile

from candidates import services as cs

from .setup import PDF_BYTES, ccm_election


def test_public_reads_the_election_and_downloads_open_data(portal, tmp_path, settings):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    data = ccm_election()
    application = cs.application_submit(
        election=data["election"],
        actor=None,
        nomination="self",
        group=data["group"],
        full_name="Динара Оспанова",
        email="d.ospanova@example.org",
        organisation="ОЮЛ «Казахстанский союз людей, живущих с ВИЧ»",
        region="г. Алматы",
        programme="Бесперебойный доступ к терапии во всех регионах.",
        document=SimpleUploadedFile("form.pdf", PDF_BYTES, content_type="application/pdf"),
        consent=True,
    )
    cs.application_decide(
        application=application,
        actor=None,
        decision="admit",
        votes={m.pk: "for" for m in data["members"]},
        create_account=False,
    )
    page = portal.page

    portal.shots("/", "home")
    page.get_by_role("link", name="CCM NGO-sector elections (browser test)").first.click()
    page.wait_for_url("**/elections/journey/")
    page.get_by_role("link", name="Candidates").first.click()
    page.wait_for_url("**/elections/journey/candidates/")
    assert page.get_by_text("Динара Оспанова").first.is_visible()
    portal.goto("/en/elections/journey/results/")
    portal.axe(name="results-before-count")

    rows = list(
        csv.DictReader(
            io.StringIO(_download(portal, "/en/elections/journey/candidates/open-data/candidates.csv"))
        )
    )
    assert [r for r in rows if "Динара Оспанова" in r.values()]
    assert "d.ospanova@example.org" not in json.dumps(rows)  # no personal contacts in open data
    listed = json.loads(_download(portal, "/en/elections/journey/candidates/open-data/candidates.json"))
    assert "Динара Оспанова" in json.dumps(listed, ensure_ascii=False)


def _download(portal, path: str) -> str:
    response = portal.page.request.get(portal.url(path))
    assert response.status == 200, f"{path}: {response.status}"
    return response.body().decode("utf-8-sig")
