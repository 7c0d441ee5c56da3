"""Demo data for both seed elections, built through the real services. Idempotent.

``ccm-kz-2024``: the CCM NGO-sector elections of seed 000 (Kazakhstan, voting day 17 Aug 2024).
``kg-local-2016``: the early local-council elections of seed 003 (Kyrgyzstan, 11 Dec 2016).
Later issues extend ``load_demo`` with their own data (calendar, candidates, voters, ballots,
protocols), so that ``make run`` always shows the whole product.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.db import transaction

from accounts.models import Position, Role, User
from accounts.services import user_create
from elections import lifecycle
from elections import services as election_services
from elections.models import CalendarActivity, Election, ElectionCalendar, PlanTemplate
from elections.services.calendar import activity_complete, calendar_start, load_builtin_templates
from groups.models import Commission, ElectoralGroup
from groups.services import commission_create, group_create, role_assign

DEMO_PASSWORD = "demo-portal-2024"  # noqa: S105 - printed for the demo on purpose

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
BISHKEK = zoneinfo.ZoneInfo("Asia/Bishkek")


@dataclass(frozen=True)
class DemoUser:
    email: str
    full_name: str
    role_label: str


USERS = [
    DemoUser("secretariat@demo.example", "Айгуль Сейткали", "Секретариат / secretariat"),
    DemoUser(
        "secretariat-2@demo.example",
        "Данияр Мусин",
        "Секретариат, ведёт протоколы встреч / secretariat, keeps the minutes",
    ),
    DemoUser("orgcom@demo.example", "Ерлан Жаксыбеков", "Член оргкомитета / organising committee"),
    DemoUser(
        "commission@demo.example",
        "Гульнара Абдрахманова",
        "Председатель мандатной комиссии / commission chair",
    ),
    DemoUser("candidate@demo.example", "Динара Оспанова", "Кандидат / candidate"),
    DemoUser("voter@demo.example", "Сергей Ким", "Избиратель / voter"),
    DemoUser("observer@demo.example", "Мария Иванова", "Наблюдатель / observer"),
    DemoUser("cec@demo.example", "Бакыт Турдубаев", "Член ЦИК / CEC member (kg-local-2016)"),
]

CCM_GROUPS = [
    ("plhiv", "Люди, живущие с ВИЧ", "People living with HIV"),
    ("tb", "Люди, затронутые туберкулёзом", "People affected by tuberculosis"),
    ("pwid", "Люди, употребляющие наркотики", "People who use drugs"),
    ("sw", "Секс-работники", "Sex workers"),
    ("msm", "МСМ и ЛГБТ-сообщество", "MSM and LGBT community"),
    ("ngo", "НПО, предоставляющие услуги в сфере ВИЧ и ТБ", "NGOs providing HIV and TB services"),
]
#: the groups' names in Kazakh, the state language of Kazakhstan (issue 22)
CCM_GROUPS_KK = {
    "plhiv": "АИТВ-мен өмір сүретін адамдар",
    "tb": "Туберкулездің зардабын шеккен адамдар",
    "pwid": "Есірткі тұтынатын адамдар",
    "sw": "Секс-жұмыскерлер",
    "msm": "ЕЖЕ және ЛГБТ қауымдастығы",
    "ngo": "АИТВ және туберкулез саласында қызмет көрсететін ҮЕҰ",
}


def _user(spec: DemoUser) -> User:
    user = User.objects.filter(email=spec.email).first()
    if user is None:
        user = user_create(email=spec.email, full_name=spec.full_name, password=DEMO_PASSWORD, actor=None)
    return user


def _election(slug: str, **fields) -> Election:
    election = Election.objects.filter(slug=slug).first()
    if election is None:
        election = election_services.election_create(actor=None, slug=slug, **fields)
    return election


def _advance_to(election: Election, state: str) -> Election:

    order = [t.target for t in lifecycle.TRANSITIONS]
    while election.state != state and election.state != Election.State.ARCHIVED:
        step = lifecycle.transitions_from(election)[0]
        if order.index(step.target) > order.index(state):
            break
        election = election_services.election_transition(election=election, transition=step.name, actor=None)
    return election


def _ccm(users: dict[str, User]) -> Election:
    election = _election(
        "ccm-kz-2024",
        title_ru="Выборы членов СКК и альтернатов от неправительственного сектора, 2024",
        title_en="Elections of NGO-sector CCM members and alternates, 2024",
        title_kk="ЕҮК мүшелері мен балама мүшелерін үкіметтік емес сектордан сайлау, 2024",
        description_kk=(
            "Елдік үйлестіру комитетінің (Қазақстан) үкіметтік емес секторының сайлау топтары ішіндегі "
            "сайлау: әр топ ЕҮК мүшесін және балама мүшені сайлайды."
        ),
        official_languages=["ru", "kk"],
        description_ru=(
            "Выборы внутри избирательных групп неправительственного сектора Странового координационного "
            "механизма (Казахстан): каждая группа избирает члена СКК и альтерната."
        ),
        description_en=(
            "Elections inside the NGO-sector electoral groups of the Country Coordinating Mechanism "
            "(Kazakhstan): each group elects a CCM member and an alternate."
        ),
        kind=Election.Kind.CCM_NGO,
        time_zone="Asia/Almaty",
        voting_day=dt.date(2024, 8, 17),
        voting_starts_at=dt.datetime(2024, 8, 17, 9, 0, tzinfo=ALMATY),
        voting_ends_at=dt.datetime(2024, 8, 17, 18, 0, tzinfo=ALMATY),
    )
    groups = {}
    for order, (slug, name_ru, name_en) in enumerate(CCM_GROUPS, start=1):
        group = ElectoralGroup.objects.filter(election=election, slug=slug).first()
        if group is None:
            group = group_create(
                election=election,
                actor=None,
                slug=slug,
                name_ru=name_ru,
                name_en=name_en,
                name_kk=CCM_GROUPS_KK[slug],
                order=order,
            )
        groups[slug] = group
    if not Commission.objects.filter(election=election, kind=Commission.Kind.ORG_COMMITTEE).exists():
        commission_create(
            election=election,
            actor=None,
            kind=Commission.Kind.ORG_COMMITTEE,
            name_ru="Организационный комитет",
            name_en="Organising committee",
            name_kk="Ұйымдастыру комитеті",
        )
    for group in groups.values():
        if not Commission.objects.filter(
            election=election, group=group, kind=Commission.Kind.MANDATE
        ).exists():
            commission_create(
                election=election,
                actor=None,
                kind=Commission.Kind.MANDATE,
                group=group,
                name_ru=f"Мандатная/счётная комиссия — {group.name_ru}",
                name_en=f"Mandate/counting commission — {group.name_en}",
                name_kk=f"Мандаттық/есеп комиссиясы — {group.name_kk}",
            )
    first = groups["plhiv"]
    mandate = Commission.objects.get(election=election, group=first, kind=Commission.Kind.MANDATE)
    role_assign(user=users["orgcom@demo.example"], role=Role.ORG_COMMITTEE, group=first, actor=None)
    role_assign(
        user=users["commission@demo.example"],
        role=Role.COMMISSION_MEMBER,
        commission=mandate,
        position=Position.CHAIR,
        actor=None,
    )
    role_assign(user=users["candidate@demo.example"], role=Role.CANDIDATE, group=first, actor=None)
    role_assign(user=users["voter@demo.example"], role=Role.VOTER, group=first, actor=None)
    role_assign(user=users["observer@demo.example"], role=Role.OBSERVER, election=election, actor=None)
    return _advance_to(election, Election.State.ANNOUNCED)


def _kg(users: dict[str, User]) -> Election:
    election = _election(
        "kg-local-2016",
        title_ru="Досрочные выборы депутатов некоторых местных кенешей Кыргызской Республики, 11 декабря 2016 года",
        title_en="Early elections of deputies of some local councils of the Kyrgyz Republic, 11 December 2016",
        title_ky="Кыргыз Республикасынын айрым жергиликтүү кеңештеринин депутаттарын мөөнөтүнөн мурда шайлоо, 2016-жылдын 11-декабры",
        description_ky=(
            "БШКнын календардык планы: 58 иш-чара, добуш берүү 2016-жылдын 11-декабрында, жекшемби күнү, "
            "саат 8:00дөн 20:00гө чейин."
        ),
        official_languages=["ru", "ky"],
        description_ru="Календарный план ЦИК: 58 мероприятий, голосование в воскресенье 11 декабря 2016 года с 8:00 до 20:00.",
        description_en="CEC calendar plan: 58 activities; voting on Sunday 11 December 2016 from 08:00 to 20:00.",
        kind=Election.Kind.LOCAL_COUNCIL,
        time_zone="Asia/Bishkek",
        voting_day=dt.date(2016, 12, 11),
        voting_starts_at=dt.datetime(2016, 12, 11, 8, 0, tzinfo=BISHKEK),
        voting_ends_at=dt.datetime(2016, 12, 11, 20, 0, tzinfo=BISHKEK),
    )
    cec = Commission.objects.filter(election=election, kind=Commission.Kind.CEC).first()
    if cec is None:
        cec = commission_create(
            election=election,
            actor=None,
            kind=Commission.Kind.CEC,
            name_ru="Центральная избирательная комиссия",
            name_ky="Борбордук шайлоо комиссиясы",
            name_en="Central Election Commission",
        )
    role_assign(
        user=users["cec@demo.example"],
        role=Role.COMMISSION_MEMBER,
        commission=cec,
        position=Position.MEMBER,
        actor=None,
    )
    role_assign(user=users["observer@demo.example"], role=Role.OBSERVER, election=election, actor=None)
    return _advance_to(election, Election.State.ANNOUNCED)


def _calendar(election: Election, template_slug: str, anchors: dict, done: dict[int, dt.datetime]) -> None:
    """Start the election's calendar once, and record some activities as done (seed dates)."""

    if not ElectionCalendar.objects.filter(election=election).exists():
        calendar_start(
            election=election,
            template=PlanTemplate.objects.get(slug=template_slug),
            anchors=anchors,
            actor=None,
        )
    for number, when in done.items():
        activity = CalendarActivity.objects.get(calendar__election=election, number=number)
        if activity.completed_at is None:
            activity_complete(
                activity=activity, actor=None, completed_at=when, note="Демонстрационная отметка"
            )


