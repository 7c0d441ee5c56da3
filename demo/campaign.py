"""The campaign of ``kg-local-2016`` (seed 003 items 7, 15, 27–38, 40), built through the real
services with the dates of 2016. Idempotent.

* The Bishkek city TEC registers the representatives of the party «Новый горизонт»: for the
  election, for financial matters (who gets an account, ``finrep-horizon@demo.example``) and a
  proxy; each gets a credential.
* The party's fund at «Айыл Банк»: three reports delivered on time (8 November, 3 December, 15
  December); one contribution of the first report passes the cap on what one citizen may give
  (100,000 som), and the TEC decides to return the excess; the TEC's conclusions.
* Campaign events of the city (a meeting, a debate, a rally moved elsewhere) and the places for
  printed material of every precinct; two media outlets' rates (one filed late).
* Every precinct's notice to voters, published on 3 December.
* The CEC's estimate for the CEC, both TECs and every PEC, approved; spending against it (one PEC's
  printing over-spent); a training session for the TEC and PEC members with their attendance.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

from accounts.models import User
from accounts.services import user_create
from ballots.models import Contest
from campaign import services
from campaign.models import (
    CampaignEvent,
    CampaignFund,
    CampaignPlace,
    FundRules,
    MediaRate,
    Representative,
    VoterNotice,
)
from candidates.models import PartyList
from groups.models import (
    BudgetLine,
    Commission,
    CommissionMember,
    ObserverInvitation,
    TerritorialUnit,
    TrainingSession,
)
from groups.services import observer_invite, work

BISHKEK = zoneinfo.ZoneInfo("Asia/Bishkek")
PARTY = "Новый горизонт"
FINREP = "finrep-horizon@demo.example"
DEMO_ACCOUNTS = [(FINREP, "Айбек Токтогулов", "Представитель партии «Новый горизонт» по финансовым вопросам")]


def _at(month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(2016, month, day, hour, minute, tzinfo=BISHKEK)


def _member(commission: Commission) -> User:
    return (
        CommissionMember.objects.filter(commission=commission, is_active=True, coi_declared_at__isnull=False)
        .select_related("user")
        .order_by("position", "pk")
        .first()
        .user
    )


def _finrep_account() -> User:
    """The financial representative's account, with the demo password: ``load_demo`` prints it
    among the demo logins. ``representative_register`` then finds it by its e-mail (on its own it
    would open the account without a password, inviting the person to set one). A database loaded
    before this got the account without a password: it is given the demo password."""
    from demo.loader import DEMO_PASSWORD

    user = User.objects.filter(email__iexact=FINREP).first()
    if user is None:
        return user_create(email=FINREP, full_name=DEMO_ACCOUNTS[0][1], password=DEMO_PASSWORD, actor=None)
    if not user.has_usable_password():
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _representatives(election, party: PartyList, tec: Commission) -> User | None:
    _finrep_account()
    if Representative.objects.filter(election=election, party_list=party).exists():
        rep = Representative.objects.filter(election=election, party_list=party, kind="financial").first()
        return rep.user if rep else None
    tec_user = _member(tec)
    people = [
        ("election", "Чынара Осмонова", "party-horizon@demo.example", _at(11, 3, 15)),
        ("financial", "Айбек Токтогулов", FINREP, _at(11, 3, 15, 30)),
        ("proxy", "Нурбек Сапаров", "", _at(11, 20, 11)),
    ]
    finrep = None
    for kind, name, email, received in people:
        rep = services.representative_receive(
            election=election,
            actor=tec_user,
            kind=kind,
            full_name=name,
            email=email,
            received_at=received,
            party_list=party,
            phone="+996 555 000 111",
        )
        rep = services.representative_register(
            representative=rep, actor=tec_user, decided_at=received + dt.timedelta(days=1)
        )
        if kind == "financial":
            finrep = rep.user
    return finrep


ROWS_FIRST = [
    ("income", "2016-11-04", "300000", "Партия «Новый горизонт»", "party", "01234567", "Взнос партии"),
    (
        "income",
        "2016-11-05",
        "80000",
        "Исаков Марат Бекович",
        "person",
        "22001198000111",
        "Добровольное пожертвование",
    ),
    (
        "income",
        "2016-11-06",
        "50000",
        "Исаков Марат Бекович",
        "person",
        "22001198000111",
        "Добровольное пожертвование",
    ),
    (
        "income",
        "2016-11-06",
        "150000",
        "ОсОО «Ала-Тоо Строй»",
        "organisation",
        "02103201510071",
        "Пожертвование",
    ),
    ("expense", "2016-11-07", "45000", "ОсОО «Принт Экспресс»", "", "", "Листовки, счёт № 112"),
]
ROWS_BEFORE = [
    ("expense", "2016-11-25", "120000", "ТРК «Пирамида»", "", "", "Эфирное время, договор № 7"),
    ("expense", "2016-11-28", "60000", "ОсОО «Принт Экспресс»", "", "", "Плакаты, счёт № 131"),
    (
        "income",
        "2016-11-29",
        "40000",
        "Сыдыкова Айгерим",
        "person",
        "12504199100222",
        "Добровольное пожертвование",
    ),
]
ROWS_FINAL = [
    ("expense", "2016-12-08", "90000", "Аренда залов (3 встречи)", "", "", "Договоры № 15–17"),
    ("expense", "2016-12-14", "30000", "Исаков Марат Бекович", "", "", "Возврат превышения взноса, п/п № 3"),
]


def _rows(rows):
    return [
        dict(
            zip(
                ("direction", "on_date", "amount", "counterparty", "donor_kind", "donor_id", "purpose"),
                r,
                strict=True,
            )
        )
        for r in rows
    ]


def _fund(election, party: PartyList, tec: Commission, finrep: User) -> None:
    if finrep is None or CampaignFund.objects.filter(party_list=party).exists():
        return
    fund = services.fund_open(
        election=election,
        actor=finrep,
        bank="ОАО «Айыл Банк», г. Бишкек",
        account="1240020001234567",
        opened_on=dt.date(2016, 11, 4),
        party_list=party,
    )
    reports = {r.kind: r for r in fund.reports.all()}
    tec_members = list(CommissionMember.objects.filter(commission=tec, is_active=True).select_related("user"))
    votes = {m.pk: "for" for m in tec_members}
    tec_user = _member(tec)
    for kind, rows, delivered in (
        ("first", ROWS_FIRST, _at(11, 8, 16)),
        ("before", ROWS_BEFORE, _at(12, 3, 11)),
        ("final", ROWS_FINAL, _at(12, 15, 12)),
    ):
        for row in _rows(rows):
            services.fund_entry_add(report=reports[kind], actor=finrep, row=row)
        services.fund_report_submit(report=reports[kind], actor=finrep, as_of=delivered)
        for entry in reports[kind].entries.filter(verdict="pending"):
            services.fund_entry_decide(
                entry=entry,
                actor=tec_user,
                verdict="return",
                votes=votes,
                decided_at=delivered + dt.timedelta(days=2),
                reasons="Взносы гражданина Исакова М. Б. (130 000 сом) превышают предельный размер 100 000 сом: "
                "превышение в 30 000 сом вернуть жертвователю.",
            )
        services.fund_report_review(
            report=reports[kind],
            actor=tec_user,
            note="Отчёт представлен в срок; поступления и расходы подтверждены выпиской банка.",
        )


def _events(election, tec: Commission, contest) -> None:
    if CampaignEvent.objects.filter(election=election).exists():
        return
    user = _member(tec)
    for kind, organiser, place, start, hours, expected, status, answer in (
        (
            "meeting",
            "Партия «Новый горизонт»",
            "Дом культуры «Ала-Тоо», мкр. Джал, 23",
            _at(11, 24, 18),
            2,
            200,
            "agreed",
            "",
        ),
        (
            "debate",
            "Партии «Зелёная долина» и «Союз мастеров»",
            "Телестудия ТРК «Пирамида»",
            _at(11, 30, 19),
            1,
            40,
            "agreed",
            "",
        ),
        (
            "rally",
            "Партия «Зелёная долина»",
            "Площадь Ала-Тоо",
            _at(12, 4, 12),
            3,
            1500,
            "moved",
            "На площади в это время проводится городское мероприятие; согласовано в сквере им. Панфилова.",
        ),
    ):
        event = services.event_notify(
            contest=contest,
            actor=user,
            organiser=organiser,
            kind=kind,
            place=place,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=hours),
            expected=expected,
            notified_at=start - dt.timedelta(days=5),
        )
        services.event_answer(event=event, actor=user, status=status, answer=answer)
    for unit in TerritorialUnit.objects.filter(election=election, kind="precinct").order_by("number"):
        if not CampaignPlace.objects.filter(unit=unit).exists():
            unit_tec = Commission.objects.get(election=election, kind="tec", unit=unit.parent)
            services.place_record(
                unit=unit,
                actor=_member(unit_tec),
                address=f"Информационный стенд у здания: {unit.address}",
                allocated_by="Мэрия г. Бишкек" if unit.parent.number == 1 else "Айыл окмоту Ибраимов",
                allocated_on=dt.date(2016, 11, 2),
            )


def _media(election, cec: Commission) -> None:
    if MediaRate.objects.filter(election=election).exists():
        return
    user = _member(cec)
    for outlet, medium, conditions, published, filed in (
        (
            "ТРК «Пирамида»",
            "tv",
            "1 минута эфира в 19:00–22:00 — 6 000 сом; иное время — 3 000 сом.",
            dt.date(2016, 10, 31),
            dt.date(2016, 11, 2),
        ),
        (
            "Газета «Вечерний Бишкек»",
            "print",
            "1 полоса формата А3 — 20 000 сом; 1/4 полосы — 6 000 сом.",
            dt.date(2016, 11, 5),
            dt.date(2016, 11, 7),
        ),
    ):
        services.media_rate_record(
            election=election,
            actor=user,
            outlet=outlet,
            medium=medium,
            conditions=conditions,
            published_on=published,
            filed_on=filed,
        )


def _notices(election) -> None:
    for pec in Commission.objects.filter(election=election, kind="pec").select_related("unit"):
        if pec.unit is None or VoterNotice.objects.filter(election=election, unit=pec.unit).exists():
            continue
        services.voter_notice_publish(
            unit=pec.unit,
            actor=_member(pec),
            published_at=_at(12, 3, 9),
            channels="вывешено у помещения для голосования и разнесено по домам",
        )


def _budget(election, cec: Commission) -> None:
    if BudgetLine.objects.filter(election=election).exists():
        return
    user = _member(cec)
    plan = {
        "cec": [("printing", "150000"), ("information", "60000"), ("training", "40000")],
        "tec": [("pay", "90000"), ("transport", "15000")],
        "pec": [("pay", "36000"), ("printing", "2500"), ("premises", "4000")],
    }
    for commission in Commission.objects.filter(election=election, kind__in=("cec", "tec", "pec")):
        for article, amount in plan[commission.kind]:
            work.budget_line_save(
                election=election, actor=user, commission=commission, article=article, planned=Decimal(amount)
            )
    work.budget_estimate_approve(election=election, actor=user, as_of=_at(10, 31, 15))
    spent = [
        (
            "cec",
            None,
            "printing",
            "146500",
            "Изготовление бюллетеней, договор с ОАО «Учкун»",
            "п/п № 41 от 02.12.2016",
        ),
        ("cec", None, "training", "38000", "Тренинги членов ТИК и УИК", "п/п № 37 от 16.11.2016"),
    ]
    for pec in (
        Commission.objects.filter(election=election, kind="pec")
        .select_related("unit")
        .order_by("unit__number")
    ):
        spent.append(("pec", pec, "pay", "36000", "Компенсация членам УИК", f"ведомость № {pec.unit.number}"))
        spent.append(
            (
                "pec",
                pec,
                "printing",
                "3100" if pec.unit.number == 1003 else "2100",
                "Бланки, увеличенная форма протокола",
                f"чек № {pec.unit.number}-2",
            )
        )
    for _kind, commission, article, amount, what, document in spent:
        commission = commission or cec
        work.spending_record(
            commission=commission,
            actor=_member(commission),
            article=article,
            on_date=dt.date(2016, 12, 2),
            amount=Decimal(amount),
            description=what,
            document_ref=document,
        )


def _training(election, cec: Commission) -> None:
    if TrainingSession.objects.filter(election=election).exists():
        return
    user = _member(cec)
    commissions = list(Commission.objects.filter(election=election, kind__in=("tec", "pec")))
    session = work.training_schedule(
        election=election,
        actor=user,
        topic="Порядок голосования, подсчёта голосов и составления протоколов",
        starts_at=_at(11, 15, 10),
        trainer="Центр обучения при ЦИК",
        place="г. Бишкек, ЦИК, зал заседаний",
        commissions=commissions,
    )
    work.training_attendance_record(
        session=session, actor=user, attended_ids=list(session.attendance.values_list("member_id", flat=True))
    )


def _invitations(election, cec: Commission) -> None:
    if ObserverInvitation.objects.filter(election=election).exists():
        return
    for organisation, country, email in (
        ("ОБСЕ/БДИПЧ", "", "office@odihr.example.org"),
        ("Центральная избирательная комиссия Республики Казахстан", "Казахстан", "info@election.example.kz"),
    ):
        observer_invite(
            election=election,
            actor=_member(cec),
            organisation=organisation,
            country=country,
            email=email,
            language="ru",
            as_of=_at(10, 29, 11),
        )


def load_campaign(election) -> list[tuple[str, str, str]]:
    cec = Commission.objects.filter(election=election, kind="cec").first()
    party = PartyList.objects.filter(election=election, party_name=PARTY).select_related("unit").first()
    if cec is None or party is None:
        return []
    tec = Commission.objects.get(election=election, kind="tec", unit=party.unit)
    contest = Contest.objects.get(election=election, unit=party.unit)
    if not FundRules.objects.filter(election=election).exists():
        services.fund_rules_save(
            election=election,
            actor=None,
            cap_person=Decimal("100000"),
            cap_organisation=Decimal("500000"),
            forbidden=["foreign", "anonymous", "state"],
        )
    finrep = _representatives(election, party, tec)
    _fund(election, party, tec, finrep)
    _events(election, tec, contest)
    _media(election, cec)
    _notices(election)
    _budget(election, cec)
    _training(election, cec)
    _invitations(election, cec)
    return list(DEMO_ACCOUNTS)
