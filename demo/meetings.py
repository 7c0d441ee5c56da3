"""The demo's meetings (issue 18): the secretariat's working meeting and the orientation meeting of
the PLHIV mandate/counting commission of the CCM election, the assembly of that group's voters; the
final sessions of PEC № 1001 and of the Bishkek city TEC on the night of the Kyrgyz vote. All held,
with their attendance, each linked to the activity of the calendar plan it carries out (seed 000
items 1, 15, 20; seed 003 items 49, 52); idempotent (a meeting of the same title is not made twice)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from groups.models import Commission
from meetings.models import Meeting
from meetings.services import attendance_record, meeting_schedule

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
BISHKEK = zoneinfo.ZoneInfo("Asia/Bishkek")


def _held(election, commission, actor, *, kind, title, starts_at, place, agenda, activity=None, absent=()):
    if Meeting.objects.filter(election=election, title=title).exists():
        return
    meeting = meeting_schedule(
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
    )
    present = [p.user_id for p in meeting.participants.all() if p.user.email not in absent]
    attendance_record(meeting=meeting, present=present, actor=actor)


def load_meetings(ccm, kg, users) -> None:
    secretariat = users["secretariat@demo.example"]
    K = Meeting.Kind
    _held(
        ccm,
        None,
        secretariat,
        kind=K.WORKING,
        title="Рабочая встреча секретариата с членами СКК",
        activity=1,
        starts_at=dt.datetime(2024, 7, 25, 10, 0, tzinfo=ALMATY),
        place="Астана, офис секретариата СКК",
        agenda=["Календарный план выборов", "Формирование организационного комитета"],
    )
    plhiv = Commission.objects.filter(election=ccm, group__slug="plhiv").order_by("kind", "pk").first()
    if plhiv is not None:
        _held(
            ccm,
            plhiv,
            secretariat,
            kind=K.ORIENTATION,
            title="Ориентационная встреча мандатной/счётной комиссии",
            activity=15,
            starts_at=dt.datetime(2024, 8, 10, 15, 0, tzinfo=ALMATY),
            place="Алматы, ул. Желтоксан 80, конференц-зал",
            agenda=[
                "Порядок проверки заявлений кандидатов и избирателей",
                "Декларации об отсутствии конфликта интересов",
            ],
        )
        _held(
            ccm,
            plhiv,
            secretariat,
            kind=K.ASSEMBLY,
            title="Собрание избирателей группы «Люди, живущие с ВИЧ»",
            activity=20,
            starts_at=dt.datetime(2024, 8, 17, 9, 0, tzinfo=ALMATY),
            place="Алматы, ул. Желтоксан 80, большой зал",
            agenda=[
                "Представление кандидатов и ответы на вопросы",
                "Представление наблюдателей",
                "Порядок голосования и подсчёта голосов",
                "Голосование",
            ],
        )
    pec = Commission.objects.filter(election=kg, kind=Commission.Kind.PEC, unit__number=1001).first()
    if pec is not None:
        _held(
            kg,
            pec,
            secretariat,
            kind=K.FINAL_SESSION,
            title="Итоговое заседание УИК № 1001",
            activity=49,
            starts_at=dt.datetime(2016, 12, 11, 20, 30, tzinfo=BISHKEK),
            place="Бишкек, школа № 5, избирательный участок № 1001",
            agenda=["Рассмотрение жалоб", "Протокол об итогах голосования"],
        )
    tec = Commission.objects.filter(
        election=kg, kind=Commission.Kind.TEC, members__user__email="tec-bishkek@demo.example"
    ).first()
    if tec is not None:
        _held(
            kg,
            tec,
            secretariat,
            kind=K.FINAL_SESSION,
            title="Итоговое заседание Бишкекской городской ТИК",
            activity=52,
            starts_at=dt.datetime(2016, 12, 12, 10, 0, tzinfo=BISHKEK),
            place="Бишкек, здание мэрии, зал заседаний ТИК",
            agenda=["Рассмотрение жалоб", "Сводная таблица по участкам", "Передача первого экземпляра в ЦИК"],
        )
