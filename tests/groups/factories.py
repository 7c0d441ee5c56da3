"""Factories and builders of the electoral structure, through the real services."""

from __future__ import annotations

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Position
from groups import services
from groups.models import Commission, CommissionMember, ObserverApplication, TerritorialUnit
from tests.factories import ElectionFactory

#: the smallest file that starts like a PDF (the type is decided from the first bytes)
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf_upload(name: str = "regulations.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def csv_upload(text: str, *, encoding: str = "utf-8", name: str = "units.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TerritorialUnit

    election = factory.SubFactory(ElectionFactory)
    kind = TerritorialUnit.Kind.DISTRICT
    number = factory.Sequence(lambda n: n + 1)
    name_ru = factory.Sequence(lambda n: f"Округ {n + 1}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.unit_create(actor=kwargs.pop("actor", None), **kwargs)


class PrecinctFactory(DistrictFactory):
    kind = TerritorialUnit.Kind.PRECINCT
    number = factory.Sequence(lambda n: 1001 + n)
    name_ru = factory.Sequence(lambda n: f"Участок {1001 + n}")
    parent = factory.SubFactory(DistrictFactory, election=factory.SelfAttribute("..election"))
    address = "г. Бишкек, ул. Киевская, 96"
    voters_on_list = 1500


class MemberFactory(factory.django.DjangoModelFactory):
    """A membership made by ``member_invite`` (the invitation mail is queued after commit)."""

    class Meta:
        model = CommissionMember

    commission = None
    email = factory.Sequence(lambda n: f"member{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Член комиссии {n}")
    position = Position.MEMBER
    nominated_by = "ОФ «Партнёр»"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        declared = kwargs.pop("declared", False)
        member = services.member_invite(actor=kwargs.pop("actor", None), **kwargs)
        if declared:
            member = services.member_declare_coi(member=member, actor=None)
        return member


class ObserverApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ObserverApplication

    election = None
    kind = ObserverApplication.Kind.INDEPENDENT
    applicant_type = ObserverApplication.ApplicantType.PERSON
    name = factory.Sequence(lambda n: f"Наблюдатель {n}")
    contact_email = factory.Sequence(lambda n: f"observer{n}@example.org")
    group = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.observer_apply(actor=kwargs.pop("actor", None), **kwargs)


def org_committee(election) -> Commission:
    return services.org_committee_of(election) or services.commission_create(
        election=election, actor=None, kind=Commission.Kind.ORG_COMMITTEE, name_ru="Оргкомитет"
    )


def approved_representative(election, group, *, email: str, full_name: str = "Представитель"):
    org_committee(election)
    nomination = services.nomination_submit(
        election=election, group=group, actor=None, full_name=full_name, email=email, phone="+7 701 000 00 00"
    )
    return services.nomination_decide(nomination=nomination, decision="approve", actor=None)


def kg_hierarchy(election):
    """CEC → TEC (district 1) → PEC (precinct 1001), as in seed 003."""
    precinct = PrecinctFactory(election=election, number=1001, parent__number=1)
    district = precinct.parent
    cec = services.commission_create(election=election, actor=None, kind="cec", name_ru="ЦИК")
    tec = services.commission_create(
        election=election, actor=None, kind="tec", name_ru="ТИК № 1", parent=cec, unit=district
    )
    pec = services.commission_create(
        election=election, actor=None, kind="pec", name_ru="УИК № 1001", parent=tec, unit=precinct
    )
    return {"cec": cec, "tec": tec, "pec": pec, "district": district, "precinct": precinct}


def read(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content
