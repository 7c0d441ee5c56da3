"""Signed protocols with their PDFs, for the PDF and export tests: the portal's signing pair and
private storage in tmp_path (``portal``), and a CCM group protocol signed by its three present
members with every part the PDF prints (``signed``). Import the fixtures by name."""

import pytest

from elections import signing
from protocols.models import Protocol
from protocols.services import protocol as protocol_services
from tests.protocols.completing import complete_group

PROCESS = "Собрание сообщества прошло 17 августа; кандидаты представили программы."
OBSERVERS = "Присутствовали два независимых наблюдателя."
DECISION = "Членом СКК избрана Алиева Айгуль, альтернатом — Борисов Бекзат."
EXPLANATION = "Один избиратель отмечен на собрании по ошибке."
DISSENT = "Не согласна с оценкой бюллетеня № 2."
COMPLAINT = "Наблюдателю не показали опечатанную урну."
COMPLAINT_DECISION = "Урна предъявлена повторно, нарушений нет."


@pytest.fixture(scope="module")
def pair():
    return signing.generate_self_signed()


@pytest.fixture
def portal(settings, tmp_path, pair):
    """The portal's signing pair and private storage in tmp_path."""
    key_pem, cert_pem = pair
    (tmp_path / "key.pem").write_bytes(key_pem)
    (tmp_path / "cert.pem").write_bytes(cert_pem)
    settings.PROTOCOL_SIGNING_KEY_FILE = str(tmp_path / "key.pem")
    settings.PROTOCOL_SIGNING_CERT_FILE = str(tmp_path / "cert.pem")
    settings.PROTOCOL_SIGNING_KEY_PASSPHRASE = ""
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path


def draft(counted):
    chair = counted["members"][0]
    protocol = protocol_services.protocol_create(
        contest=counted["contest"], level="group", commission=counted["commission"], actor=chair
    )
    figures = dict(protocol.figures, voted_assembly=1)  # 2 ≠ 2 + 1: a failing check, explained
    protocol = protocol_services.protocol_update(
        protocol=protocol,
        actor=chair,
        figures=figures,
        explanations={"voted_by_channel": EXPLANATION},
        process_description=PROCESS,
        observers_note=OBSERVERS,
        decision_text=DECISION,
    )
    return complete_group(protocol, chair, observers=1)


def sign_all(counted, protocol, django_capture_on_commit_callbacks):
    members = counted["members"]
    for user in members:
        with django_capture_on_commit_callbacks(execute=True):
            protocol_services.protocol_sign(
                protocol=protocol,
                actor=user,
                password=counted["password"],
                dissent=DISSENT if user == members[2] else "",
            )
    return Protocol.objects.get(pk=protocol.pk)


@pytest.fixture
def signed(counted, portal, django_capture_on_commit_callbacks):
    """A CCM group protocol with texts, an explained check, a decided complaint and a dissenting
    opinion, signed by the three present members: the last signature queued the rendering."""
    protocol = draft(counted)
    complaint = protocol_services.complaint_submit(
        election=counted["election"],
        commission=counted["commission"],
        complainant_kind="observer",
        complainant_name="Наблюдатель Нурлан",
        text=COMPLAINT,
    )
    protocol_services.complaint_decide(
        complaint=complaint, actor=counted["members"][0], status="rejected", decision_text=COMPLAINT_DECISION
    )
    return {**counted, "protocol": sign_all(counted, protocol, django_capture_on_commit_callbacks)}
