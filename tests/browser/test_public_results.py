"""The public reads the published results and downloads the open data (issue 10, the last journey).

Set up through the real services (``tests/protocols/publication_fixtures.py``): a CCM election
whose group protocol the counting commission signed, and a KG local-council election with two
precinct protocols, the TEC summary and the CEC result (party lists, “against all”), signed.
The last signature of each protocol renders, signs and stores its PDFs (the Celery task runs
eagerly; the portal's signing pair is in tmp_path). Then an anonymous visitor, in the browser: finds the
election from the home page, reads the results (votes, percentages and their bases, the member
and alternate, seats per list and “against all”), clicks through to the group, district and
precinct pages, sees the charts drawn by the vendored Chart.js with no console error, downloads
the CSV and JSON open data and a signed protocol PDF through the links on the page, and
subscribes to the results mail (confirmed by the mailed link). Before publication the results
page shows no figure. Every results page is axe-checked and screenshotted in Russian and English.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.core import mail

from elections import signing
from protocols.models import ResultSubscription
from tests.protocols.conftest import counted, kg_counting  # noqa: F401 - fixtures of the protocol tests
from tests.protocols.publication_fixtures import ccm_signed, kg_signed, publish

#: names and addresses that must never appear in open data: voters, commission members
PERSONAL = ("@example.org", "Избиратель", "Асанова", "Бекова", "Волков", "Pec100", "Tec", "Cec")


@pytest.fixture
def signing_pair(settings, tmp_path):
    """The portal's signing pair and private storage in tmp_path (the PDFs are signed, stored and
    served from there)."""
    key_pem, cert_pem = signing.generate_self_signed()
    (tmp_path / "key.pem").write_bytes(key_pem)
    (tmp_path / "cert.pem").write_bytes(cert_pem)
    settings.PROTOCOL_SIGNING_KEY_FILE = str(tmp_path / "key.pem")
    settings.PROTOCOL_SIGNING_CERT_FILE = str(tmp_path / "cert.pem")
    settings.PROTOCOL_SIGNING_KEY_PASSPHRASE = ""
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    return tmp_path


@pytest.fixture
def console_errors(page):
    """Errors the pages write to the browser console (a missing file, a script error), and
    uncaught exceptions."""
    errors: list[str] = []

    def on_console(message):
        if message.type == "error":
            errors.append(f"{message.text} ({message.location.get('url', '')})")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def _row(page, attr: str, code: str):
    return page.locator(f'tr[data-{attr}="{code}"]').first


def _cells(page, attr: str, code: str) -> list[str]:
    row = _row(page, attr, code)
    return [" ".join(t.split()) for t in row.locator("th, td").all_inner_texts()]


def _charts_drawn(page, console_errors: list[str]) -> int:
    """Every chart canvas of the page is drawn by Chart.js (served from the portal, no CDN), and
    the console has no error. Returns the number of charts."""
    page.wait_for_load_state("load")
    assert page.locator('script[src*="vendor/chartjs/chart.umd"]').count() == 1
    drawn = page.evaluate(
        """() => {
            if (typeof Chart !== 'function') return -1;
            const canvases = [...document.querySelectorAll('canvas[data-results-chart]')];
            return canvases.every(c => Chart.getChart(c) && c.width > 0) ? canvases.length : -2;
        }"""
    )
    assert drawn > 0, f"charts not drawn ({drawn})"
    assert not console_errors, console_errors
    return drawn


def _download(page, link) -> tuple[str, bytes]:
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.failure() is None, download.failure()
    with open(download.path(), "rb") as handle:
        return download.suggested_filename, handle.read()


def _no_personal_data(text: str) -> None:
    found = [p for p in PERSONAL if p in text]
    assert not found, f"personal data in open data: {found}"


def test_public_reads_ccm_results_and_downloads_open_data(portal, signing_pair, counted, console_errors):  # noqa: F811
    protocol = ccm_signed(counted)  # the last signature queued the signed PDFs (Celery, eager here)
    assert {(d.language, d.copy) for d in protocol.documents.all()} == {("ru", 1), ("ru", 2), ("en", 1)}
    election = publish(counted["election"])
    slug, group = election.slug, counted["group"]
    alpha, beta = counted["alpha"], counted["beta"]
    page = portal.page

    # from the home page to the election and its results
    portal.goto("/en/")
    page.get_by_role("link", name=election.title_en, exact=True).click()
    page.wait_for_url(f"**/en/elections/{slug}/")
    page.get_by_role("navigation", name="Election sections").get_by_role("link", name="Results").click()
    page.wait_for_url(f"**/en/elections/{slug}/results/")
    assert page.locator("#results-not-published").count() == 0

    # votes, percentages of the valid ballots, the member and the alternate
    assert _cells(page, "option", alpha.code)[1:] == ["4", "50.00 %", "elected"]
    assert _cells(page, "option", beta.code)[1:] == ["2", "25.00 %", "alternate"]
    assert (
        "Percentages are of the valid ballots (8)" in page.locator("table.result-votes caption").inner_text()
    )
    outcome = page.locator(".result-outcome").inner_text()
    assert "Elected: Алиева Айгуль" in outcome and "Alternate: Борисов Бекзат" in outcome
    # against all, blank, invalid and late ballots, each with its base
    assert _cells(page, "special", "against_all")[1:] == ["1", "12.50 %", "of valid ballots (8)"]
    assert _cells(page, "special", "blank")[1:] == ["1", "12.50 %", "of valid ballots (8)"]
    assert _cells(page, "special", "invalid")[1:] == ["2", "18.18 %", "of ballots received (11)"]
    assert _cells(page, "special", "late")[1:] == ["1", "9.09 %", "of ballots received (11)"]
    # turnout by region (2 of the 3 registered voters took part) and the charts
    assert _cells(page, "region", counted["registrations"][0].region)[1:] == ["3", "2", "66.67 %"]
    assert _charts_drawn(page, console_errors) == 2  # votes and turnout

    # open data through the links on the page: the protocol's numbers, no personal data
    name, body = _download(page, page.locator("#results-published-at").get_by_role("link", name="CSV"))
    assert name == f"results-{slug}.csv"
    text = body.decode("utf-8-sig")
    _no_personal_data(text)
    rows = {(r["row_type"], r["code"]): r for r in csv.DictReader(io.StringIO(text))}
    assert (rows[("option", alpha.code)]["value"], rows[("option", alpha.code)]["percent"]) == ("4", "50.00")
    assert rows[("option", alpha.code)]["elected"] == "1" and rows[("option", beta.code)]["alternate"] == "1"
    assert rows[("special", "invalid")]["value"] == "2" and rows[("special", "invalid")]["base_value"] == "11"
    assert rows[("figure", "ballots_total")]["value"] == "11"
    name, body = _download(page, page.locator("#results-published-at").get_by_role("link", name="JSON"))
    assert name == f"results-{slug}.json"
    _no_personal_data(body.decode())
    result = json.loads(body)["contests"][0]["result"]
    assert result["protocol"]["id"] == protocol.pk and result["valid_ballots"] == 8
    assert {o["code"]: o["votes"] for o in result["options"]} == {alpha.code: 4, beta.code: 2}
    assert {s["code"]: (s["number"], s["percent_base"]) for s in result["special"]} == {
        "against_all": (1, "ballots_valid"),
        "blank": (1, "ballots_valid"),
        "invalid": (2, "ballots_total"),
        "late": (1, "ballots_total"),
    }

    # the group page: every line of the protocol, the decision, and the signed PDF
    page.locator("section[data-contest] h3").get_by_role("link", name=group.name_en).click()
    page.wait_for_url(f"**/en/elections/{slug}/results/group/{group.slug}/")
    assert _cells(page, "line", "ballots_total")[-1] == "11"
    assert _cells(page, "line", "ballots_late")[-1] == "1"
    assert "Членом СКК избрана Алиева Айгуль." in page.locator(".result-decision").inner_text()
    assert _charts_drawn(page, console_errors) == 1
    name, body = _download(page, page.locator('.result-documents a[data-document="ru"]'))
    assert body.startswith(b"%PDF") and name.endswith("-copy1-ru.pdf")
    assert page.locator('.result-documents a[data-document="en"]').count() == 1

    portal.shots(f"/elections/{slug}/results/", "results-ccm")
    portal.shots(f"/elections/{slug}/results/group/{group.slug}/", "results-group")
    assert not console_errors, console_errors


def test_public_reads_council_results_by_district_and_precinct(
    portal,
    signing_pair,
    kg_counting,  # noqa: F811
    console_errors,
):
    signed = kg_signed(kg_counting)  # precinct protocols, TEC summary and CEC result, all signed
    election, district = kg_counting["election"], kg_counting["district"]
    slug, (list_a, list_b, _against) = election.slug, kg_counting["options"]
    precinct = kg_counting["precincts"][1]
    assert all(p.documents.filter(is_signed=True).count() == 3 for p in signed["precinct_protocols"])
    page = portal.page

    # before publication (counting): the page says when the results come, and shows no figure
    portal.goto("/en/")
    page.get_by_role("link", name=election.title_en, exact=True).click()
    page.wait_for_url(f"**/en/elections/{slug}/")
    page.get_by_role("navigation", name="Election sections").get_by_role("link", name="Results").click()
    page.wait_for_url(f"**/en/elections/{slug}/results/")
    assert page.locator("#results-not-published").is_visible()
    content = page.content()
    assert "Партия А" not in content and "data-votes" not in content and "<canvas" not in content
    assert page.locator("#results-published-at").count() == 0  # no open-data links yet
    assert page.request.get(portal.url(f"/en/elections/{slug}/results/open-data/results.json")).status == 404
    assert page.request.get(portal.url(f"/en/elections/{slug}/results/district/{district.number}/")).ok
    portal.shots(f"/elections/{slug}/results/", "results-before-publication")

    # the visitor subscribes to the results mail and confirms by the mailed link
    portal.goto(f"/en/elections/{slug}/results/")
    page.locator("#id_email").fill("reader@example.net")
    page.get_by_role("button", name="Subscribe").click()
    page.wait_for_url(f"**/en/elections/{slug}/results/subscribe/")
    assert page.get_by_text("Check your mailbox").is_visible()
    assert [m.to for m in mail.outbox] == [["reader@example.net"]]
    link = re.search(r"https?://\S+?(/en/elections/\S+/subscribe/confirm/\S+?/)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    portal.goto(link.group(1))
    page.get_by_role("button", name="Confirm the subscription").click()
    page.wait_for_url(f"**/en/elections/{slug}/results/")
    assert page.get_by_text("Subscription confirmed").is_visible()
    assert ResultSubscription.objects.get(email="reader@example.net").confirmed_at is not None

    # the results are certified and published: the subscriber gets them, once
    election = publish(election)
    results_mail = [m for m in mail.outbox if m is not mail.outbox[0]]
    assert len(results_mail) == 1 and results_mail[0].to == ["reader@example.net"]
    assert "500" in results_mail[0].body and "/unsubscribe/" in results_mail[0].body

    # the council's result: votes and percentages, seats per list, against all and invalid ballots
    page.reload()
    assert page.locator("#results-not-published").count() == 0
    assert _cells(page, "option", list_a.code)[1:] == ["500", "57.47 %", "seats: 3"]
    assert _cells(page, "option", list_b.code)[1:] == ["300", "34.48 %", "seats: 2"]
    assert "Партия А (seats: 3); Партия Б (seats: 2)" in page.locator(".result-outcome").inner_text()
    assert _cells(page, "special", "against_all")[1:] == ["70", "8.05 %", "of valid ballots (870)"]
    assert _cells(page, "special", "invalid")[1:] == [
        "30",
        "3.33 %",
        "of ballots found in the ballot boxes (900)",
    ]
    assert page.locator('tr[data-special="late"]').count() == 0  # no such line on a KG protocol
    assert _cells(page, "region", str(district.number))[1:] == ["2000", "900", "45.00 %"]
    assert _charts_drawn(page, console_errors) == 2

    # open data: the CEC result and every lower protocol, the same numbers, no personal data
    name, body = _download(page, page.locator("#results-published-at").get_by_role("link", name="JSON"))
    assert name == f"results-{slug}.json"
    _no_personal_data(body.decode())
    contest = json.loads(body)["contests"][0]
    assert (
        contest["result"]["level"] == "central" and contest["result"]["protocol"]["id"] == signed["result"].pk
    )
    assert {o["label"]: (o["votes"], o["seats"]) for o in contest["result"]["options"]} == {
        "Партия А": (500, 3),
        "Партия Б": (300, 2),
    }
    against = next(s for s in contest["result"]["special"] if s["code"] == "against_all")
    assert (against["number"], against["percent"], against["base_value"]) == (70, "8.05", 870)
    lower = {(p["level"], (p["unit"] or {}).get("number")) for p in contest["lower_protocols"]}
    assert lower == {
        ("territorial", district.number),
        *(("precinct", p.number) for p in kg_counting["precincts"]),
    }
    name, body = _download(page, page.locator("#results-published-at").get_by_role("link", name="CSV"))
    text = body.decode("utf-8-sig")
    _no_personal_data(text)
    rows = list(csv.DictReader(io.StringIO(text)))
    votes = {
        (r["level"], r["unit_number"], r["label"]): r["value"] for r in rows if r["row_type"] == "option"
    }
    assert votes[("central", "", "Партия А")] == "500"
    assert votes[("precinct", str(precinct.number), "Партия А")] == "200"
    assert votes[("precinct", str(kg_counting["precincts"][0].number), "Партия Б")] == "150"

    # the district page: TEC summary and a row per precinct protocol, by the council's link
    page.locator("section[data-contest] h3 a").first.click()
    page.wait_for_url(f"**/en/elections/{slug}/results/district/{district.number}/")
    assert page.get_by_text("Summary table of a territorial commission").first.is_visible()
    first = _cells(page, "precinct", str(kg_counting["precincts"][0].number))
    assert first == ["№ 1001", "1000", "500", "50.00", "490", "10", "300", "150", "40", "RU · EN"]
    # each precinct's signed protocol, from its row of the table
    cell = _row(page, "precinct", str(kg_counting["precincts"][0].number)).locator(".result-documents")
    name, body = _download(page, cell.locator('a[data-document="ru"]'))
    assert body.startswith(b"%PDF") and f"precinct-{kg_counting['precincts'][0].number}" in name
    assert _charts_drawn(page, console_errors) == 1

    # the precinct page, by the link in the precinct table
    _row(page, "precinct", str(precinct.number)).get_by_role(
        "link", name=f"№ {precinct.number}", exact=True
    ).click()
    page.wait_for_url(f"**/en/elections/{slug}/results/precinct/{precinct.number}/")
    assert _cells(page, "option", list_a.code)[1:3] == ["200", "52.63 %"]
    assert _cells(page, "special", "invalid")[1:] == [
        "20",
        "5.00 %",
        "of ballots found in the ballot boxes (400)",
    ]
    assert _charts_drawn(page, console_errors) == 1
    name, body = _download(page, page.locator('.result-documents a[data-document="en"]'))
    assert body.startswith(b"%PDF") and name.endswith("-en.pdf") and f"precinct-{precinct.number}" in name

    for path, shot in (
        (f"/elections/{slug}/results/", "results-council"),
        (f"/elections/{slug}/results/district/{district.number}/", "results-district"),
        (f"/elections/{slug}/results/precinct/{precinct.number}/", "results-precinct"),
    ):
        portal.shots(path, shot)
    assert not console_errors, console_errors
