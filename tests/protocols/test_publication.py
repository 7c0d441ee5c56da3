"""Publication of results (seed 000 item 24; seed 003 items 56, 58): public pages without login
with absolute numbers, percentages and their bases; nothing before publication; open data with
Last-Modified and 304; subscription with double opt-in; the results mail sent once."""

import csv
import io
import json
import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.http import http_date, parse_http_date

from elections.models import AuditEntry
from protocols import publication_selectors as ps
from protocols.models import ResultMailing, ResultSubscription
from protocols.services.publication import (
    results_confirm,
    results_mail_subscribers,
    results_subscribe,
    results_unsubscribe,
)
from protocols.tasks.publication import mail_results
from tests.outbox import send_outbox
from tests.protocols.publication_fixtures import ccm_signed, kg_signed, publish

pytestmark = pytest.mark.django_db


def _url(name, election, *args):
    """The address without a language prefix (Russian), whatever the last request activated."""
    with translation.override("ru"):
        return reverse(f"protocols:{name}", args=[election.slug, *args])


def _en(url):
    return "/en" + url


def _text(response):
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", response.content.decode())


def _row(body, attr, code):
    """The <tr> of a table row marked data-<attr>="<code>"."""
    match = re.search(rf'<tr data-{attr}="{re.escape(code)}".*?</tr>', body)
    assert match, f"no row {attr}={code}"
    return match.group(0)


# --- CCM group elections -----------------------------------------------------------------------


@pytest.fixture
def ccm(counted):
    protocol = ccm_signed(counted)
    return {**counted, "protocol": protocol}


def test_nothing_is_shown_before_publication(ccm, client):
    election = ccm["election"]  # counting stage, protocol signed
    for url in (
        _url("results", election),
        _url("results_group", election, ccm["group"].slug),
    ):
        body = _text(client.get(_en(url)))
        assert 'id="results-not-published"' in body
        assert "Алиева Айгуль" not in body
        assert "data-votes" not in body and "50.00" not in body
    assert client.get(_url("open_data_json", election)).status_code == 404
    assert client.get(_url("open_data_csv", election)).status_code == 404
    assert ps.election_results(election) == []
    assert ps.turnout_by_region(election) == []
    # certified is not yet published either
    from elections.services import election_transition

    election = election_transition(election=election, transition="certify", actor=None)
    assert 'id="results-not-published"' in _text(client.get(_url("results", election)))
    assert ps.election_results(election) == []


def test_not_published_page_says_when_results_appear(kg_counting, client):
    import datetime as dt

    from elections.models import PlanTemplate
    from elections.services import calendar as calendar_services

    calendar_services.load_builtin_templates()
    calendar_services.calendar_start(
        election=kg_counting["election"],
        template=PlanTemplate.objects.get(slug="kg-local-2016"),
        anchors={"voting_day": dt.date(2016, 12, 11), "decision_published": dt.date(2016, 10, 28)},
        actor=None,
    )
    body = _text(client.get(_en(_url("results", kg_counting["election"]))))
    assert 'id="results-not-published"' in body
    assert "item 58 of the calendar plan" in body  # seed 003 item 58: official publication