@transaction.atomic
def load_demo() -> list[DemoUser]:

    users = {spec.email: _user(spec) for spec in USERS}
    for email in ("secretariat@demo.example", "secretariat-2@demo.example"):
        role_assign(user=users[email], role=Role.SECRETARIAT, actor=None)
    load_builtin_templates()
    ccm = _ccm(users)
    kg = _kg(users)
    _calendar(
        ccm,
        "ccm-ngo-2024",
        {"voting_day": dt.date(2024, 8, 17)},
        {n: dt.datetime(2024, 8, 9, 12, 0, tzinfo=ALMATY) for n in (1, 2, 3, 4, 5)},
    )
    from demo.structure import load_structure

    load_structure(ccm, kg, users)
    _calendar(
        kg,
        "kg-local-2016",
        {"voting_day": dt.date(2016, 12, 11), "decision_published": dt.date(2016, 10, 28)},
        {
            1: dt.datetime(2016, 11, 1, 17, 0, tzinfo=BISHKEK),
            2: dt.datetime(2016, 11, 2, 16, 0, tzinfo=BISHKEK),
            8: dt.datetime(2016, 11, 2, 11, 0, tzinfo=BISHKEK),
        },
    )
    from demo.candidates import load_candidates
    from demo.structure import DEMO_ACCOUNTS
    from demo.voters import load_voters

    extra = list(DEMO_ACCOUNTS) + list(load_candidates(ccm, kg, users)) + list(load_voters(ccm, kg, users))
    from demo.voting import load_voting

    extra += load_voting(ccm)
    from demo.protocols import load_protocols

    extra += load_protocols(ccm, kg)
    from demo.meetings import load_meetings

    load_meetings(ccm, kg, users)
    from demo.campaign import load_campaign

    extra += load_campaign(Election.objects.get(pk=kg.pk))
    return USERS + [DemoUser(email, name, label) for email, name, label in extra]
