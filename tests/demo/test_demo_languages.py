"""The demo in the state languages (issue 22): the council election's signed protocols have their
Kyrgyz copies beside the Russian ones; the CCM election, its groups and ballots read in Kazakh; each
demo election's calendar plan reads in its country's state language."""

import subprocess

import pytest
from django.utils import translation
from django.utils.translation import gettext

from elections.models import Election
from protocols.models import Protocol

pytestmark = pytest.mark.django_db


def test_the_councils_signed_protocols_have_kyrgyz_copies(demo):
    kg = Election.objects.get(slug="kg-local-2016")
    assert kg.document_languages == ["ru", "ky"]
    signed = Protocol.objects.filter(election=kg, status=Protocol.Status.SIGNED, level="precinct")
    assert signed.count() == 6
    for protocol in signed:
        copies = sorted((d.language, d.copy) for d in protocol.documents.all())
        assert copies == [("en", 1), ("ky", 1), ("ky", 2), ("ru", 1), ("ru", 2)], protocol.pk
    document = signed.first().documents.get(language="ky", copy=2)
    text = " ".join(
        subprocess.run(
            ["pdftotext", document.file.path, "-"], check=True, capture_output=True, text=True
        ).stdout.split()
    )
    with translation.override("ky"):
        copy_mark = gettext("Copy No. %(copy)s") % {"copy": 2}
    assert copy_mark.split()[-1] in text and "Экземпляр" not in text  # the copy mark is in Kyrgyz
    with translation.override("ky"):
        sheet = gettext("Signature sheet")
    assert sheet != "Signature sheet" and sheet in text  # the protocol's own words, in Kyrgyz


def test_the_ccm_election_reads_in_kazakh(demo, client):
    ccm = Election.objects.get(slug="ccm-kz-2024")
    with translation.override("kk"):
        assert ccm.title.startswith("ЕҮК мүшелері")
        assert {g.name for g in ccm.groups.all()} >= {"АИТВ-мен өмір сүретін адамдар", "Секс-жұмыскерлер"}
    page = client.get("/kk/elections/ccm-kz-2024/").content.decode()
    assert '<html lang="kk"' in page and "ЕҮК мүшелері мен балама мүшелерін" in page
    calendar = client.get("/kk/elections/ccm-kz-2024/calendar/").content.decode()
    assert "ЕҮК хатшылығы" in calendar


def test_the_council_calendar_reads_in_kyrgyz(demo, client):
    page = client.get("/ky/elections/kg-local-2016/calendar/").content.decode()
    assert "Шайлоо бюллетенинин текстин бекитүү" in page and "Кыргыз Республикасынын айрым" in page
