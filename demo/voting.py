"""Demo voting in ``ccm-kz-2024``, built through the real services. Idempotent.

Seed 000 items 16–21: the commissions decide the last applications and registrations before the
vote (so nothing is left undecided when voting opens), every one of the 6 groups gets its ballot
(member and alternate: plurality, 1 seat + 1 alternate, “against all”) with its registered
candidates, and the election goes through “open registration” and “open voting” to “close
voting” — it ends at the **counting** stage, where a group's commission can count its ballot and
sign the protocol.

The vote of 17 Aug 2024 (09:00–18:00, Asia/Almaty) is historical: online ballots are cast with the
voters' credentials through ``ballots.services.ballot_cast(now=<the historical instant>)``; one
online attempt after 18:00 is refused and counted as late. In “People living with HIV” the
counting commission also enters the assembly's paper ballots: two batches entered twice (double
entry: by the chair and by the secretary, the entries match), a ballot found invalid (with the
reason) and an e-mailed ballot received after close (late). The groups without seated
commission members get a chair (no portal login) who decides their applications.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import zoneinfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from accounts.models import Position, User
from accounts.services import user_create
from ballots import services as ballot_services
from ballots.models import Ballot, Contest, ContestOption, LateAttempt, PaperTally, Participation
from candidates import services as candidate_services
from candidates.models import Application, Criterion
from elections.models import Election
from elections.services import election_transition
from groups import services as group_services
from groups.models import Commission, CommissionMember, ElectoralGroup
from voters import services as voter_services
from voters.models import CredentialMail, VoterRegistration, VotingCredential

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
DECIDED_AT = dt.datetime(2024, 8, 14, 15, 0, tzinfo=ALMATY)
VOTING_OPENS = dt.datetime(2024, 8, 17, 9, 0, tzinfo=ALMATY)
AFTER_CLOSE = dt.datetime(2024, 8, 17, 18, 7, tzinfo=ALMATY)

#: group slug -> (chair e-mail, full name) for the commissions that had no seated member
CHAIRS = {
    "tb": ("chair-tb@demo.example", "Гульжан Омарова"),
    "pwid": ("chair-pwid@demo.example", "Ринат Абенов"),
    "sw": ("chair-sw@demo.example", "Лаура Кенесова"),
    "msm": ("chair-msm@demo.example", "Ильяс Жумагалиев"),
    "ngo": ("chair-ngo@demo.example", "Сауле Бейсенова"),
}

#: decisions on the applications left undecided by demo.candidates (e-mail -> outcome)
DECISIONS = {
    "e.kenzhebayev@example.org": "admitted",
    "g.tleubayeva@example.org": "refused:Не подтверждено проживание в Казахстане не менее двух лет "
    "и опыт работы в сообществе (критерий 2).",
    "m.akhmedov@example.org": "admitted",
    "i.sadykova@example.org": "admitted",
    "a.kim@example.org": "admitted",
}

#: group slug -> new candidates (e-mail, full name, organisation, region, programme)
NEW_CANDIDATES = {
    "pwid": [
        ("o.belova@example.org", "Ольга Белова", "ОФ «Гаухар»", "Карагандинская область",
         "Сохранить программы снижения вреда после ухода донора и вовлечь сообщество в их оценку."),
    ],
    "sw": [
        ("a.tulegenova@example.org", "Алия Тулегенова", "ОФ «Амелия»", "г. Алматы",
         "Защищать секс-работников от насилия и добиваться доступа к услугам без стигмы."),
        ("n.serikova@example.org", "Назира Серикова", "ОФ «Таліс»", "г. Астана",
         "Развивать равное консультирование и юридическую помощь сообществу."),
    ],
    "msm": [
        ("d.akhmetov@example.org", "Дамир Ахметов", "ОФ «Равные возможности»", "г. Алматы",
         "Расширить доступ к доконтактной профилактике (PrEP) во всех регионах."),
        ("r.nurlanov@example.org", "Руслан Нурланов", "ОФ «Кемел»", "Павлодарская область",
         "Продвигать дружественные услуги тестирования и защищать права ЛГБТ-сообщества."),
    ],
    "ngo": [
        ("z.mukhtarova@example.org", "Зарина Мухтарова", "ОФ «Доверие плюс»", "г. Алматы",
         "Обеспечить устойчивое финансирование сервисных НПО после перехода на госзаказ."),
        ("b.seitkali@example.org", "Берик Сейткали", "ОФ «Шапагат»", "Карагандинская область",
         "Добиваться прозрачного социального заказа и участия НПО в мониторинге программ."),
    ],
}  # fmt: skip

#: more voters of “People living with HIV” registered on paper at the meeting (name, region)
PLHIV_VOTERS = [
    ("Асем Байжанова", "almaty-city"), ("Тимур Ахметов", "almaty"), ("Наталья Ли", "karaganda"),
    ("Ержан Сулейменов", "shymkent"), ("Карина Ким", "east-kz"), ("Айгерим Токтарова", "astana"),
    ("Владимир Цой", "pavlodar"), ("Бахыт Ибраев", "zhambyl"),
]  # fmt: skip

#: online votes: group -> list of (voter e-mail, candidate name or "against_all" or "" for blank)
ONLINE = {
    "plhiv": [
        ("voter@demo.example", "Динара Оспанова"),
        ("g.sarsenova@example.org", "Айжан Мусина"),
        ("a.popov@example.org", "Динара Оспанова"),
        ("zh.muratova@example.org", "Динара Оспанова"),
        ("m.alieva@example.org", "Ержан Кенжебаев"),
        ("plhiv-1@voters.example.org", "Айжан Мусина"),
        ("plhiv-2@voters.example.org", "Динара Оспанова"),
        ("plhiv-3@voters.example.org", "against_all"),
        ("plhiv-4@voters.example.org", "Айжан Мусина"),
        ("plhiv-5@voters.example.org", "Динара Оспанова"),
    ],
    "tb": [("b.omarov@example.org", "Индира Садыкова"), ("s.li@example.org", "Марат Ахмедов")],
    "pwid": [("i.tkachenko@example.org", "Андрей Ким")],
    "sw": [("a.bekova@example.org", "Алия Тулегенова")],
    "msm": [("d.iskakov@example.org", "Дамир Ахметов")],
    "ngo": [
        ("office@doverie.example.org", "Зарина Мухтарова"),
        ("info@shapagat.example.org", "Берик Сейткали"),
        ("office@harm.example.org", "Зарина Мухтарова"),
    ],
}
#: voters of “People living with HIV” who voted on paper at the meeting (their ballots are in the batches)
ASSEMBLY = ["plhiv-6@voters.example.org", "plhiv-7@voters.example.org", "plhiv-8@voters.example.org"]
#: paper batches (entered twice): name -> (votes by candidate name, blank, invalid, invalid reasons)
BATCHES = {
    "Урна собрания № 1": ({"Динара Оспанова": 1, "Айжан Мусина": 1}, 0, 0, ""),
    "Урна собрания № 2": ({}, 0, 1, "Отмечены два кандидата при одном разрешённом."),
}
LATE_VOTER = "plhiv-4@voters.example.org"  # tried again after close: refused, counted as late


def _pdf(name: str) -> SimpleUploadedFile:
    body = f"Заявка кандидата: {name}".encode()
    content = b"%PDF-1.4\n% demo scan\n1 0 obj<<>>endobj\n% " + body + b"\ntrailer<<>>\n%%EOF\n"
    return SimpleUploadedFile("scan.pdf", content, content_type="application/pdf")


#: (email, full name, what the account is) of the demo logins ``load_voting`` creates
DEMO_ACCOUNTS: list[tuple[str, str, str]] = [
    (email, name, f"Председатель мандатной комиссии ({slug.upper()}) / commission chair")
    for slug, (email, name) in CHAIRS.items()
]


def _chairs(election: Election, groups: dict[str, ElectoralGroup]) -> None:
    from demo.loader import DEMO_PASSWORD

    for slug, (email, full_name) in CHAIRS.items():
        if not User.objects.filter(email=email).exists():
            user_create(email=email, full_name=full_name, password=DEMO_PASSWORD, actor=None)
        commission = Commission.objects.filter(election=election, group=groups[slug], kind="mandate").first()
        if commission is None:
            continue
        member = CommissionMember.objects.filter(commission=commission, is_active=True).first()
        if member is None:
            member = group_services.member_invite(
                commission=commission,
                actor=None,
                email=email,
                full_name=full_name,
                position=Position.CHAIR,
                nominated_by="Собрание избирательной группы",
            )
        if member.coi_declared_at is None:
            group_services.member_declare_coi(member=member, actor=None)


def _members(application: Application) -> list[CommissionMember]:
    return list(
        CommissionMember.objects.filter(
            commission_id=application.commission_id, is_active=True, coi_declared_at__isnull=False
        ).order_by("position", "pk")
    )


def _decide(application: Application, outcome: str) -> None:
    if not application.is_undecided:
        return
    members = _members(application)
    refused = outcome.startswith("refused:")
    criteria = list(Criterion.objects.filter(election=application.election))
    for member in members:
        if not application.reviews.filter(member=member).exists():
            candidate_services.review_record(
                application=application,
                actor=None,
                member=member,
                checks={c.pk: (not (refused and i == 1), "") for i, c in enumerate(criteria)},
                recommendation="refuse" if refused else "admit",
                comment="",
            )
    candidate_services.application_decide(
        application=application,
        actor=None,
        decision="refuse" if refused else "admit",
        votes={m.pk: "for" for m in members},
        reasons=outcome.split(":", 1)[1] if refused else "",
        create_account=False,
        as_of=DECIDED_AT,
    )


def _candidates(election: Election, groups: dict[str, ElectoralGroup]) -> None:
    for index, (slug, rows) in enumerate(NEW_CANDIDATES.items()):
        for offset, (email, name, organisation, region, programme) in enumerate(rows):
            if Application.objects.filter(election=election, email=email).exists():
                continue
            application = candidate_services.application_submit(
                election=election,
                actor=None,
                nomination="self",
                group=groups[slug],
                full_name=name,
                email=email,
                organisation=organisation,
                region=region,
                programme=programme,
                document=_pdf(name),
                consent=True,
                as_of=dt.datetime(2024, 8, 13, 10, 0, tzinfo=ALMATY) + dt.timedelta(hours=2 * index + offset),
            )
            _decide(application, "admitted")
    for email, outcome in DECISIONS.items():
        application = Application.objects.filter(election=election, email=email).first()
        if application is not None:
            _decide(application, outcome)


def _voters(election: Election, groups: dict[str, ElectoralGroup]) -> None:
    plhiv = groups["plhiv"]
    for number, (name, region) in enumerate(PLHIV_VOTERS, start=1):
        email = f"plhiv-{number}@voters.example.org"
        if VoterRegistration.objects.filter(group=plhiv, email=email).exists():
            continue
        voter_services.registration_submit(
            election=election,
            group=plhiv,
            actor=None,
            kind="person",
            consent=True,
            system_import=True,
            name=name,
            email=email,
            region=region,
        )
    for registration in VoterRegistration.objects.filter(
        election=election, status=VoterRegistration.Status.CONFIRMED
    ).select_related("group"):
        chair = (
            CommissionMember.objects.filter(
                commission__group=registration.group, position=Position.CHAIR, coi_declared_at__isnull=False
            )
            .select_related("user")
            .first()
        )
        voter_services.registration_decide(
            registration=registration,
            actor=chair.user if chair else None,
            decision="accept",
            create_account=False,
        )


def _contests(election: Election, groups: dict[str, ElectoralGroup]) -> None:
    for group in groups.values():
        if Contest.objects.filter(election=election, group=group).exists():
            continue
        contest = ballot_services.contest_save(
            election=election,
            actor=None,
            group=group,
            title_ru=f"Член СКК и альтернат — {group.name_ru}",
            title_en=f"CCM member and alternate — {group.name_en}",
            title_kk=f"ЕҮК мүшесі және балама мүше — {group.name_kk}",
            method="plurality",
            seats=1,
            alternates=1,
            max_choices=1,
            has_against_all=True,
        )
        ballot_services.contest_sync_options(contest=contest, actor=None)


def _code(contest: Contest, name: str) -> str:
    if name == "against_all":
        kind = ContestOption.Kind.AGAINST_ALL
        return contest.options.get(kind=kind).code
    return contest.options.get(label_ru=name).code


def _credential(election: Election, email: str) -> VotingCredential | None:
    return VotingCredential.objects.filter(election=election, registration__email=email).first()


def _vote(election: Election, groups: dict[str, ElectoralGroup]) -> None:
    if not VotingCredential.objects.filter(election=election).exists():
        voter_services.credentials_issue(election=election, actor=None)
        # the invitations leave before anybody votes, as they would (the queued task finds them sent)
        voter_services.credential_mails_send(
            credential_ids=list(
                VotingCredential.objects.filter(election=election, sent_at__isnull=True).values_list(
                    "pk", flat=True
                )
            ),
            kind=CredentialMail.Kind.INVITATION,
            round_=0,
        )
    for slug, votes in ONLINE.items():
        contest = Contest.objects.get(election=election, group=groups[slug])
        for minute, (email, choice) in enumerate(votes):
            credential = _credential(election, email)
            if credential is None or credential.used_at is not None:
                continue
            ballot_services.ballot_cast(
                credential=credential,
                choices=[_code(contest, choice)] if choice else [],
                now=VOTING_OPENS + dt.timedelta(minutes=23 + 17 * minute),
            )
    plhiv = Contest.objects.get(election=election, group=groups["plhiv"])
    chair = User.objects.get(email="commission@demo.example")
    secretary = User.objects.filter(email="commission-secretary@demo.example").first() or chair
    for email in ASSEMBLY:
        registration = VoterRegistration.objects.filter(group=groups["plhiv"], email=email).first()
        if (
            registration is None
            or Participation.objects.filter(
                election=election, elector=f"registration:{registration.pk}"
            ).exists()
        ):
            continue
        ballot_services.participation_record_offline(
            contest=plhiv, voter=registration, channel="assembly", actor=chair
        )
    for batch, (votes, blank, invalid, reasons) in BATCHES.items():
        for member in (chair, secretary):
            if PaperTally.objects.filter(contest=plhiv, batch=batch, entered_by=member).exists():
                continue
            ballot_services.paper_tally_enter(
                contest=plhiv,
                actor=member,
                batch=batch,
                counts={_code(plhiv, name): n for name, n in votes.items()},
                blank=blank,
                invalid=invalid,
                invalid_reasons=reasons,
                channel="assembly",
            )
    if not Ballot.objects.filter(contest=plhiv, status=Ballot.Status.LATE).exists():
        ballot_services.paper_ballot_enter(
            contest=plhiv,
            actor=chair,
            choices=[_code(plhiv, "Айжан Мусина")],
            status=Ballot.Status.LATE,
            channel="email",
        )


def _late_attempt(election: Election, groups: dict[str, ElectoralGroup]) -> None:
    """A voter of “People living with HIV” opens the ballot again at 18:07: refused, counted as late."""
    plhiv = Contest.objects.get(election=election, group=groups["plhiv"])
    credential = _credential(election, LATE_VOTER)
    if credential is None or LateAttempt.objects.filter(contest=plhiv).exists():
        return
    with contextlib.suppress(ballot_services.VotingRefused):  # what the voter sees; the attempt stays
        ballot_services.ballot_cast(credential=credential, choices=[], now=AFTER_CLOSE)


def load_voting(ccm_election: Election) -> list[tuple[str, str, str]]:
    """Bring ``ccm-kz-2024`` to the counting stage with its ballots cast; running it again
    changes nothing. Returns the demo logins it creates (they use the demo password)."""
    election = Election.objects.get(pk=ccm_election.pk)
    S = Election.State
    groups = {g.slug: g for g in ElectoralGroup.objects.filter(election=election)}
    if election.state not in (S.ANNOUNCED, S.REGISTRATION, S.VOTING) or set(groups) != set(CHAIRS) | {
        "plhiv"
    }:
        return list(DEMO_ACCOUNTS)
    with translation.override("ru"):
        if election.state == S.ANNOUNCED:
            election = election_transition(election=election, transition="open_registration", actor=None)
        if election.state == S.REGISTRATION:
            _chairs(election, groups)
            _candidates(election, groups)
            _voters(election, groups)
            ballot_services.voting_settings_save(
                election=election, actor=None, double_entry=True, reminder_times=[]
            )
            _contests(election, groups)
            election = election_transition(election=election, transition="open_voting", actor=None)
        _vote(election, groups)
        _late_attempt(election, groups)
        election_transition(election=election, transition="close_voting", actor=None)
    return list(DEMO_ACCOUNTS)
