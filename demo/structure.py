"""Demo electoral structure of both seed elections, built through the real services. Idempotent.

``ccm-kz-2024`` (seed 000): eligibility and decision rule of the 6 groups, the organising
committee with one approved representative per group, the members of the mandate/counting
commission of “People living with HIV” (all declared no conflict of interest), observers
(accredited, refused, pending).
``kg-local-2016`` (seed 003): 2 TECs and 6 PECs under the CEC, 2 districts with 6 precincts
imported from CSV — the Bishkek city council (district 1, precincts 1001–1003) and the Ibraimov
aiyl council (district 3, precincts 1004–1006 in its villages) — international observers
(items 33–34).

``load_structure`` is called by ``demo.loader.load_demo``; the accounts it creates are listed in
``DEMO_ACCOUNTS`` (they use the demo password).
"""

from __future__ import annotations

from django.utils import translation

from accounts.models import Position, User
from accounts.services import user_create
from elections.models import Election
from groups import services
from groups.models import (
    Commission,
    CommissionMember,
    ObserverApplication,
    OrgCommitteeNomination,
    TerritorialUnit,
)

#: (email, full name, what the account is) of the accounts ``load_structure`` creates
DEMO_ACCOUNTS: list[tuple[str, str, str]] = [
    ("orgcom-tb@demo.example", "Асель Нурмухамбетова", "Член оргкомитета (ТБ) / organising committee"),
    ("orgcom-pwid@demo.example", "Виктор Пак", "Член оргкомитета (ЛУН) / organising committee"),
    ("orgcom-sw@demo.example", "Наталья Ковальчук", "Член оргкомитета (СР) / organising committee"),
    ("orgcom-msm@demo.example", "Тимур Сагинтаев", "Член оргкомитета (МСМ) / organising committee"),
    ("orgcom-ngo@demo.example", "Жанар Абенова", "Член оргкомитета (НПО) / organising committee"),
    ("commission-deputy@demo.example", "Ольга Ли", "Зам. председателя мандатной комиссии / deputy chair"),
    ("commission-secretary@demo.example", "Арман Бекенов", "Секретарь мандатной комиссии / secretary"),
    ("commission-member@demo.example", "Светлана Дюсенова", "Член мандатной комиссии / commission member"),
]

REPRESENTATIVES = {
    "plhiv": ("orgcom@demo.example", "ОЮЛ «Казахстанский союз людей, живущих с ВИЧ»"),
    "tb": ("orgcom-tb@demo.example", "ОФ «Доверие плюс»"),
    "pwid": ("orgcom-pwid@demo.example", "ОФ «Реванш»"),
    "sw": ("orgcom-sw@demo.example", "ОФ «Амелия»"),
    "msm": ("orgcom-msm@demo.example", "ОФ «Равные возможности»"),
    "ngo": ("orgcom-ngo@demo.example", "Ассоциация НПО в сфере ВИЧ и ТБ"),
}

ELIGIBILITY = {
    "plhiv": ("людей, живущих с ВИЧ", "people living with HIV"),
    "tb": ("людей, затронутых туберкулёзом", "people affected by tuberculosis"),
    "pwid": ("людей, употребляющих наркотики", "people who use drugs"),
    "sw": ("секс-работников", "sex workers"),
    "msm": ("МСМ и ЛГБТ-сообщества", "the MSM and LGBT community"),
    "ngo": ("НПО, предоставляющих услуги в сфере ВИЧ и ТБ", "NGOs providing HIV and TB services"),
}

PLHIV_MEMBERS = [
    ("commission@demo.example", Position.CHAIR, "Представительство ЮНЭЙДС"),
    ("commission-deputy@demo.example", Position.DEPUTY, "Национальный центр общественного здравоохранения"),
    ("commission-secretary@demo.example", Position.SECRETARY, "ОФ «Центр правовой помощи»"),
    ("commission-member@demo.example", Position.MEMBER, "Сеть женщин, живущих с ВИЧ"),
]

