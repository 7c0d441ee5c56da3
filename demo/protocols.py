"""Demo protocols of both seed elections, built through the real services. Idempotent.

``ccm-kz-2024`` (seed 000 item 21): the mandate/counting commission of “People living with HIV”
(chaired by ``commission@demo.example``; its four members declared no conflict of interest)
starts the group protocol from the count (``protocol_create`` pre-fills it from the ballots and
registrations), writes the description of the process, the observers' participation and the
decision naming the CCM member and the alternate as the counting engine determined them, decides
an observer's complaint (attached to the protocol) and every present member signs with the
password: the protocol is frozen and its signed PDFs are rendered (Celery, after the commit).
The other five groups stay at counting without a protocol; the election stays at counting.

``kg-local-2016`` (seed 003 items 13, 39–57): the PEC of precinct 1001 decides the pending Form 3
request (rejected, with the reason the requester reads), the final list is frozen, the two
councils get their ballots (approved, printed and handed down by acts: ``demo.polling``) — the Bishkek city council (district 1: party lists, D'Hondt, 5
seats, 7 % threshold of those who took part, “against all”) and the Ibraimov aiyl council
(district 3: self-nominated candidates, 1 seat by plurality, “against all”) — and the election
goes through the vote of 11 December 2016 (each precinct's day recorded: ``demo.polling``) to
counting. Then every PEC (chair and secretary)
enters and signs its precinct protocol (paper count; the figures pass the control checks); the
automated count's preliminary figures of five precincts stay apart and differ slightly from the
protocols; the TEC accepts every protocol but one, which it returns for correction (precinct
1003: two lists' votes swapped when copied from the enlarged form) — the PEC signs version 2
and the TEC accepts it; both TECs build and sign their summary tables and the CEC (chair and
member) determines and signs each council's result (seats by the counting engine). The
election stays at counting, where the CEC would certify.

Signatures and transmissions carry the time the demo is loaded: the services stamp them with the
server clock (only the vote itself is historical).
"""

from __future__ import annotations

from django.utils import translation

from accounts.models import Position, User
from accounts.services import user_create
from ballots import services as ballot_services
from ballots.models import Contest, ContestOption
from candidates.models import Application
from demo.polling import load_ballot_papers, load_voting_day
from elections.models import Election
from elections.services import election_transition
from groups import services as group_services
from groups.models import Commission, CommissionMember, ElectoralGroup, TerritorialUnit
from protocols.models import Complaint, HandoverAct, PreliminaryResult, Protocol
from protocols.services import acts, aggregation, preliminary
from protocols.services import protocol as protocol_services
from voters import services as voter_services
from voters.models import CorrectionRequest
from voters.selectors import voter_settings

P = Protocol.Status

#: (email, full name, what the account is) of the demo logins ``load_protocols`` creates
DEMO_ACCOUNTS: list[tuple[str, str, str]] = [
    ("cec-chair@demo.example", "Алмаз Бообеков", "Председатель ЦИК / CEC chair (kg-local-2016)"),
    ("pec-1001-chair@demo.example", "Гульнара Осмонова", "Председатель УИК № 1001 / PEC chair"),
    ("pec-1002@demo.example", "Эрмек Жумабеков", "Председатель УИК № 1002 / PEC chair"),
    ("pec-1002-2@demo.example", "Чолпон Исакова", "Секретарь УИК № 1002 / PEC secretary"),
    ("pec-1003@demo.example", "Азамат Садыков", "Председатель УИК № 1003 / PEC chair"),
    ("pec-1003-2@demo.example", "Бермет Эсенова", "Секретарь УИК № 1003 / PEC secretary"),
    ("pec-1004@demo.example", "Канат Турдубаев", "Председатель УИК № 1004 / PEC chair"),
    ("pec-1004-2@demo.example", "Нургуль Кадырова", "Секретарь УИК № 1004 / PEC secretary"),
    ("pec-1005@demo.example", "Улан Мамытов", "Председатель УИК № 1005 / PEC chair"),
    ("pec-1005-2@demo.example", "Мээрим Орозбекова", "Секретарь УИК № 1005 / PEC secretary"),
    ("pec-1006@demo.example", "Талант Шаршеев", "Председатель УИК № 1006 / PEC chair"),
    ("pec-1006-2@demo.example", "Жылдыз Маматова", "Секретарь УИК № 1006 / PEC secretary"),
]

