"""Demo voters of both seed elections, built through the real services. Idempotent.

``ccm-kz-2024`` (seed 000 items 13–16): the exact registration window (12 Aug 2024 10:00 – 14 Aug
2024 18:00, Asia/Almaty) and registered voters in several groups and regions — natural persons
and organisations, accepted, rejected with a reason, and awaiting the commission's decision;
``voter@demo.example`` is an accepted voter of “People living with HIV”. The dates are historical,
so the registrations are entered through the documented system path
(``registration_submit(system_import=True, actor=None)``), which skips the window check and the
e-mail confirmation; decisions in the PLHIV group are taken by its commission chair
(``commission@demo.example``, who declared no conflict of interest), elsewhere by the system.
Demo voters get no portal account (``create_account=False``) except ``voter@demo.example``.

``kg-local-2016`` (seed 003 items 8–14): a register extract of 300 synthetic voters (plausible
Kyrgyz names, 14-digit personal numbers) for the 6 demo precincts, imported through the register
import; one Form 3 request decided by the PEC of precinct 1001 and one awaiting its decision.
The list is *not* frozen: the demo's calendar stands early in November 2016, when the lists are
published for checking (items 11–12); the secretariat sees the freeze blocked by the pending
request — decide it (as ``pec-1001@demo.example``) and the freeze goes through.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo

from django.core.files.base import ContentFile
from django.utils import translation

from accounts.models import Position, User
from accounts.services import user_create
from elections.models import Election
from groups import services as group_services
from groups.models import Commission, CommissionMember, ElectoralGroup, TerritorialUnit
from voters import services
from voters.models import CorrectionRequest, RegisterEntry, RegisterImport, VoterRegistration

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")

#: (email, full name, what the account is) of the demo logins ``load_voters`` creates
DEMO_ACCOUNTS: list[tuple[str, str, str]] = [
    ("pec-1001@demo.example", "Айпери Сыдыкова", "Член УИК № 1001 / PEC member (kg-local-2016)"),
]

REGISTRATION_WINDOW = (
    dt.datetime(2024, 8, 12, 10, 0, tzinfo=ALMATY),
    dt.datetime(2024, 8, 14, 18, 0, tzinfo=ALMATY),
)

# (group, kind, name, email, region, organisation or BIN, representative, decision, reason)
CCM_VOTERS = [
    ("plhiv", "person", "Сергей Ким", "voter@demo.example", "almaty-city",
     "ОЮЛ «Казахстанский союз людей, живущих с ВИЧ»", "", "accept", ""),
    ("plhiv", "person", "Гульмира Сарсенова", "g.sarsenova@example.org", "karaganda",
     "ОФ «Шапагат»", "", "accept", ""),
    ("plhiv", "person", "Алексей Попов", "a.popov@example.org", "east-kz",
     "ОФ «Answer»", "", "accept", ""),
    ("plhiv", "person", "Жанна Муратова", "zh.muratova@example.org", "shymkent", "", "", "accept", ""),
    ("plhiv", "person", "Ерболат Касымов", "e.kasymov@example.org", "pavlodar",
     "ОФ «Шапагат»", "", "reject",
     "Заявитель не представил подтверждения принадлежности к сообществу людей, живущих с ВИЧ."),
    ("plhiv", "person", "Мадина Алиева", "m.alieva@example.org", "almaty", "", "", None, ""),
    ("tb", "person", "Бауыржан Омаров", "b.omarov@example.org", "kyzylorda",
     "ОФ «Доверие плюс»", "", "accept", ""),
    ("tb", "person", "Светлана Ли", "s.li@example.org", "kostanay", "", "", None, ""),
    ("pwid", "person", "Игорь Ткаченко", "i.tkachenko@example.org", "karaganda",
     "ОФ «Реванш»", "", "accept", ""),
    ("sw", "person", "Айжан Бекова", "a.bekova@example.org", "almaty-city", "ОФ «Амелия»", "", "accept", ""),
    ("msm", "person", "Данияр Искаков", "d.iskakov@example.org", "astana",
     "ОФ «Равные возможности»", "", "accept", ""),
    ("ngo", "organisation", "ОФ «Доверие плюс»", "office@doverie.example.org", "almaty-city",
     "040240001234", "Асель Нурмухамбетова", "accept", ""),
    ("ngo", "organisation", "ОФ «Шапагат»", "info@shapagat.example.org", "karaganda",
     "010340005678", "Марат Ержанов", "accept", ""),
    ("ngo", "organisation", "Ассоциация «Жизнь»", "assoc@zhizn.example.org", "turkistan",
     "150540009012", "Ольга Ким", "reject",
     "Ассоциация имеет коллективное членство организаций и не может регистрироваться как избиратель."),
    ("ngo", "organisation", "ОФ «Казахстанская сеть снижения вреда»", "office@harm.example.org", "abai",
     "200640003456", "Нурлан Абдрахманов", None, ""),
]  # fmt: skip

LAST_NAMES = [
    ("Асанов", "Асанова"), ("Токтогулов", "Токтогулова"), ("Жумабеков", "Жумабекова"), ("Исаков", "Исакова"),
    ("Осмонов", "Осмонова"), ("Мамытов", "Мамытова"), ("Садыков", "Садыкова"), ("Абдыкадыров", "Абдыкадырова"),
    ("Турдубаев", "Турдубаева"), ("Бообеков", "Бообекова"), ("Эсенов", "Эсенова"), ("Орозбеков", "Орозбекова"),
    ("Шаршеев", "Шаршеева"), ("Кадыров", "Кадырова"), ("Маматов", "Маматова"), ("Сатыбалдиев", "Сатыбалдиева"),
]  # fmt: skip
MALE_NAMES = ["Бакыт", "Нурлан", "Эрмек", "Азамат", "Талант", "Улан", "Мирлан", "Бекзат", "Айбек", "Канат"]
FEMALE_NAMES = [
    "Айгуль",
    "Жылдыз",
    "Гулзат",
    "Чолпон",
    "Айпери",
    "Нургуль",
    "Бермет",
    "Асель",
    "Динара",
    "Мээрим",
]
STREETS = {
    1001: "г. Бишкек, ул. Ахунбаева", 1002: "г. Бишкек, ул. Киевская", 1003: "г. Бишкек, мкр. Джал",
    1004: "Чуйский район, с. Ак-Бешим, ул. Ленина", 1005: "Чуйский район, с. Ибраимов, ул. Центральная",
    1006: "Чуйский район, с. Кегети, ул. Манаса",
}  # fmt: skip
PER_PRECINCT = 50


def _ccm(election: Election, users: dict[str, User]) -> None:
    services.voter_settings_update(
        election=election,
        actor=None,
        registration_opens_at=REGISTRATION_WINDOW[0],
        registration_closes_at=REGISTRATION_WINDOW[1],
    )
    groups = {g.slug: g for g in ElectoralGroup.objects.filter(election=election)}
    for slug, kind, name, email, region, extra, representative, decision, reason in CCM_VOTERS:
        group = groups.get(slug)
        if group is None or VoterRegistration.objects.filter(group=group, email=email).exists():
            continue
        fields = {"name": name, "email": email, "region": region}
        if kind == "organisation":
            fields.update(registration_number=extra, representative_name=representative)
        else:
            fields["organisation"] = extra
        registration = services.registration_submit(
            election=election, group=group, actor=None, kind=kind, consent=True, system_import=True, **fields
        )
        if decision:
            services.registration_decide(
                registration=registration,
                actor=_decider(group),
                decision=decision,
                reason=reason,
                create_account=False,
            )


def _decider(group: ElectoralGroup) -> User | None:
    """The chair of the group's mandate commission when seated and declared, else the system."""
    member = (
        CommissionMember.objects.filter(
            commission__group=group, position=Position.CHAIR, is_active=True, coi_declared_at__isnull=False
        )
        .select_related("user")
        .first()
    )
    return member.user if member else None


