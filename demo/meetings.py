"""The demo's meetings (issue 18), all held, with their attendance and signed minutes, each linked
to the activity of the calendar plan it carries out:

* CCM election: the secretariat's working meetings (seed 000 items 1, 2), the consultation meeting
  of the organising committee (12), the orientation meeting of the PLHIV mandate/counting
  commission (15), the assembly of that group's voters, announced with its programme (19) and
  held (20), and the hand-over of the lists of candidates to the CCM leadership (25);
* Kyrgyz election: the final sessions of PEC № 1001 (49) and of the Bishkek city TEC (52), whose
  agenda points at the complaint it decided as its numbered decision and at its protocol.

Idempotent: a meeting of the same title is not made twice."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.contrib.auth import get_user_model
from django.utils import translation

from groups.models import Commission
from meetings.agenda_subjects import subjects_for
from meetings.models import AgendaItem, Meeting, MinutesSignature
from meetings.services.agenda import agenda_item_add, agenda_item_minute, assembly_programme_draft
from meetings.services.meeting import attendance_record, meeting_schedule
from meetings.services.minutes import minutes_sign
from protocols.models import Complaint, Protocol
from protocols.services.protocol import complaint_decide, complaint_submit

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
BISHKEK = zoneinfo.ZoneInfo("Asia/Bishkek")
K = Meeting.Kind


def _password():
    from demo.loader import DEMO_PASSWORD

    return DEMO_PASSWORD


def _schedule(
    election, commission, actor, *, kind, title, starts_at, place, agenda, activity=None, announced=None
):
    return meeting_schedule(
        election=election,
        commission=commission,
        kind=kind,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        place=place,
        agenda=agenda,
        actor=actor,
        activity_number=activity,
        announced_activity_number=announced,
    )


def _hold(meeting, actor, *, absent=(), minutes=(), signers=()):
    """Record the attendance, write the minutes of the items (``minutes``: texts by item order)
    and have ``signers`` (chair, secretary) sign them."""
    present = [p.user_id for p in meeting.participants.select_related("user") if p.user.email not in absent]
    attendance_record(meeting=meeting, present=present, actor=actor)
    for order, notes in minutes:
        item = meeting.items.filter(order=order).first()
        if item is not None:
            agenda_item_minute(item=item, notes=notes, dissent="", actor=actor)
    User = get_user_model()
    for role, email in zip(
        (MinutesSignature.Role.CHAIR, MinutesSignature.Role.SECRETARY), signers, strict=False
    ):
        minutes_sign(meeting=meeting, actor=User.objects.get(email=email), role=role, password=_password())


def _exists(election, title) -> bool:
    return Meeting.objects.filter(election=election, title=title).exists()


def _ccm(ccm, users) -> None:
    secretariat = users["secretariat@demo.example"]
    signers = ("secretariat@demo.example", "secretariat-2@demo.example")
    secretariat_meetings = [
        (
            1,
            "Рабочая встреча секретариата с членами СКК",
            dt.datetime(2024, 7, 25, 10, 0, tzinfo=ALMATY),
            ["Календарный план выборов", "Формирование организационного комитета"],
            "Согласован календарный план; сообществам предложено выдвинуть представителей в оргкомитет.",
        ),
        (
            2,
            "Рабочая встреча о положениях сообществ о выборах",
            dt.datetime(2024, 7, 30, 10, 0, tzinfo=ALMATY),
            ["Действующие положения сообществ о выборах", "Сроки и процедуры этапов выборов"],
            "Обсуждены положения сообществ; сроки этапов сведены в календарный план портала.",
        ),
        (
            25,
            "Передача списка кандидатов руководству СКК",
            dt.datetime(2024, 8, 26, 11, 0, tzinfo=ALMATY),
            ["Список кандидатов в члены СКК и альтернатов от всех групп", "Обновление состава СКК"],
            "Список избранных членов СКК и альтернатов передан руководству СКК для обновления состава.",
        ),
    ]
    for activity, title, starts_at, agenda, notes in secretariat_meetings:
        if _exists(ccm, title):
            continue
        meeting = _schedule(
            ccm,
            None,
            secretariat,
            kind=K.WORKING,
            title=title,
            activity=activity,
            starts_at=starts_at,
            place="Астана, офис секретариата СКК",
            agenda=agenda,
        )
        _hold(meeting, secretariat, minutes=[(1, notes)], signers=signers)

    orgcom = Commission.objects.filter(election=ccm, kind=Commission.Kind.ORG_COMMITTEE).first()
    title = "Консультационная встреча организационного комитета"
    if orgcom is not None and not _exists(ccm, title):
        meeting = _schedule(
            ccm,
            orgcom,
            secretariat,
            kind=K.CONSULTATION,
            title=title,
            activity=12,
            starts_at=dt.datetime(2024, 8, 5, 15, 0, tzinfo=ALMATY),
            place="Онлайн и в офисе секретариата СКК",
            agenda=["Принципы проведения выборов и прозрачность процедур", "Роль оргкомитета в группах"],
        )
        _hold(
            meeting,
            secretariat,
            minutes=[
                (1, "Секретариат разъяснил принципы выборов; вопросы представителей групп рассмотрены.")
            ],
            signers=("orgcom@demo.example", "orgcom-tb@demo.example"),
        )

    plhiv = Commission.objects.filter(election=ccm, group__slug="plhiv").order_by("kind", "pk").first()
    if plhiv is None:
        return
    commission_signers = ("commission@demo.example", "commission-secretary@demo.example")
    title = "Ориентационная встреча мандатной/счётной комиссии"
    if not _exists(ccm, title):
        meeting = _schedule(
            ccm,
            plhiv,
            secretariat,
            kind=K.ORIENTATION,
            title=title,
            activity=15,
            starts_at=dt.datetime(2024, 8, 10, 15, 0, tzinfo=ALMATY),
            place="Алматы, ул. Желтоксан 80, конференц-зал",
            agenda=[
                "Порядок проверки заявлений кандидатов и избирателей",
                "Декларации об отсутствии конфликта интересов",
            ],
        )
        _hold(
            meeting,
            secretariat,
            minutes=[
                (1, "Секретариат разъяснил порядок проверки заявлений и сроки решений комиссии."),
                (
                    2,
                    "Все присутствующие члены комиссии подписали декларации об отсутствии конфликта интересов.",
                ),
            ],
            signers=commission_signers,
        )
    title = "Собрание избирателей группы «Люди, живущие с ВИЧ»"
    if not _exists(ccm, title):
        meeting = _schedule(
            ccm,
            plhiv,
            secretariat,
            kind=K.ASSEMBLY,
            title=title,
            activity=20,
            announced=19,
            starts_at=dt.datetime(2024, 8, 17, 9, 0, tzinfo=ALMATY),
            place="Алматы, ул. Желтоксан 80, большой зал",
            agenda=["Открытие собрания"],
        )
        if any(s.presents for s in subjects_for(meeting)):
            assembly_programme_draft(meeting=meeting, actor=secretariat)
        last = meeting.items.order_by("-order").first()
        _hold(
            meeting,
            secretariat,
            minutes=[
                (1, "Собрание открыто председателем мандатной/счётной комиссии."),
                (
                    last.order,
                    "Голосование проведено бюллетенями на собрании и онлайн на равных условиях; "
                    "результаты подсчитаны счётной комиссией.",
                ),
            ],
            signers=commission_signers,
        )


def _kg(kg, users) -> None:
    secretariat = users["secretariat@demo.example"]
    pec = Commission.objects.filter(election=kg, kind=Commission.Kind.PEC, unit__number=1001).first()
    title = "Итоговое заседание УИК № 1001"
    if pec is not None and not _exists(kg, title):
        meeting = _schedule(
            kg,
            pec,
            secretariat,
            kind=K.FINAL_SESSION,
            title=title,
            activity=49,
            starts_at=dt.datetime(2016, 12, 11, 20, 30, tzinfo=BISHKEK),
            place="Бишкек, школа № 5, избирательный участок № 1001",
            agenda=["Рассмотрение жалоб", "Протокол об итогах голосования"],
        )
        _hold(
            meeting,
            secretariat,
            minutes=[(1, "Жалоб не поступило."), (2, "Протокол составлен в двух экземплярах и подписан.")],
            signers=("pec-1001-chair@demo.example", "pec-1001@demo.example"),
        )
    tec = Commission.objects.filter(
        election=kg, kind=Commission.Kind.TEC, members__user__email="tec-bishkek@demo.example"
    ).first()
    title = "Итоговое заседание Бишкекской городской ТИК"
    if tec is None or _exists(kg, title):
        return
    meeting = _schedule(
        kg,
        tec,
        secretariat,
        kind=K.FINAL_SESSION,
        title=title,
        activity=52,
        starts_at=dt.datetime(2016, 12, 12, 10, 0, tzinfo=BISHKEK),
        place="Бишкек, здание мэрии, зал заседаний ТИК",
        agenda=["Рассмотрение жалоб"],
    )
    present = [p.user_id for p in meeting.participants.all()]
    attendance_record(meeting=meeting, present=present, actor=secretariat)
    _tec_complaint(kg, tec, meeting)
    for subject in subjects_for(meeting):
        if isinstance(subject.obj, Protocol):
            agenda_item_add(
                meeting=meeting,
                actor=secretariat,
                title="",
                kind=AgendaItem.Kind.ITEM,
                subject_key=subject.key,
            )
    agenda_item_minute(
        item=meeting.items.get(order=1),
        notes="Поступила одна жалоба наблюдателя; рассмотрена на заседании, решение записано в протокол.",
        dissent="",
        actor=secretariat,
    )
    User = get_user_model()
    for role, email in (
        (MinutesSignature.Role.CHAIR, "tec-bishkek@demo.example"),
        (MinutesSignature.Role.SECRETARY, "tec-bishkek-2@demo.example"),
    ):
        minutes_sign(meeting=meeting, actor=User.objects.get(email=email), role=role, password=_password())


def _tec_complaint(kg, tec, meeting) -> None:
    """A complaint to the TEC, decided at its final session as the TEC's numbered decision."""
    if Complaint.objects.filter(commission=tec).exists() or kg.state in ("draft", "archived"):
        return
    complaint = complaint_submit(
        election=kg,
        commission=tec,
        complainant_kind=Complaint.Kind.OBSERVER,
        complainant_name="Айбек Жумабаев",
        complainant_email="a.zhumabaev@example.org",
        text="Наблюдателю не выдали копию протокола участка № 1003 сразу после подписания.",
    )
    chair = get_user_model().objects.get(email="tec-bishkek@demo.example")
    complaint_decide(
        complaint=complaint,
        actor=chair,
        status=Complaint.Status.PARTLY,
        decision_text="Копия протокола выдана наблюдателю на заседании; УИК № 1003 указано на порядок выдачи копий.",
        meeting=meeting,
    )


def _protocol_items(meeting, actor) -> None:
    """Agenda items pointing at the commission's protocols, signed at the session."""
    for subject in subjects_for(meeting):
        if isinstance(subject.obj, Protocol):
            agenda_item_add(
                meeting=meeting, actor=actor, title="", kind=AgendaItem.Kind.ITEM, subject_key=subject.key
            )


def load_meetings(ccm, kg, users) -> None:
    with translation.override("ru"):
        _ccm(ccm, users)
        _kg(kg, users)
