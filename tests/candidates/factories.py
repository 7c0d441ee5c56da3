"""Builders of candidates' data, through the real services."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from candidates import services
from candidates.models import Application
from tests.groups.factories import PDF_BYTES, PNG_BYTES

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
BISHKEK = zoneinfo.ZoneInfo("Asia/Bishkek")
#: the ccm-ngo-2024 plan for voting day 17 Aug 2030: applications from 11 Aug 00:00 (item 11)
#: to 15 Aug 00:00 (item 16, also the decision deadline); withdrawals until 17 Aug 00:00
#: (item 20); the ballot is fixed when voting opens (17 Aug 09:00)
CCM_VOTING_DAY = dt.date(2030, 8, 17)
INSIDE = dt.datetime(2030, 8, 12, 10, 0, tzinfo=ALMATY)
WINDOW_OPENS = dt.datetime(2030, 8, 11, 0, 0, tzinfo=ALMATY)
WINDOW_CLOSES = dt.datetime(2030, 8, 15, 0, 0, tzinfo=ALMATY)
WITHDRAWAL_DUE = dt.datetime(2030, 8, 17, 0, 0, tzinfo=ALMATY)

JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def pdf_upload(name: str = "application.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png_upload(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def fake_pdf(name: str = "application.pdf") -> SimpleUploadedFile:
    """A file named like a PDF whose content is something else (an executable's header)."""
    return SimpleUploadedFile(name, b"MZ\x90\x00" + b"not a pdf" * 20, content_type="application/pdf")


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An application by the system (paper entry); pass ``actor`` to submit as a user."""

    class Meta:
        model = Application

    nomination = Application.Nomination.ORGANISATION
    full_name = factory.Sequence(lambda n: f"Кандидат Тестовый {n}")
    email = factory.Sequence(lambda n: f"candidate{n}@example.org")
    organisation = "ОФ «Сообщество»"
    region = "Алматы"
    programme = "Представлять интересы сообщества в СКК и отчитываться перед ним каждый квартал."
    nominated_by = "Собрание сообщества"
    document = factory.LazyFunction(pdf_upload)
    consent = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        kwargs.setdefault("actor", None)
        return services.application_submit(**kwargs)


def all_vote(members, vote: str = "for") -> dict[int, str]:
    return {m.pk: vote for m in members}


def admit(application, members, **kwargs):
    return services.application_decide(
        application=application, actor=None, decision="admit", votes=all_vote(members), **kwargs
    )


def refuse(application, members, reasons: str = "Не соответствует критериям", **kwargs):
    return services.application_decide(
        application=application,
        actor=None,
        decision="refuse",
        votes=all_vote(members),
        reasons=reasons,
        **kwargs,
    )