CCM_OBSERVERS = [
    # (contact e-mail, name, kind, applicant type, organisation, group slug, decision, reason)
    (
        "observer@demo.example",
        "Мария Иванова",
        "partner",
        "person",
        "Представительство ЮНЭЙДС",
        None,
        "accredit",
        "",
    ),
    ("r.akhmetov@example.org", "Руслан Ахметов", "independent", "person", "", "plhiv", "accredit", ""),
    (
        "a.nurlanova@example.org",
        "Алия Нурланова",
        "independent",
        "person",
        "",
        "tb",
        "refuse",
        "Заявитель подал заявку кандидата в этой группе: наблюдение было бы конфликтом интересов.",
    ),
    (
        "info@fair-elections.example.org",
        "ОФ «Прозрачные выборы»",
        "partner",
        "organisation",
        "",
        None,
        None,
        "",
    ),
]

KG_OBSERVERS = [
    ("j.lindqvist@example.org", "Johan Lindqvist", "person", "ОБСЕ/БДИПЧ", "Швеция", "accredit"),
    ("mission@cis-observers.example.org", "Миссия наблюдателей от СНГ", "organisation", "", "", "accredit"),
    ("a.kowalska@example.org", "Anna Kowalska", "person", "ENEMO", "Польша", None),
]

KG_TECS = [
    (
        1,
        "Бишкекская городская территориальная избирательная комиссия",
        "Bishkek City Territorial Election Commission",
    ),
    (
        3,
        "Территориальная избирательная комиссия по выборам депутатов Ибраимовского айылного кенеша",
        "Territorial Election Commission for the Ibraimov aiyl council",
    ),
]

#: the TECs' names in Kyrgyz, the state language (issue 22)
KG_TECS_KY = {
    1: "Бишкек шаардык аймактык шайлоо комиссиясы",
    3: "Ибраимов айылдык кеңешинин депутаттарын шайлоо боюнча аймактык шайлоо комиссиясы",
}

KG_UNITS_CSV = """kind,number,name_ru,name_en,parent_number,address,voters_on_list
district,1,Бишкекский городской избирательный округ,Bishkek city electoral district,,,
district,3,Ибраимовский айылный избирательный округ,Ibraimov aiyl electoral district,,,
precinct,1001,Средняя школа № 61,School No. 61,1,"г. Бишкек, ул. Ахунбаева, 97",2345
precinct,1002,Гимназия № 5,Gymnasium No. 5,1,"г. Бишкек, ул. Киевская, 96",1980
precinct,1003,Дом культуры «Ала-Тоо»,Ala-Too House of Culture,1,"г. Бишкек, мкр. Джал, 23",2712
precinct,1004,Средняя школа им. Токтогула,Toktogul School,3,"Чуйский район, с. Ак-Бешим, ул. Ленина, 12",1214
precinct,1005,Дом культуры села Ибраимов,Ibraimov House of Culture,3,"Чуйский район, с. Ибраимов, ул. Центральная, 5",987
precinct,1006,Средняя школа села Кегети,Kegeti School,3,"Чуйский район, с. Кегети, ул. Манаса, 3",1456
"""


def _account(email: str, users: dict[str, User]) -> User:
    user = users.get(email) or User.objects.filter(email=email).first()
    if user is None:
        from demo.loader import DEMO_PASSWORD

        full_name, _label = next((n, lab) for e, n, lab in DEMO_ACCOUNTS if e == email)
        user = user_create(email=email, full_name=full_name, password=DEMO_PASSWORD, actor=None)
    users.setdefault(email, user)
    return user


def _seat(commission: Commission, user: User, position: str, nominated_by: str) -> None:
    member = CommissionMember.objects.filter(commission=commission, user=user, is_active=True).first()
    if member is None:
        member = services.member_invite(
            commission=commission, actor=None, email=user.email, position=position, nominated_by=nominated_by
        )
    if member.coi_declared_at is None:
        services.member_declare_coi(member=member, actor=None)


def _observer(
    election: Election,
    *,
    email,
    name,
    kind,
    applicant_type,
    organisation,
    country="",
    group,
    decision,
    reason,
):
    if ObserverApplication.objects.filter(election=election, contact_email=email).exists():
        return
    application = services.observer_apply(
        election=election,
        actor=None,
        group=group,
        kind=kind,
        applicant_type=applicant_type,
        name=name,
        organisation=organisation,
        country=country,
        contact_email=email,
    )
    if decision == "accredit":
        services.observer_accredit(application=application, actor=None, create_account=False)
    elif decision == "refuse":
        services.observer_refuse(application=application, actor=None, reason=reason)