#: commission -> seats: (email, position); PEC 1001's secretary is ``pec-1001@demo.example``
PEC_SEATS = {
    1001: [("pec-1001-chair@demo.example", Position.CHAIR)],
    **{
        n: [(f"pec-{n}@demo.example", Position.CHAIR), (f"pec-{n}-2@demo.example", Position.SECRETARY)]
        for n in (1002, 1003, 1004, 1005, 1006)
    },
}

# --- ccm-kz-2024 ----------------------------------------------------------------------------

CCM_PROCESS = (
    "Выборы члена СКК и альтерната от группы «Люди, живущие с ВИЧ» прошли 17 августа 2024 года с 9:00 "
    "до 18:00 (время Алматы). Избиратели группы голосовали онлайн по личным ссылкам, выданным после "
    "регистрации, и на собрании группы в Алматы бумажными бюллетенями. Бюллетени собрания из двух урн "
    "подсчитаны и внесены в портал дважды — председателем и секретарём комиссии; оба ввода совпали. "
    "Один бумажный бюллетень признан недействительным: отмечены два кандидата при одном разрешённом. "
    "Бюллетень, присланный по электронной почте после 18:00, и одна попытка проголосовать онлайн "
    "после закрытия не учтены как поступившие с опозданием. Итоги определены порталом по правилу "
    "группы: член СКК — кандидат с наибольшим числом голосов, альтернат — со вторым результатом."
)
CCM_OBSERVERS = (
    "На собрании и при подсчёте бюллетеней присутствовал независимый наблюдатель Руслан Ахметов "
    "(аккредитован для группы). Подсчёт онлайн-голосов наблюдала представитель партнёров Мария "
    "Иванова (Представительство ЮНЭЙДС). Наблюдатель подал одну жалобу; решение комиссии по ней "
    "приложено к протоколу."
)
CCM_COMPLAINT = (
    "Перед подсчётом мне не дали осмотреть пломбу урны собрания № 2. Прошу проверить, не вскрывалась "
    "ли урна до начала подсчёта."
)
CCM_COMPLAINT_DECISION = (
    "Комиссия повторно предъявила урну № 2 наблюдателю в присутствии всех членов комиссии до её "
    "вскрытия; пломба не нарушена, номер пломбы совпадает с актом опечатывания. Нарушений не "
    "установлено, жалоба отклонена. Решение принято единогласно."
)

# --- kg-local-2016 --------------------------------------------------------------------------

CITY = "city"
AIYL = "aiyl"
#: the options of each council's ballot, by label (“against all” is ``AGAINST``)
AGAINST = "against_all"
CITY_OPTIONS = ["Новый горизонт", "Зелёная долина", "Союз мастеров", AGAINST]
AIYL_OPTIONS = ["Асель Шериева", "Жолдошбек Маматов", "Кубан Джунусов", "Руслан Осмоналиев", AGAINST]

#: precinct -> (issued in the station, issued outside, invalid, votes in the order of the options);
#: received = voters on the list, found in the boxes = issued, valid = the sum of the votes
PRECINCTS = {
    1001: (31, 1, 1, [14, 9, 5, 3]),
    1002: (27, 0, 0, [10, 11, 4, 2]),
    1003: (34, 2, 2, [13, 12, 6, 3]),
    1004: (29, 2, 1, [11, 14, 1, 1, 3]),
    1005: (35, 3, 2, [17, 15, 0, 2, 2]),
    1006: (26, 1, 0, [12, 10, 2, 0, 3]),
}
#: the precinct whose protocol the TEC returns, what version 1 got wrong and the TEC's note
RETURNED = 1003
RETURNED_V1_VOTES = [13, 6, 12, 3]  # “Зелёная долина” and “Союз мастеров” swapped
RETURNED_NOTE = (
    "Голоса за списки «Зелёная долина» (12) и «Союз мастеров» (6) перепутаны при переносе из "
    "увеличенной формы протокола; данные автоматического подсчёта совпадают с увеличенной формой."
)
RETURNED_REASON = "Исправлены строки голосов за списки «Зелёная долина» и «Союз мастеров» по решению ТИК."
#: preliminary figures of the automated count (ballot scanners) — slightly off the final ones
PRELIMINARY = {
    1001: (2, [14, 8, 5, 3]),  # a ballot the scanner rejected was found valid at the manual count
    1002: (1, [10, 10, 4, 2]),
    1003: (2, [13, 12, 6, 3]),
    1004: (2, [11, 13, 1, 1, 3]),
    1005: (2, [17, 15, 0, 2, 2]),
}