def test_election_page_shows_numbers_percentages_and_bases(ccm, client):
    election = publish(ccm["election"])
    response = client.get(_en(_url("results", election)))
    assert response.status_code == 200
    body = _text(response)
    assert 'id="results-not-published"' not in body
    alpha = _row(body, "option", ccm["alpha"].code)
    assert "Алиева Айгуль" in alpha and ">4<" in alpha and "50.00 %" in alpha and "data-elected" in alpha
    beta = _row(body, "option", ccm["beta"].code)
    assert ">2<" in beta and "25.00 %" in beta
    against = _row(body, "special", "against_all")
    assert ">1<" in against and "12.50 %" in against and "of valid ballots (8)" in against
    blank = _row(body, "special", "blank")
    assert ">1<" in blank and "12.50 %" in blank and "of valid ballots (8)" in blank
    invalid = _row(body, "special", "invalid")
    assert ">2<" in invalid and "18.18 %" in invalid and "of ballots received (11)" in invalid
    late = _row(body, "special", "late")
    assert ">1<" in late and "9.09 %" in late and "of ballots received (11)" in late
    assert "Percentages are of the valid ballots (8)" in body
    # charts from the vendored Chart.js, data beside the accessible tables
    assert "vendor/chartjs/chart.umd.min.js" in body and "cdn" not in body.lower()
    assert f'id="votes-chart-{ccm["protocol"].pk}"' in body
    # turnout by region from the signed protocol's geography: 2 of 3 registered voters
    region = ccm["registrations"][0].region
    turnout = _row(body, "region", region)
    assert ">3<" in turnout and ">2<" in turnout and "66.67 %" in turnout
    # open data and subscription are linked
    assert _url("open_data_csv", election) in body and _url("results_subscribe", election) in body


def test_group_page_lists_every_protocol_line(ccm, client):
    election = publish(ccm["election"])
    body = _text(client.get(_en(_url("results_group", election, ccm["group"].slug))))
    assert ">11<" in _row(body, "line", "ballots_total")
    assert ">2<" in _row(body, "line", "ballots_invalid")
    assert ">1<" in _row(body, "line", "ballots_late")
    assert "Членом СКК избрана Алиева Айгуль." in body
    assert client.get(_url("results_group", election, "no-such-group")).status_code == 404


def test_left_the_race_is_marked(ccm, client):
    from ballots.models import ContestOption

    ContestOption.objects.filter(pk=ccm["beta"].pk).update(left_race=True)
    election = publish(ccm["election"])
    body = _text(client.get(_en(_url("results", election))))
    assert "data-left-race" in _row(body, "option", ccm["beta"].code)
    assert "data-left-race" not in _row(body, "option", ccm["alpha"].code)


def test_results_pages_need_no_login_and_pin_queries(ccm, client, django_assert_num_queries):
    election = publish(ccm["election"])
    # election, publication time, signed protocols, their options (+ regions / + the group)
    for url in (_url("results", election), _url("results_group", election, ccm["group"].slug)):
        with django_assert_num_queries(5):
            response = client.get(url)
        assert response.status_code == 200  # anonymous: no redirect to the login page