def _pin(rng: random.Random, female: bool, birth: dt.date, seq: int) -> str:
    return f"{1 if female else 2}{birth:%d%m%Y}{seq:05d}"


def _extract(election: Election) -> str:
    rng = random.Random(2016)  # the same voters on every run
    precincts = sorted(
        TerritorialUnit.objects.filter(election=election, kind=TerritorialUnit.Kind.PRECINCT).values_list(
            "number", flat=True
        )
    )
    lines = ["personal_number,last_name,first_name,middle_name,birth_date,address,precinct_number"]
    seq = 0
    for number in precincts:
        street = STREETS.get(number, "г. Бишкек, ул. Токтогула")
        for _ in range(PER_PRECINCT):
            seq += 1
            female = rng.random() < 0.52
            last = rng.choice(LAST_NAMES)[1 if female else 0]
            first = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
            father = rng.choice(MALE_NAMES)
            middle = father + ("овна" if female else "ович")
            birth = dt.date(1998, 12, 11) - dt.timedelta(days=rng.randint(0, 365 * 62))
            address = f"{street}, д. {rng.randint(1, 140)}"
            if rng.random() < 0.5 and number <= 1003:
                address += f", кв. {rng.randint(1, 120)}"
            lines.append(
                f'{_pin(rng, female, birth, seq)},{last},{first},{middle},{birth:%d.%m.%Y},"{address}",{number}'
            )
    return "\n".join(lines) + "\n"