def _user(email: str, full_name: str) -> User:
    from demo.loader import DEMO_PASSWORD

    user = User.objects.filter(email=email).first()
    if user is None:
        user = user_create(email=email, full_name=full_name, password=DEMO_PASSWORD, actor=None)
    return user


def _seat(commission: Commission, email: str, full_name: str, position: str, nominated_by: str) -> None:
    user = _user(email, full_name)
    member = CommissionMember.objects.filter(commission=commission, user=user, is_active=True).first()
    if member is None:
        member = group_services.member_invite(
            commission=commission, actor=None, email=email, position=position, nominated_by=nominated_by
        )
    if member.coi_declared_at is None:
        group_services.member_declare_coi(member=member, actor=None)


def _names() -> dict[str, str]:
    return {email: name for email, name, _label in DEMO_ACCOUNTS}


def _sign_all(protocol: Protocol) -> Protocol:
    """Every present member who has not signed yet signs with the demo password."""
    from demo.loader import DEMO_PASSWORD

    signed = set(protocol.signatures.values_list("member_id", flat=True))
    for member in protocol.present_members.select_related("user").order_by("position", "pk"):
        if member.pk not in signed:
            protocol_services.protocol_sign(protocol=protocol, actor=member.user, password=DEMO_PASSWORD)
    return Protocol.objects.get(pk=protocol.pk)


def _chair(commission: Commission) -> User:
    member = (
        CommissionMember.objects.filter(commission=commission, is_active=True, coi_declared_at__isnull=False)
        .select_related("user")
        .order_by("position", "pk")
        .first()
    )
    return member.user


# --- ccm-kz-2024 ----------------------------------------------------------------------------


def _ccm_decision(outcome: dict) -> str:
    elected = outcome.get("elected") or []
    alternates = outcome.get("alternates") or []
    if not elected:
        return "Итоги голосования не определили члена СКК; комиссия назначает повторное голосование."
    text = (
        "По итогам подсчёта голосов членом СКК от группы «Люди, живущие с ВИЧ» избран кандидат "
        f"{elected[0]} (наибольшее число голосов)"
    )
    if alternates:
        text += f", альтернатом — кандидат {alternates[0]} (второй результат)"
    return text + "."


def _ccm(election: Election) -> None:
    group = ElectoralGroup.objects.filter(election=election, slug="plhiv").first()
    contest = Contest.objects.filter(election=election, group=group).first() if group else None
    commission = Commission.objects.filter(election=election, group=group, kind="mandate").first()
    if contest is None or commission is None or election.state != Election.State.COUNTING:
        return
    protocol = Protocol.objects.filter(contest=contest, level="group").exclude(status=P.SUPERSEDED).first()
    if protocol is not None and protocol.status == P.SIGNED:
        return
    chair = User.objects.get(email="commission@demo.example")
    if protocol is None:
        protocol = protocol_services.protocol_create(
            contest=contest, level="group", commission=commission, actor=chair
        )
    if not Complaint.objects.filter(commission=commission).exists():
        complaint = protocol_services.complaint_submit(
            election=election,
            commission=commission,
            complainant_kind=Complaint.Kind.OBSERVER,
            complainant_name="Руслан Ахметов",
            complainant_email="r.akhmetov@example.org",
            text=CCM_COMPLAINT,
        )
        protocol_services.complaint_decide(
            complaint=complaint,
            actor=chair,
            status=Complaint.Status.REJECTED,
            decision_text=CCM_COMPLAINT_DECISION,
        )
    if protocol.status == P.DRAFT:
        protocol = protocol_services.protocol_update(
            protocol=protocol,
            actor=chair,
            figures={**protocol.figures, "observers": 2},  # as CCM_OBSERVERS tells
            process_description=CCM_PROCESS,
            observers_note=CCM_OBSERVERS,
            decision_text=_ccm_decision(protocol.outcome),
        )
    _sign_all(protocol)