def _ccm(election: Election, users: dict[str, User]) -> None:
    groups = {g.slug: g for g in election.groups.all()}
    for slug, (who_ru, who_en) in ELIGIBILITY.items():
        if slug not in groups:
            continue
        services.group_update(
            group=groups[slug],
            actor=None,
            decision_rule="plurality",
            eligibility_ru=(
                f"Кандидат — представитель {who_ru}, проживающий в Казахстане, с опытом работы в "
                "сообществе не менее двух лет, не являющийся государственным служащим. Голосуют "
                "зарегистрированные избиратели группы: инициативные группы и организации сообщества "
                "(каждая — один голос). Член СКК — кандидат с наибольшим числом голосов, альтернат — "
                "со вторым результатом."
            ),
            eligibility_en=(
                f"A candidate represents {who_en}, lives in Kazakhstan, has at least two years of "
                "community work and is not a civil servant. The group's registered voters vote: "
                "community groups and organisations (one vote each). The candidate with the most votes "
                "becomes the CCM member, the runner-up the alternate."
            ),
        )
    committee = services.org_committee_of(election)
    for slug, (email, organisation) in REPRESENTATIVES.items():
        group = groups.get(slug)
        if group is None or committee is None:
            continue
        if committee.nominations.filter(group=group, status=OrgCommitteeNomination.Status.APPROVED).exists():
            continue
        user = _account(email, users)
        nomination = services.nomination_submit(
            election=election,
            group=group,
            actor=None,
            full_name=user.full_name,
            email=user.email,
            organisation=organisation,
            group_decision="Решение встречи лидеров сообщества, 9 августа 2024 года",
        )
        services.nomination_decide(nomination=nomination, decision="approve", actor=None)
    mandate = Commission.objects.filter(election=election, group=groups.get("plhiv"), kind="mandate").first()
    if mandate is not None:
        for email, position, nominated_by in PLHIV_MEMBERS:
            _seat(mandate, _account(email, users), position, nominated_by)
    for email, name, kind, applicant_type, organisation, slug, decision, reason in CCM_OBSERVERS:
        _observer(
            election,
            email=email,
            name=name,
            kind=kind,
            applicant_type=applicant_type,
            organisation=organisation,
            group=groups.get(slug) if slug else None,
            decision=decision,
            reason=reason,
        )


def _kg(election: Election, users: dict[str, User]) -> None:
    cec = Commission.objects.filter(election=election, kind=Commission.Kind.CEC).first()
    if cec is None:
        return
    if "cec@demo.example" in users:
        _seat(cec, users["cec@demo.example"], Position.MEMBER, "Жогорку Кенеш Кыргызской Республики")
    if not TerritorialUnit.objects.filter(election=election).exists():
        services.units_import(election=election, content=KG_UNITS_CSV.encode("utf-8"), actor=None)
    units = {(u.kind, u.number): u for u in TerritorialUnit.objects.filter(election=election)}
    for number, name_ru, name_en in KG_TECS:
        name_ky = KG_TECS_KY[number]
        district = units[("district", number)]
        tec = Commission.objects.filter(election=election, kind=Commission.Kind.TEC, unit=district).first()
        if tec is None:
            tec = services.commission_create(
                election=election,
                actor=None,
                kind="tec",
                name_ru=name_ru,
                name_en=name_en,
                name_ky=name_ky,
                parent=cec,
                unit=district,
            )
        for precinct in sorted(district.children.all(), key=lambda u: u.number):
            if not Commission.objects.filter(
                election=election, kind=Commission.Kind.PEC, unit=precinct
            ).exists():
                services.commission_create(
                    election=election,
                    actor=None,
                    kind="pec",
                    name_ru=f"Участковая избирательная комиссия № {precinct.number}",
                    name_en=f"Precinct Election Commission No. {precinct.number}",
                    name_ky=f"№ {precinct.number} участкалык шайлоо комиссиясы",
                    parent=tec,
                    unit=precinct,
                )
    for email, name, applicant_type, organisation, country, decision in KG_OBSERVERS:
        _observer(
            election,
            email=email,
            name=name,
            kind="international",
            applicant_type=applicant_type,
            organisation=organisation,
            country=country,
            group=None,
            decision=decision,
            reason="",
        )


def load_structure(ccm_election: Election, kg_election: Election, users: dict[str, User]) -> None:
    """Complete the structure of both demo elections; running it again changes nothing."""
    users = dict(users)
    with translation.override("ru"):
        _ccm(ccm_election, users)
        _kg(kg_election, users)