def test_results_link_the_signed_protocol_pdfs(ccm, portal, client, django_assert_num_queries):
    """Where the signed protocol's PDFs are stored, the results pages link them (Russian and
    English copy 1); they open for anybody once the results are published, and the link costs
    no extra query (an annotation of the protocols' own query)."""
    from protocols.services.pdf import protocol_documents_render

    protocol = ccm["protocol"]
    documents = {d.language: d for d in protocol_documents_render(protocol=protocol) if d.copy == 1}
    assert set(documents) == {"ru", "en"}
    ru_url = _url("document", ccm["election"], documents["ru"].pk)
    refused = client.get(ru_url)  # before publication: not public (the login page)
    assert refused.status_code == 302 and "/accounts/login/" in refused["Location"]
    election = publish(ccm["election"])
    for url in (_url("results", election), _url("results_group", election, ccm["group"].slug)):
        with django_assert_num_queries(5):  # as many as without documents
            body = _text(client.get(_en(url)))
        for lang, document in documents.items():
            href = _en(_url("document", election, document.pk))
            assert f'href="{href}" type="application/pdf" hreflang="{lang}" download' in body, lang
    response = client.get(ru_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_results_without_stored_documents_show_no_pdf_link(ccm, client):
    election = publish(ccm["election"])
    body = _text(client.get(_en(_url("results", election))))
    assert "data-document" not in body and "result-documents" not in body


def test_open_data_json_and_csv(ccm, client):
    election = publish(ccm["election"])
    response = client.get(_url("open_data_json", election))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    assert data["election"]["slug"] == election.slug and data["election"]["published_at"]
    result = data["contests"][0]["result"]
    assert result["figures"]["ballots_total"] == 11 and result["valid_ballots"] == 8
    alpha = next(o for o in result["options"] if o["code"] == ccm["alpha"].code)
    assert (alpha["votes"], alpha["percent"], alpha["percent_base"], alpha["elected"]) == (
        4,
        "50.00",
        "ballots_valid",
        True,
    )
    special = {s["code"]: s for s in result["special"]}
    assert special["invalid"] == {
        "code": "invalid",
        "number": 2,
        "percent": "18.18",
        "percent_base": "ballots_total",
        "base_value": 11,
    }
    assert special["late"]["number"] == 1 and special["blank"]["number"] == 1
    assert special["against_all"]["number"] == 1
    # no personal data: no voters' or members' names or addresses
    text = response.content.decode()
    assert "@example.org" not in text and "Асанова" not in text and "Избиратель" not in text

    response = client.get(_url("open_data_csv", election))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert list(rows[0]) == ps.OPEN_DATA_COLUMNS
    by_code = {(r["row_type"], r["code"]): r for r in rows}
    assert by_code[("option", ccm["alpha"].code)]["value"] == "4"
    assert by_code[("option", ccm["alpha"].code)]["percent"] == "50.00"
    assert by_code[("option", ccm["alpha"].code)]["elected"] == "1"
    assert by_code[("special", "late")]["base"] == "ballots_total"
    assert by_code[("figure", "ballots_invalid")]["value"] == "2"


def test_open_data_last_modified_and_304(ccm, client):
    election = publish(ccm["election"])
    for name in ("open_data_json", "open_data_csv"):
        response = client.get(_url(name, election))
        stamp = response["Last-Modified"]
        published = AuditEntry.objects.get(action="elections.election.results_published").created_at
        assert parse_http_date(stamp) == int(max(published, ccm["protocol"].frozen_at).timestamp())
        again = client.get(_url(name, election), HTTP_IF_MODIFIED_SINCE=stamp)
        assert again.status_code == 304 and again.content == b""
        older = http_date(parse_http_date(stamp) - 60)
        assert client.get(_url(name, election), HTTP_IF_MODIFIED_SINCE=older).status_code == 200


# --- subscription and mail -------------------------------------------------------------------


def _subscribe(client, election, email, lang="en"):
    prefix = "/en" if lang == "en" else ""
    return client.post(prefix + _url("results_subscribe", election), {"email": email})


def _link(body, name):
    match = re.search(rf"https?://\S+/{name}/(\S+?)/", body)
    assert match, body
    return match.group(1)


def test_double_opt_in_and_the_mail_is_sent_once(ccm, client, mailoutbox, django_capture_on_commit_callbacks):
    election = ccm["election"]
    with django_capture_on_commit_callbacks(execute=True):
        assert _subscribe(client, election, "Reader@Example.ORG").status_code == 302
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["Reader@example.org"]
    token = _link(mailoutbox[0].body, "subscribe/confirm")
    sub = ResultSubscription.objects.get()
    assert sub.token == token and not sub.is_active and sub.language == "en"
    # an unconfirmed subscriber gets no results
    with django_capture_on_commit_callbacks(execute=True):
        publish(election)
    assert len(mailoutbox) == 1
    # GET only shows the button; POST confirms; the results follow because they are published
    assert client.get(_url("results_confirm", election, token)).status_code == 200
    assert not ResultSubscription.objects.get().is_active
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(_url("results_confirm", election, token)).status_code == 302
    assert ResultSubscription.objects.get().is_active
    assert len(mailoutbox) == 2
    mail = mailoutbox[1]
    assert mail.to == ["Reader@example.org"] and not mail.cc and not mail.bcc
    assert "Results published" in mail.subject  # the subscriber's language
    assert "Алиева Айгуль: 4 (50.00 %)" in mail.body
    assert "of ballots received" in mail.body
    assert _url("results_unsubscribe", election, token) in mail.body
    assert mail.extra_headers["List-Unsubscribe"].endswith(f"/unsubscribe/{token}/>")
    # the task again, the service again: nobody is mailed twice
    assert mail_results.delay(election.pk).get() == 0
    assert results_mail_subscribers(election=election) == 0
    assert len(mailoutbox) == 2 and ResultMailing.objects.count() == 1


def test_mail_goes_to_each_subscriber_alone_in_their_language(
    ccm, mailoutbox, django_capture_on_commit_callbacks
):
    election = ccm["election"]
    subs = [
        results_subscribe(election=election, email="ru@example.net", language="ru"),
        results_subscribe(election=election, email="en@example.net", language="en"),
        results_subscribe(election=election, email="gone@example.net", language="en"),
    ]
    for s in subs:
        results_confirm(token=s.token)
    results_unsubscribe(token=subs[2].token)
    send_outbox()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publish(election)  # queued on commit by the "publish" step
    assert sorted(m.to[0] for m in mailoutbox) == ["en@example.net", "ru@example.net"]
    by_to = {m.to[0]: m for m in mailoutbox}
    assert "Results published" in by_to["en@example.net"].subject
    assert "/en/elections/" in by_to["en@example.net"].body  # links in the subscriber's language
    assert "/en/" not in by_to["ru@example.net"].body
    for m in mailoutbox:
        others = {"ru@example.net", "en@example.net", "gone@example.net"} - {m.to[0]}
        assert not any(o in m.body or o in m.subject for o in others)
        assert "Избиратель" not in m.body and "@example.org" not in m.body  # voters, members
        assert "/unsubscribe/" in m.body
    assert AuditEntry.objects.filter(action="protocols.results.mailed").get().data == {"queued": 2}


def test_a_mail_that_fails_is_not_recorded_and_is_retried(ccm, mailoutbox, monkeypatch):
    from protocols.services import publication

    election = publish(ccm["election"])
    sub = results_subscribe(election=election, email="x@example.net", language="ru")
    results_confirm(token=sub.token)
    send_outbox()
    ResultMailing.objects.all().delete()
    mailoutbox.clear()

    def broken(**kwargs):
        raise ConnectionError("smtp down")

    monkeypatch.setattr(publication, "_send", broken)
    with pytest.raises(ConnectionError):
        results_mail_subscribers(election=election)
    assert not ResultMailing.objects.exists()
    monkeypatch.undo()
    assert results_mail_subscribers(election=election) == 1
    send_outbox()
    assert len(mailoutbox) == 1


def test_unsubscribe_link(ccm, client):
    election = ccm["election"]
    sub = results_subscribe(election=election, email="u@example.net")
    results_confirm(token=sub.token)
    url = _url("results_unsubscribe", election, sub.token)
    assert client.get(url).status_code == 200 and ResultSubscription.objects.get().is_active
    # one-click unsubscribe from a mail client: POST without a CSRF token
    from django.test import Client

    assert Client(enforce_csrf_checks=True).post(url).status_code == 302
    assert ResultSubscription.objects.get().unsubscribed_at is not None
    assert client.get(_url("results_unsubscribe", election, "wrong-token")).status_code == 404


def test_subscribing_twice_sends_nothing_new_and_bad_input_is_refused(ccm, client, mailoutbox):
    election = ccm["election"]
    sub = results_subscribe(election=election, email="twice@example.net")
    results_confirm(token=sub.token)
    mailoutbox.clear()
    results_subscribe(election=election, email="TWICE@example.net")
    assert len(mailoutbox) == 0 and ResultSubscription.objects.count() == 1
    assert _subscribe(client, election, "not an address").status_code == 400


# --- KG local councils ----------------------------------------------------------------------


@pytest.fixture
def kg(kg_counting):
    protocols = kg_signed(kg_counting)
    election = publish(kg_counting["election"])
    return {**kg_counting, "signed": protocols, "election": election}


def test_kg_results_council_district_and_precinct(kg, client, django_assert_num_queries):
    election = kg["election"]
    a, b, against = kg["options"]
    with django_assert_num_queries(4):
        body = _text(client.get(_en(_url("results", election))))
    row_a = _row(body, "option", a.code)
    assert ">500<" in row_a and "57.47 %" in row_a and "seats: 3" in row_a
    assert "seats: 2" in _row(body, "option", b.code)
    row_against = _row(body, "special", "against_all")
    assert ">70<" in row_against and "8.05 %" in row_against and "of valid ballots (870)" in row_against
    invalid = _row(body, "special", "invalid")
    assert (
        ">30<" in invalid and "3.33 %" in invalid and "of ballots found in the ballot boxes (900)" in invalid
    )
    assert 'data-special="late"' not in body  # no such line on a KG protocol
    # turnout by district: 900 ballots issued of 2000 voters on the list
    turnout = _row(body, "region", str(kg["district"].number))
    assert ">2000<" in turnout and ">900<" in turnout and "45.00 %" in turnout

    url = _url("results_district", election, kg["district"].number)
    with django_assert_num_queries(5):  # the same number however many precincts
        response = client.get(_en(url))
    body = _text(response)
    first = _row(body, "precinct", str(kg["precincts"][0].number))
    assert all(f">{n}<" in first for n in (1000, 500, 490, 10, 300, 150, 40)) and "50.00" in first
    assert "Summary table of a territorial commission" in body

    body = _text(client.get(_en(_url("results_precinct", election, kg["precincts"][1].number))))
    assert ">200<" in _row(body, "option", a.code) and "52.63 %" in _row(body, "option", a.code)
    assert "of ballots found in the ballot boxes (400)" in _row(body, "special", "invalid")
    assert client.get(_url("results_precinct", election, 1)).status_code == 404


def test_kg_district_table_links_each_precinct_protocol_pdf(kg, portal, client, django_assert_num_queries):
    """The district page's precinct table links each precinct's signed protocol (Russian and
    English copy 1) where it is stored, at no extra query; "—" where it is not."""
    from protocols.services.pdf import protocol_documents_render

    election = kg["election"]
    with_pdf, without_pdf = kg["precincts"][0], kg["precincts"][1]
    protocol = next(p for p in kg["signed"]["precinct_protocols"] if p.unit_id == with_pdf.pk)
    documents = {d.language: d for d in protocol_documents_render(protocol=protocol) if d.copy == 1}
    url = _url("results_district", election, kg["district"].number)
    with django_assert_num_queries(5):  # as many as without documents
        body = _text(client.get(_en(url)))
    row = _row(body, "precinct", str(with_pdf.number))
    for lang, document in documents.items():
        assert f'href="{_en(_url("document", election, document.pk))}"' in row, lang
        assert f'data-document="{lang}"' in row
    assert f"Signed protocol of precinct № {with_pdf.number} (PDF), in Russian" in row
    other = _row(body, "precinct", str(without_pdf.number))
    assert "data-document" not in other and "—" in other
    assert client.get(_en(_url("document", election, documents["en"].pk))).status_code == 200


def test_kg_open_data_includes_every_lower_protocol(kg, client):
    election = kg["election"]
    data = json.loads(client.get(_url("open_data_json", election)).content)
    contest = data["contests"][0]
    assert contest["result"]["level"] == "central"
    assert {p["level"] for p in contest["lower_protocols"]} == {"territorial", "precinct"}
    assert {p["unit"]["number"] for p in contest["lower_protocols"] if p["level"] == "precinct"} == {
        p.number for p in kg["precincts"]
    }
    seats = {o["label"]: o["seats"] for o in contest["result"]["options"]}
    assert seats == {"Партия А": 3, "Партия Б": 2}