def _ccm_tie(election: Election) -> None:
    """The TB group voted 1 : 1 for its member seat: its commission starts the protocol, which
    shows the tie and waits for the commission's decision (a lot or a new vote in its session,
    recorded by the chair, chair-tb@demo.example) before it can be signed (issue 15)."""
    group = ElectoralGroup.objects.filter(election=election, slug="tb").first()
    contest = Contest.objects.filter(election=election, group=group).first() if group else None
    commission = Commission.objects.filter(election=election, group=group, kind="mandate").first()
    chair = User.objects.filter(email="chair-tb@demo.example").first()
    if None in (contest, commission, chair) or election.state != Election.State.COUNTING:
        return
    if not Protocol.objects.filter(contest=contest, level="group").exists():
        protocol_services.protocol_create(contest=contest, level="group", commission=commission, actor=chair)


# --- kg-local-2016: to the counting stage ---------------------------------------------------


def _prepare_vote(election: Election, councils: dict[str, TerritorialUnit]) -> None:
    """Before the vote: the pending Form 3 request decided, every application decided, the final
    list frozen, the councils' ballots set up."""
    pec_user = User.objects.filter(email="pec-1001@demo.example").first()
    for request in CorrectionRequest.objects.filter(
        election=election, status=CorrectionRequest.Status.SUBMITTED
    ):
        voter_services.correction_decide(
            request=request,
            actor=pec_user if request.precinct.number == 1001 else None,
            decision="reject",
            reason=(
                "Не представлен документ о перемене фамилии (свидетельство о регистрации брака); "
                "фамилия в списке совпадает с данными ГРС. Обратитесь повторно с документом."
            ),
        )
    undecided = Application.objects.filter(election=election, status__in=Application.UNDECIDED)
    if undecided.exists():  # the demo's candidates are all decided; guard against later changes
        raise RuntimeError("kg-local-2016: candidates' applications are still undecided")
    if not voter_settings(election).is_list_frozen:
        voter_services.voter_list_freeze(election=election, actor=None)
    specs = {
        CITY: {
            "title_ru": "Выборы депутатов Бишкекского городского кенеша",
            "title_en": "Election of deputies of the Bishkek city council",
            "title_ky": "Бишкек шаардык кеңешинин депутаттарын шайлоо",
            "method": "dhondt",
            "seats": 5,
            "alternates": 0,
            "max_choices": 1,
            "threshold_percent": 7,
            "threshold_base": "participants",
            "has_against_all": True,
        },
        AIYL: {
            "title_ru": "Выборы депутата Ибраимовского айылного кенеша",
            "title_en": "Election of a deputy of the Ibraimov aiyl council",
            "title_ky": "Ибраимов айылдык кеңешинин депутатын шайлоо",
            "method": "plurality",
            "seats": 1,
            "alternates": 0,
            "max_choices": 1,
            "has_against_all": True,
        },
    }
    for key, unit in councils.items():
        contest = Contest.objects.filter(election=election, unit=unit).first()
        if contest is None:
            contest = ballot_services.contest_save(election=election, actor=None, unit=unit, **specs[key])
        if not contest.is_locked:
            ballot_services.contest_sync_options(contest=contest, actor=None)
    load_ballot_papers(election)


def _to_counting(election: Election, councils: dict[str, TerritorialUnit]) -> Election:
    S = Election.State
    if election.state == S.ANNOUNCED:
        election = election_transition(election=election, transition="open_registration", actor=None)
    if election.state == S.REGISTRATION:
        _prepare_vote(election, councils)
        election = election_transition(election=election, transition="open_voting", actor=None)
    if election.state == S.VOTING:  # 11 Dec 2016, 20:00 has long passed: the guard lets it close
        election = election_transition(election=election, transition="close_voting", actor=None)
    return election


# --- kg-local-2016: protocols and aggregation -----------------------------------------------


def _codes(contest: Contest, labels: list[str]) -> list[str]:
    by_label = {}
    for option in contest.options.all():
        by_label[AGAINST if option.kind == ContestOption.Kind.AGAINST_ALL else option.label_ru] = option.code
    return [by_label[label] for label in labels]


