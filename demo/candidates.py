"""Demo candidates of both seed elections, built through the real services. Idempotent.

``ccm-kz-2024`` (seed 000): the announcement with its application form, published; the
checklist; applications at every stage in three groups — in “People living with HIV” registered
candidates with programmes (among them candidate@demo.example), one refused with reasons, one
under review, one submitted, one registered who later withdrew — all decided by that group's
mandate/counting commission, whose members signed the declaration of no conflict of interest.
``kg-local-2016`` (seed 003): the Bishkek city council (district 1) with three party lists of
ordered candidates registered by the Bishkek city TEC, and the Ibraimov aiyl council (district 3,
created here with its TEC) with self-nominated candidates: registered, refused, one who withdrew
after the ballot was approved (stays on the ballot, marked in the results) and one whose
registration the TEC cancelled.

The election dates lie in the past, while services take the server clock. Records are created
as a **system import of historical data**: ``actor=None`` with ``as_of=<the historical
instant>``, which the services accept only from the system and at which they check the same
calendar windows and deadlines as for a live user (see ``candidates.services._common.clock``).

``load_candidates`` returns the demo accounts it manages (email, full name, label), all with the
demo password; ``demo.loader.load_demo`` prints them. Call it after the calendars are started.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from accounts.models import Position, Role, User
from accounts.services import user_create
from candidates import services
from candidates.models import Application, CandidacySettings, Criterion, PartyList
from elections.models import Election, ElectionCalendar
from groups import services as group_services
from groups.models import Commission, CommissionMember, TerritorialUnit

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
BISHKEK = zoneinfo.ZoneInfo("Asia/Bishkek")

#: (email, full name, what the account is) of the accounts ``load_candidates`` manages
DEMO_ACCOUNTS: list[tuple[str, str, str]] = [
    ("tec-bishkek@demo.example", "Нурлан Абдыкадыров", "Председатель Бишкекской городской ТИК / TEC chair"),
    (
        "tec-bishkek-2@demo.example",
        "Айнура Токтогулова",
        "Секретарь Бишкекской городской ТИК / TEC secretary",
    ),
    ("tec-bishkek-3@demo.example", "Эмиль Джумабеков", "Член Бишкекской городской ТИК / TEC member"),
    ("tec-ibraimov@demo.example", "Бактыгуль Сыдыкова", "Председатель Ибраимовской айылной ТИК / TEC chair"),
    ("tec-ibraimov-2@demo.example", "Мирлан Алымкулов", "Секретарь Ибраимовской айылной ТИК / TEC secretary"),
    ("tec-ibraimov-3@demo.example", "Жылдыз Бекова", "Член Ибраимовской айылной ТИК / TEC member"),
    ("party-horizon@demo.example", "Чынара Осмонова", "Уполномоченный представитель партии «Новый горизонт»"),
    ("party-valley@demo.example", "Талант Мамытов", "Уполномоченный представитель партии «Зелёная долина»"),
    ("party-masters@demo.example", "Гульмира Исаева", "Уполномоченный представитель партии «Союз мастеров»"),
]

# --- ccm-kz-2024 ----------------------------------------------------------------------------

CCM_ANNOUNCEMENT = (
    "Секретариат СКК объявляет выборы членов Странового координационного механизма и альтернатов "
    "от неправительственного сектора на 2024–2027 годы.\n\n"
    "Каждая избирательная группа (сообщество ключевой группы населения или объединение организаций) "
    "избирает одного члена СКК и одного альтерната. Кандидаты подают заявку на портале: заполняют "
    "анкету, прикладывают подписанную форму заявки и программу — приоритеты в защите интересов группы "
    "и порядок отчётности перед ней.\n\n"
    "Заявки проверяет мандатная/счётная комиссия группы на соответствие критериям; решение о допуске "
    "сообщается кандидату по электронной почте. Список допущенных кандидатов публикуется на портале. "
    "Голосование — на собрании избирателей группы 17 августа 2024 года или онлайн на равных условиях."
)
CCM_CRITERIA_TEXT = (
    "Кандидат — представитель сообщества группы, проживает в Казахстане, имеет опыт работы в сообществе "
    "не менее двух лет, не является государственным служащим и не работает в Секретариате СКК."
)
CCM_DUTIES = (
    "Член СКК участвует в заседаниях СКК и его комитетов, представляет позицию группы, регулярно "
    "консультируется с ней и отчитывается перед ней; альтернат заменяет члена СКК в его отсутствие."
)
CCM_CHECKLIST = [
    (
        "Кандидат представляет сообщество избирательной группы",
        "The candidate represents the group's community",
    ),
    ("Опыт работы в сообществе не менее двух лет", "At least two years of community work"),
    (
        "Не является государственным служащим и сотрудником Секретариата СКК",
        "Not a civil servant nor CCM Secretariat staff",
    ),
    (
        "Подписанная форма заявки и программа представлены",
        "The signed application form and a programme are given",
    ),
]

#: group slug -> applications: (email, full name, nomination, organisation, region, programme, outcome)
#: outcomes: admitted, refused:<reasons>, review, submitted, withdrawn
CCM_APPLICATIONS = {
    "plhiv": [
        (
            "candidate@demo.example",
            "Динара Оспанова",
            "self",
            "ОЮЛ «Казахстанский союз людей, живущих с ВИЧ»",
            "г. Алматы",
            "Добиваться бесперебойного доступа к антиретровирусной терапии во всех регионах, включить "
            "представителей сообщества в проверки качества услуг и ежеквартально отчитываться перед "
            "группой на открытых онлайн-встречах.",
            "admitted",
        ),
        (
            "a.musina@example.org",
            "Айжан Мусина",
            "organisation",
            "ОФ «Шапагат»",
            "Карагандинская область",
            "Продвигать равный консультант в каждом центре СПИД, защищать права женщин, живущих с ВИЧ, "
            "и вовлекать региональные инициативные группы в работу СКК через ежемесячную рассылку.",
            "admitted",
        ),
        (
            "b.iskakov@example.org",
            "Болат Искаков",
            "self",
            "ОФ «Сана Сезім»",
            "Туркестанская область",
            "Снизить стигму в медицинских учреждениях через обучение персонала силами сообщества.",
            "withdrawn",
        ),
        (
            "s.zhumabayeva@example.org",
            "Сауле Жумабаева",
            "self",
            "",
            "г. Шымкент",
            "Работать над доступностью тестирования.",
            "refused:Не подтверждён опыт работы в сообществе не менее двух лет (критерий 2); "
            "рекомендательное письмо организации сообщества не представлено.",
        ),
        (
            "e.kenzhebayev@example.org",
            "Ержан Кенжебаев",
            "organisation",
            "ОО «Алматы плюс»",
            "г. Алматы",
            "Создать сеть равных консультантов для молодёжи, живущей с ВИЧ.",
            "review",
        ),
        (
            "g.tleubayeva@example.org",
            "Гаухар Тлеубаева",
            "self",
            "ОФ «Жизнь вопреки»",
            "г. Астана",
            "Представлять интересы людей, живущих с ВИЧ, из малых городов.",
            "submitted",
        ),
    ],
    "tb": [
        (
            "m.akhmedov@example.org",
            "Марат Ахмедов",
            "self",
            "ОФ «Доверие плюс»",
            "Алматинская область",
            "Добиться социальной поддержки пациентов с туберкулёзом на всём курсе лечения.",
            "submitted",
        ),
        (
            "i.sadykova@example.org",
            "Индира Садыкова",
            "organisation",
            "ОФ «Вместе против ТБ»",
            "Павлодарская область",
            "Развивать амбулаторное лечение и видеоконтролируемую терапию.",
            "submitted",
        ),
    ],
    "pwid": [
        (
            "a.kim@example.org",
            "Андрей Ким",
            "self",
            "ОФ «Реванш»",
            "г. Темиртау",
            "Расширить программы снижения вреда и опиоидной заместительной терапии.",
            "submitted",
        ),
    ],
}

# --- kg-local-2016 --------------------------------------------------------------------------

KG_ANNOUNCEMENT = (
    "Центральная комиссия по выборам и проведению референдумов Кыргызской Республики сообщает о "
    "выдвижении кандидатов на досрочных выборах депутатов местных кенешей 11 декабря 2016 года.\n\n"
    "Кандидатов в депутаты городских кенешей выдвигают политические партии списками; кандидатов в "
    "депутаты айылных кенешей — политические партии и граждане путём самовыдвижения. Документы "
    "представляются в соответствующую территориальную избирательную комиссию, которая в течение 7 "
    "календарных дней проверяет соблюдение порядка выдвижения и принимает решение о регистрации."
)
KG_CRITERIA_TEXT = (
    "Кандидатом может быть гражданин Кыргызской Республики, достигший 21 года, проживающий на "
    "территории соответствующего города или айылного аймака."
)
KG_CHECKLIST = [
    (
        "Порядок выдвижения соответствует Закону «О выборах депутатов местных кенешей»",
        "Nomination follows the law",
    ),
    ("Представлены все необходимые документы", "All required documents are given"),
    ("Кандидат достиг 21 года и проживает на соответствующей территории", "Age 21+ and resident in the area"),
]

#: party name -> (representative e-mail, candidates in list order: (email, name, birth date, occupation, outcome))
KG_PARTIES = {
    "Новый горизонт": (
        "party-horizon@demo.example",
        [
            (
                "u.asanov@example.org",
                "Улан Асанов",
                dt.date(1975, 3, 14),
                "экономист, ОсОО «Тоо-Курулуш»",
                "admitted",
            ),
            (
                "a.kadyrova@example.org",
                "Алтынай Кадырова",
                dt.date(1982, 7, 2),
                "учитель, СШ № 61",
                "admitted",
            ),
            ("t.sultanov@example.org", "Тимур Султанов", dt.date(1990, 11, 20), "юрист", "admitted"),
            ("n.ermekova@example.org", "Назгуль Эрмекова", dt.date(1986, 5, 9), "врач, ЦСМ № 6", "withdrawn"),
        ],
    ),
    "Зелёная долина": (
        "party-valley@demo.example",
        [
            (
                "k.omurzakov@example.org",
                "Канат Омурзаков",
                dt.date(1968, 1, 30),
                "инженер-эколог",
                "admitted",
            ),
            ("m.tokonova@example.org", "Мээрим Токонова", dt.date(1993, 9, 15), "архитектор", "admitted"),
            ("b.usenov@example.org", "Бекзат Усенов", dt.date(1979, 4, 4), "предприниматель", "admitted"),
        ],
    ),
    "Союз мастеров": (
        "party-masters@demo.example",
        [
            (
                "s.abdyrakhmanov@example.org",
                "Сагын Абдырахманов",
                dt.date(1971, 12, 1),
                "строитель",
                "admitted",
            ),
            ("ch.alieva@example.org", "Чолпон Алиева", dt.date(1984, 6, 21), "бухгалтер", "admitted"),
            (
                "e.nurbekov@example.org",
                "Эрлан Нурбеков",
                dt.date(1999, 2, 11),
                "студент",
                "refused:Кандидату на день голосования не исполнится 21 года (ч.1 ст.5 Закона).",
            ),
        ],
    ),
}

#: self-nominated candidates of the Ibraimov aiyl council
KG_AIYL = [
    ("zh.mamatov@example.org", "Жолдошбек Маматов", dt.date(1963, 8, 8), "фермер", "с. Ибраимов", "admitted"),
    (
        "a.sherieva@example.org",
        "Асель Шериева",
        dt.date(1988, 10, 27),
        "фельдшер ФАП",
        "с. Ибраимов",
        "admitted",
    ),
    (
        "k.dzhunusov@example.org",
        "Кубан Джунусов",
        dt.date(1977, 2, 19),
        "водитель",
        "с. Кегети",
        "late_withdrawn",
    ),
    (
        "r.osmonaliev@example.org",
        "Руслан Осмоналиев",
        dt.date(1981, 5, 5),
        "директор школы",
        "с. Ибраимов",
        "cancelled",
    ),
    (
        "g.baitikova@example.org",
        "Гулай Байтикова",
        dt.date(1990, 3, 3),
        "продавец",
        "с. Ак-Бешим",
        "refused:Не представлено заявление кандидата о согласии баллотироваться (ч.1 ст.60 Закона).",
    ),
]

KG_TECS = {
    1: [
        ("tec-bishkek@demo.example", Position.CHAIR),
        ("tec-bishkek-2@demo.example", Position.SECRETARY),
        ("tec-bishkek-3@demo.example", Position.MEMBER),
    ],
    3: [
        ("tec-ibraimov@demo.example", Position.CHAIR),
        ("tec-ibraimov-2@demo.example", Position.SECRETARY),
        ("tec-ibraimov-3@demo.example", Position.MEMBER),
    ],
}


def _account(email: str, users: dict[str, User]) -> User:
    user = users.get(email) or User.objects.filter(email=email).first()
    if user is None:
        from demo.loader import DEMO_PASSWORD

        full_name = next(n for e, n, _label in DEMO_ACCOUNTS if e == email)
        user = user_create(email=email, full_name=full_name, password=DEMO_PASSWORD, actor=None)
    users.setdefault(email, user)
    return user


def _seat(commission: Commission, user: User, position: str, nominated_by: str) -> CommissionMember:
    member = CommissionMember.objects.filter(commission=commission, user=user, is_active=True).first()
    if member is None:
        member = group_services.member_invite(
            commission=commission, actor=None, email=user.email, position=position, nominated_by=nominated_by
        )
    if member.coi_declared_at is None:
        member = group_services.member_declare_coi(member=member, actor=None)
    return member


def _blank_form_pdf(title: str, fields: list[str]) -> SimpleUploadedFile:
    """The blank application form of the announcement (to print, sign and upload)."""
    from weasyprint import HTML

    rows = "".join(f"<tr><th>{f}</th><td></td></tr>" for f in fields)
    html = (
        "<html><head><meta charset='utf-8'><style>@page{size:A4;margin:18mm}"
        "body{font-family:'DejaVu Sans',sans-serif;font-size:10pt}th{text-align:left;width:45%;padding:3mm;"
        "border:0.5pt solid #333}td{border:0.5pt solid #333}table{width:100%;border-collapse:collapse}"
        f"</style></head><body><h1 style='font-size:13pt'>{title}</h1><table>{rows}</table>"
        "<p>Подпись кандидата ______________ Дата ______________</p></body></html>"
    )
    return SimpleUploadedFile("form.pdf", HTML(string=html).write_pdf(), content_type="application/pdf")


def _signed_form(name: str) -> SimpleUploadedFile:
    """A stand-in for a scanned, signed form: a one-line PDF (the type is checked by content)."""
    body = f"Заявка кандидата: {name}".encode()
    content = b"%PDF-1.4\n% demo scan\n1 0 obj<<>>endobj\n% " + body + b"\ntrailer<<>>\n%%EOF\n"
    return SimpleUploadedFile("scan.pdf", content, content_type="application/pdf")


def _settings(
    election: Election,
    *,
    announcement: str,
    criteria: str,
    duties: str,
    form_title: str,
    form_fields,
    checklist,
) -> None:
    current = CandidacySettings.objects.filter(election=election).first()
    changes = {"announcement_ru": announcement, "criteria_ru": criteria, "duties_ru": duties}
    if current is None or not current.application_form:
        changes["application_form"] = _blank_form_pdf(form_title, form_fields)
    services.candidacy_settings_update(election=election, actor=None, **changes)
    services.announcement_publish(election=election, actor=None)
    if not Criterion.objects.filter(election=election).exists():
        for text_ru, text_en in checklist:
            services.criterion_add(election=election, actor=None, text_ru=text_ru, text_en=text_en)


def _votes(members: list[CommissionMember], abstain: int = 0) -> dict[int, str]:
    votes = {m.pk: "for" for m in members}
    for m in members[len(members) - abstain :]:
        votes[m.pk] = "abstain"
    return votes


def _decide(application: Application, members, outcome: str, at: dt.datetime) -> Application:
    """Review by every member, then the numbered decision (admit or refuse)."""
    if not application.is_undecided:
        return application
    criteria = list(Criterion.objects.filter(election=application.election))
    refused = outcome.startswith("refused:")
    for index, member in enumerate(members):
        failing = {criteria[1].pk} if refused and len(criteria) > 1 else set()
        services.review_record(
            application=application,
            actor=None,
            member=member,
            checks={c.pk: (c.pk not in failing, "") for c in criteria},
            recommendation="refuse" if refused else "admit",
            comment="" if index else ("Документы проверены." if not refused else "См. критерий 2."),
        )
    if refused:
        services.application_decide(
            application=application,
            actor=None,
            decision="refuse",
            votes=_votes(members, abstain=1),
            reasons=outcome.split(":", 1)[1],
            create_account=False,
            as_of=at,
        )
    else:
        services.application_decide(
            application=application,
            actor=None,
            decision="admit",
            votes=_votes(members),
            create_account=False,
            as_of=at,
        )
    application.refresh_from_db()
    return application


def _existing(election: Election, email: str) -> Application | None:
    return Application.objects.filter(election=election, email=email).order_by("-received_at").first()


def _ccm(election: Election, users: dict[str, User]) -> None:
    _settings(
        election,
        announcement=CCM_ANNOUNCEMENT,
        criteria=CCM_CRITERIA_TEXT,
        duties=CCM_DUTIES,
        form_title="Форма заявки кандидата в члены СКК / альтернаты от неправительственного сектора",
        form_fields=[
            "ФИО",
            "Избирательная группа",
            "Организация",
            "Регион",
            "Опыт работы в сообществе",
            "Программа (приоритеты)",
            "Контакты",
        ],
        checklist=CCM_CHECKLIST,
    )
    groups = {g.slug: g for g in election.groups.all()}
    plhiv_commission = Commission.objects.filter(
        election=election, group=groups.get("plhiv"), kind="mandate"
    ).first()
    members = list(
        CommissionMember.objects.filter(
            commission=plhiv_commission, is_active=True, coi_declared_at__isnull=False
        )
        .select_related("user")
        .order_by("position")
    )
    for slug, rows in CCM_APPLICATIONS.items():
        group = groups.get(slug)
        if group is None:
            continue
        for index, (email, name, nomination, organisation, region, programme, outcome) in enumerate(rows):
            application = _existing(election, email)
            if application is None:
                application = services.application_submit(
                    election=election,
                    actor=None,
                    nomination=nomination,
                    group=group,
                    full_name=name,
                    email=email,
                    organisation=organisation or "Инициативная группа сообщества",
                    region=region,
                    programme=programme,
                    nominated_by=organisation if nomination == "organisation" else "",
                    document=_signed_form(name),
                    consent=True,
                    as_of=dt.datetime(2024, 8, 12, 10, 0, tzinfo=ALMATY) + dt.timedelta(hours=5 * index),
                )
            if slug != "plhiv" or not members or outcome == "submitted":
                continue
            if outcome == "review":
                if application.status == Application.Status.SUBMITTED:
                    criteria = list(Criterion.objects.filter(election=election))
                    services.review_record(
                        application=application,
                        actor=None,
                        member=members[0],
                        checks={c.pk: (True, "") for c in criteria},
                        recommendation="undecided",
                        comment="Запрошено подтверждение опыта работы от организации.",
                    )
                continue
            decided = _decide(application, members, outcome, dt.datetime(2024, 8, 14, 15, 0, tzinfo=ALMATY))
            if outcome == "withdrawn" and decided.status == Application.Status.ADMITTED:
                services.application_withdraw(
                    application=decided,
                    actor=None,
                    reason="Переезд за рубеж на учёбу.",
                    as_of=dt.datetime(2024, 8, 16, 11, 0, tzinfo=ALMATY),
                )


def _kg_structure(election: Election, users: dict[str, User]) -> dict[int, list[CommissionMember]]:
    """District 3 (Ibraimov aiyl council) with its TEC, and the members of both TECs."""
    cec = Commission.objects.filter(election=election, kind=Commission.Kind.CEC).first()
    if cec is None:
        return {}
    district = TerritorialUnit.objects.filter(election=election, kind="district", number=3).first()
    if district is None:
        district = group_services.unit_create(
            election=election,
            actor=None,
            kind="district",
            number=3,
            name_ru="Ибраимовский айылный избирательный округ",
            name_en="Ibraimov aiyl electoral district",
        )
    if not Commission.objects.filter(election=election, kind="tec", unit=district).exists():
        group_services.commission_create(
            election=election,
            actor=None,
            kind="tec",
            name_ru="Территориальная избирательная комиссия по выборам депутатов Ибраимовского айылного кенеша",
            name_en="Territorial Election Commission for the Ibraimov aiyl council",
            parent=cec,
            unit=district,
        )
    seated = {}
    for number, seats in KG_TECS.items():
        tec = Commission.objects.filter(
            election=election, kind="tec", unit__number=number, unit__kind="district"
        ).first()
        if tec is None:
            continue
        seated[number] = [
            _seat(tec, _account(email, users), position, "Жогорку Кенеш Кыргызской Республики")
            for email, position in seats
        ]
    return seated


def _kg(election: Election, users: dict[str, User]) -> None:
    members = _kg_structure(election, users)
    if not members:
        return
    _settings(
        election,
        announcement=KG_ANNOUNCEMENT,
        criteria=KG_CRITERIA_TEXT,
        duties="",
        form_title="Заявление кандидата в депутаты местного кенеша",
        form_fields=[
            "ФИО",
            "Дата рождения",
            "Место жительства",
            "Род занятий",
            "Партия / самовыдвижение",
            "Округ",
        ],
        checklist=KG_CHECKLIST,
    )
    units = {u.number: u for u in TerritorialUnit.objects.filter(election=election, kind="district")}
    # Bishkek city council: party lists (items 16, 18, 20, 21)
    for party_index, (party, (rep_email, candidates)) in enumerate(KG_PARTIES.items()):
        representative = _account(rep_email, users)
        group_services.role_assign(
            user=representative, role=Role.PARTY_REPRESENTATIVE, election=election, actor=None
        )
        party_list = PartyList.objects.filter(election=election, unit=units[1], party_name=party).first()
        if party_list is None:
            party_list = services.party_list_create(
                election=election,
                unit=units[1],
                party_name=party,
                actor=None,
                representative=representative,
                as_of=dt.datetime(2016, 11, 3, 11, 0, tzinfo=BISHKEK) + dt.timedelta(days=party_index),
            )
        for position, (email, name, birth_date, occupation, outcome) in enumerate(candidates, start=1):
            received = dt.datetime(2016, 11, 5 + party_index, 10, 0, tzinfo=BISHKEK) + dt.timedelta(
                minutes=20 * position
            )
            application = _existing(election, email)
            if application is None:
                application = services.application_submit(
                    election=election,
                    actor=None,
                    nomination="party_list",
                    party_list=party_list,
                    list_position=position,
                    full_name=name,
                    email=email,
                    birth_date=birth_date,
                    occupation=occupation,
                    region="г. Бишкек",
                    document=_signed_form(name),
                    consent=True,
                    as_of=received,
                )
            decided = _decide(application, members.get(1, []), outcome, received + dt.timedelta(days=4))
            if outcome == "withdrawn" and decided.status == Application.Status.ADMITTED:
                services.application_withdraw(
                    application=decided,
                    actor=None,
                    reason="Заявление кандидата об отказе от участия в выборах (ч.1 ст.54 Закона).",
                    as_of=dt.datetime(2016, 11, 20, 15, 0, tzinfo=BISHKEK),
                )
    # Ibraimov aiyl council: self-nomination (items 17, 19, 20, 22, 25, 26)
    for index, (email, name, birth_date, occupation, region, outcome) in enumerate(KG_AIYL):
        received = dt.datetime(2016, 11, 10 + index, 11, 0, tzinfo=BISHKEK)
        application = _existing(election, email)
        if application is None:
            application = services.application_submit(
                election=election,
                actor=None,
                nomination="self",
                unit=units[3],
                full_name=name,
                email=email,
                birth_date=birth_date,
                occupation=occupation,
                region=region,
                document=_signed_form(name),
                consent=True,
                as_of=received,
            )
        decided = _decide(
            application,
            members.get(3, []),
            "admitted" if ":" not in outcome else outcome,
            received + dt.timedelta(days=5),
        )
        if decided.status != Application.Status.ADMITTED:
            continue
        if outcome == "late_withdrawn":
            services.application_withdraw(
                application=decided,
                actor=None,
                reason="Заявление кандидата об отказе от участия в выборах.",
                as_of=dt.datetime(2016, 12, 1, 12, 0, tzinfo=BISHKEK),
            )
        elif outcome == "cancelled":
            services.registration_cancel(
                application=decided,
                actor=None,
                votes=_votes(members[3]),
                reasons="Использование преимуществ должностного положения в агитации (ст.44 Закона), "
                "подтверждено проверкой ТИК.",
                as_of=dt.datetime(2016, 12, 5, 16, 0, tzinfo=BISHKEK),
            )


def load_candidates(
    ccm_election: Election, kg_election: Election, users: dict[str, User]
) -> list[tuple[str, str, str]]:
    """Complete the candidates of both demo elections; running it again changes nothing.
    Returns the demo accounts this module manages (they use the demo password)."""
    users = dict(users)
    with translation.override("ru"):
        if ElectionCalendar.objects.filter(election=ccm_election).exists():
            _ccm(ccm_election, users)
        if ElectionCalendar.objects.filter(election=kg_election).exists():
            _kg(kg_election, users)
    return list(DEMO_ACCOUNTS)