def _pec_member(election: Election, users: dict[str, User]) -> None:
    from demo.loader import DEMO_PASSWORD

    pec = Commission.objects.filter(election=election, kind=Commission.Kind.PEC, unit__number=1001).first()
    if pec is None:
        return
    email, full_name, _label = DEMO_ACCOUNTS[0]
    user = User.objects.filter(email=email).first()
    if user is None:
        user = user_create(email=email, full_name=full_name, password=DEMO_PASSWORD, actor=None)
    users.setdefault(email, user)
    member = CommissionMember.objects.filter(commission=pec, user=user, is_active=True).first()
    if member is None:
        member = group_services.member_invite(
            commission=pec, actor=None, email=email, position=Position.SECRETARY, nominated_by="Айылный кенеш"
        )
    if member.coi_declared_at is None:
        group_services.member_declare_coi(member=member, actor=None)


def _kg(election: Election, users: dict[str, User]) -> None:
    _pec_member(election, users)
    if not RegisterEntry.objects.filter(election=election).exists():
        if not TerritorialUnit.objects.filter(election=election, kind=TerritorialUnit.Kind.PRECINCT).exists():
            return
        content = ContentFile(_extract(election).encode("utf-8"), name="grs-extract-2016-11-02.csv")
        register_import = services.register_import_upload(election=election, file=content, actor=None)
        services.register_import_validate(import_id=register_import.pk)
        register_import.refresh_from_db()
        if register_import.status != RegisterImport.Status.VALIDATED or register_import.rows_invalid:
            raise RuntimeError(f"demo register extract refused: {register_import.problems_preview[:3]}")
        services.register_import_confirm(register_import=register_import, actor=None, mode="all")
        services.register_import_run(import_id=register_import.pk)
    if CorrectionRequest.objects.filter(election=election).exists():
        return
    entries = list(
        RegisterEntry.objects.filter(election=election, precinct__number=1001).order_by("personal_number")[:2]
    )
    if len(entries) < 2:
        return
    pec_user = users.get(DEMO_ACCOUNTS[0][0])
    decided = services.correction_submit(
        entry=entries[0],
        actor=None,
        field="address",
        requested_value=entries[0].address.split(", д.")[0] + ", д. 97, кв. 12",
        explanation="Переехал в пределах участка; адрес в списке устарел.",
        system_import=True,
    )
    services.correction_decide(request=decided, actor=pec_user, decision="accept")
    services.correction_submit(
        entry=entries[1],
        actor=None,
        field="last_name",
        requested_value=entries[1].last_name
        + "-"
        + LAST_NAMES[0][1 if entries[1].last_name.endswith("а") else 0],
        explanation="Двойная фамилия после регистрации брака; копия свидетельства у заявителя.",
        contact_email="kg-voter@example.org",
        system_import=True,
    )


def load_voters(ccm_election: Election, kg_election: Election, users: dict) -> list[tuple[str, str, str]]:
    """Complete the voters of both demo elections; running it again changes nothing. Returns
    the demo logins it creates (they use the demo password)."""
    users = dict(users)
    with translation.override("ru"):
        _ccm(ccm_election, users)
        _kg(kg_election, users)
    return list(DEMO_ACCOUNTS)