def _figures(
    on_list: int, received: int, premises: int, outside: int, invalid: int, votes: list[int]
) -> dict[str, int]:
    in_boxes = premises + outside
    return {
        "voters_on_list": on_list,
        "ballots_received": received,
        "ballots_issued_premises": premises,
        "ballots_issued_outside": outside,
        "ballots_cancelled": received - in_boxes,
        "ballots_in_boxes": in_boxes,
        "ballots_invalid": invalid,
        "ballots_valid": sum(votes),
    }


def _precinct_protocol(
    contest: Contest, labels: list[str], unit: TerritorialUnit, pec: Commission
) -> Protocol:
    """The PEC's protocol of its precinct: version 1 (or the current one), signed."""
    current = Protocol.objects.filter(contest=contest, level="precinct", unit=unit).exclude(
        status=P.SUPERSEDED
    )
    protocol = current.first()
    if protocol is not None and protocol.status == P.SIGNED:
        return protocol
    chair = _chair(pec)
    if protocol is None:
        protocol = protocol_services.protocol_create(
            contest=contest, level="precinct", commission=pec, unit=unit, actor=chair
        )
    if protocol.status == P.DRAFT and protocol.version == 1:
        premises, outside, invalid, votes = PRECINCTS[unit.number]
        entered = RETURNED_V1_VOTES if unit.number == RETURNED else votes
        prefilled = protocol.prefilled.get("figures", {})
        on_list = int(prefilled.get("voters_on_list") or unit.voters_on_list or 0)
        received = int(prefilled.get("ballots_received") or on_list)  # from the acts of hand-over
        protocol = protocol_services.protocol_update(
            protocol=protocol,
            actor=chair,
            figures=_figures(on_list, received, premises, outside, invalid, votes),
            votes=dict(zip(_codes(contest, labels), entered, strict=True)),
            process_description=(
                "Голосование проведено с 8:00 до 20:00 11 декабря 2016 года; подсчёт голосов — вручную, "
                "в присутствии наблюдателей."
            ),
        )
    return _sign_all(protocol)


def _transmit(protocol: Protocol, receiver: User, status: str, note: str = "") -> Protocol:
    if protocol.transmission != status:
        protocol = aggregation.protocol_transmission_set(
            protocol=protocol, actor=receiver, status=status, note=note
        )
    return protocol


def _by_act(protocol: Protocol, receiver: User) -> Protocol:
    """The protocol's first copy handed over by act: signed by the chair of the commission that
    signed it, received by ``receiver`` of the higher commission (seed 003 items 51, 55)."""
    from demo.loader import DEMO_PASSWORD

    if not protocol.handover_acts.exclude(status=HandoverAct.Status.REFUSED).exists():
        act = acts.protocol_hand_over(
            protocol=protocol, actor=_chair(protocol.commission), password=DEMO_PASSWORD
        )
        acts.act_receive(act=act, actor=receiver, password=DEMO_PASSWORD)
    return Protocol.objects.get(pk=protocol.pk)


def _voter_lists(election: Election) -> None:
    """Each precinct's paper voter list handed to its PEC by the district's TEC (seed 003 item 14)."""
    from demo.loader import DEMO_PASSWORD

    for pec in Commission.objects.filter(election=election, kind="pec").select_related("unit", "parent"):
        if pec.unit is None or pec.parent is None:
            continue
        if HandoverAct.objects.filter(kind=HandoverAct.Kind.VOTER_LISTS, unit=pec.unit).exists():
            continue
        voters = pec.unit.voters_on_list or 0
        act = acts.voter_lists_hand_over(
            unit=pec.unit,
            commission=pec.parent,
            actor=_chair(pec.parent),
            password=DEMO_PASSWORD,
            books=1,
            sheets=max(1, -(-voters // 20)),
        )
        acts.act_receive(act=act, actor=_chair(pec), password=DEMO_PASSWORD)


def _precincts(contest: Contest, labels: list[str], district: TerritorialUnit, tec: Commission) -> None:
    tec_user = _chair(tec)
    for unit in TerritorialUnit.objects.filter(parent=district, kind="precinct").order_by("number"):
        pec = Commission.objects.get(election=contest.election, kind="pec", unit=unit)
        protocol = _precinct_protocol(contest, labels, unit, pec)
        if protocol.transmission == Protocol.Transmission.ACCEPTED:
            continue
        if protocol.transmission == "":
            protocol = _by_act(protocol, tec_user)
        if unit.number == RETURNED and protocol.version == 1:
            protocol = _transmit(protocol, tec_user, Protocol.Transmission.RETURNED, RETURNED_NOTE)
            corrected = protocol_services.protocol_correct(
                protocol=protocol, actor=_chair(pec), reason=RETURNED_REASON
            )
            votes = PRECINCTS[unit.number][3]
            corrected = protocol_services.protocol_update(
                protocol=corrected,
                actor=_chair(pec),
                votes=dict(zip(_codes(contest, labels), votes, strict=True)),
            )
            protocol = _sign_all(corrected)
            protocol = _by_act(protocol, tec_user)
        _transmit(protocol, tec_user, Protocol.Transmission.ACCEPTED)


def _preliminary(contest: Contest, labels: list[str], district: TerritorialUnit) -> None:
    if PreliminaryResult.objects.filter(contest=contest).exists():
        return
    for unit in TerritorialUnit.objects.filter(parent=district, kind="precinct").order_by("number"):
        if unit.number not in PRELIMINARY:
            continue
        invalid, votes = PRELIMINARY[unit.number]
        premises, outside, _invalid, _votes = PRECINCTS[unit.number]
        preliminary.preliminary_record(
            contest=contest,
            unit=unit,
            figures={
                "ballots_in_boxes": premises + outside,
                "ballots_invalid": invalid,
                "ballots_valid": sum(votes),
            },
            votes=dict(zip(_codes(contest, labels), votes, strict=True)),
            source=PreliminaryResult.Source.AUTOMATED,
            actor=None,
        )


def _summary(contest: Contest, district: TerritorialUnit, tec: Commission) -> None:
    current = Protocol.objects.filter(contest=contest, level="territorial", unit=district).exclude(
        status=P.SUPERSEDED
    )
    summary = current.first()
    if summary is None or summary.status == P.DRAFT:
        summary = aggregation.territorial_summary_build(contest=contest, district=district, actor=_chair(tec))
    summary = _sign_all(summary)
    cec = Commission.objects.get(election=contest.election, kind="cec")
    summary = _by_act(summary, _chair(cec))
    _transmit(summary, _chair(cec), Protocol.Transmission.ACCEPTED)


def _result(contest: Contest, cec: Commission) -> None:
    result = Protocol.objects.filter(contest=contest, level="central").exclude(status=P.SUPERSEDED).first()
    if result is None or result.status == P.DRAFT:
        result = aggregation.central_result_build(contest=contest, actor=_chair(cec))
    _sign_all(result)


def _kg(election: Election) -> None:
    units = {u.number: u for u in TerritorialUnit.objects.filter(election=election, kind="district")}
    if 1 not in units or 3 not in units:
        return
    councils = {CITY: units[1], AIYL: units[3]}
    cec = Commission.objects.filter(election=election, kind="cec").first()
    if cec is None:
        return
    names = _names()
    _seat(cec, "cec-chair@demo.example", names["cec-chair@demo.example"], Position.CHAIR, "Жогорку Кенеш")
    for number, seats in PEC_SEATS.items():
        pec = Commission.objects.filter(election=election, kind="pec", unit__number=number).first()
        if pec is None:
            return
        for email, position in seats:
            _seat(pec, email, names[email], position, "Местный кенеш")
    _voter_lists(election)
    election = _to_counting(election, councils)
    if election.state != Election.State.COUNTING:
        return
    load_voting_day(election, PRECINCTS)
    for key, labels in ((CITY, CITY_OPTIONS), (AIYL, AIYL_OPTIONS)):
        district = councils[key]
        contest = Contest.objects.get(election=election, unit=district)
        tec = Commission.objects.get(election=election, kind="tec", unit=district)
        _preliminary(contest, labels, district)
        _precincts(contest, labels, district, tec)
        _summary(contest, district, tec)
        _result(contest, cec)


def load_protocols(ccm_election: Election, kg_election: Election) -> list[tuple[str, str, str]]:
    """The CCM group protocol of “People living with HIV” and the whole count of
    ``kg-local-2016``; running it again changes nothing. Returns the demo logins it creates
    (they use the demo password)."""
    with translation.override("ru"):
        _ccm(Election.objects.get(pk=ccm_election.pk))
        _ccm_tie(Election.objects.get(pk=ccm_election.pk))
        _kg(Election.objects.get(pk=kg_election.pk))
    return list(DEMO_ACCOUNTS)
