"""The ballot papers and the voting day of ``kg-local-2016`` (seed 003 items 39, 41–45), built
through the real services. Idempotent.

Before the vote: each TEC approves its council's ballot text by a vote of its members on
25 November 2016 (item 39, due 26 November); the CEC sets the reserve norm (1 %, at least 5 per
precinct) and the turnout hours, calculates the print run from the frozen lists, orders it from
the printing house and records the delivery on 2 December (item 41); it hands each TEC its
precincts' ballots by act, and each TEC hands each PEC its ballots (items 42–43).

The voting day: on 10 December the PECs' mobile ballot boxes visit the voters who asked to vote
at home (item 44) — one request at precinct 1004 ends with the voter not at home; on 11 December
every PEC opens at 8:00 with the empty boxes shown to the observers, reports turnout at the CEC's
hours, logs incidents (precincts 1001 and 1004), and closes at 20:00 with the ballots issued and
the unused ones cancelled (item 45). The precinct protocols' lines 2–5 then come from these
records (``demo.protocols``).

Acts are signed at the time the demo is loaded (the services stamp the server clock); the
decisions and the day's records carry their historical dates.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

from ballots import approval
from ballots.models import Contest
from ballots.services import ballot_text_approve
from groups.models import Commission, CommissionMember, TerritorialUnit
from polling import services
from polling.models import HomeVotingRequest, MobileRun, PollingSettings, PrecinctDay, PrintRun, PrintRunRow
from protocols.ballot_stock import received_by_precinct
from protocols.models import HandoverAct
from protocols.services.acts import act_receive
from protocols.services.ballot_acts import ballots_hand_over

BISHKEK = zoneinfo.ZoneInfo("Asia/Bishkek")
TURNOUT_TIMES = ["10:00", "12:00", "14:00", "16:00", "18:00", "20:00"]
#: the share of the day's voters who had voted by each hour
TURNOUT_SHARES = [0.12, 0.3, 0.5, 0.68, 0.86, 1.0]
#: precinct -> voters at home (name, address, reason); the outside count of ``demo.protocols``
#: gives how many of them voted
HOME_VOTERS = {
    1001: [("Аманова Гулзат", "ул. Ахунбаева, 101, кв. 4", "инвалидность I группы")],
    1003: [
        ("Токтосунов Асан", "мкр. Джал, 15, кв. 32", "болезнь"),
        ("Токтосунова Зууракан", "мкр. Джал, 15, кв. 32", "уход за больным"),
    ],
    1004: [
        ("Осмонов Бекболот", "с. Ак-Бешим, ул. Ленина, 40", "преклонный возраст"),
        ("Алиева Нуржан", "с. Ак-Бешим, ул. Садовая, 7", "болезнь"),
        ("Джусупов Марат", "с. Ак-Бешим, ул. Садовая, 12", "перелом ноги"),
    ],
    1005: [
        ("Сатыбалдиева Айгуль", "с. Ибраимов, ул. Центральная, 44", "болезнь"),
        ("Сатыбалдиев Канат", "с. Ибраимов, ул. Центральная, 44", "уход за больным"),
        ("Мамбетова Салима", "с. Ибраимов, ул. Школьная, 3", "инвалидность II группы"),
    ],
    1006: [("Кадыров Эркин", "с. Кегети, ул. Манаса, 18", "болезнь")],
}
INCIDENTS = {
    1001: [
        (
            11,
            40,
            "Избиратель пытался получить бюллетень за супругу по её паспорту; в выдаче отказано, разъяснён порядок.",
        ),
        (
            15,
            5,
            "Наблюдатель партии «Зелёная долина» попросил показать пломбы ящиков; пломбы предъявлены, нарушений нет.",
        ),
    ],
    1004: [(13, 20, "Перебой электричества на 15 минут; голосование продолжалось при дневном свете.")],
}
WITNESSES = "Наблюдатели: Johan Lindqvist (ОБСЕ/БДИПЧ), представитель Миссии наблюдателей от СНГ."


def _at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2016, 12, day, hour, minute, tzinfo=BISHKEK)


def _members(commission: Commission) -> list[CommissionMember]:
    return list(
        CommissionMember.objects.filter(commission=commission, is_active=True, coi_declared_at__isnull=False)
        .select_related("user")
        .order_by("position", "pk")
    )


def _approve(election) -> None:
    """Each TEC approves its council's ballot text on 25 November 2016 (item 39)."""
    for contest in Contest.objects.filter(election=election, unit__isnull=False).order_by("pk"):
        if approval.current_text(contest) is not None or contest.is_locked:
            continue
        tec = approval.approving_commission(contest)
        members = _members(tec)
        ballot_text_approve(
            contest=contest,
            actor=members[0].user,
            votes={m.pk: "for" for m in members},
            reasons="Текст соответствует решениям о регистрации кандидатов (списков кандидатов).",
            decided_at=dt.datetime(2016, 11, 25, 11, 0, tzinfo=BISHKEK),
        )


def _print_run(election, cec: Commission) -> PrintRun:
    """The norms, then the run calculated, ordered and delivered on 2 December (item 41)."""
    chair = _members(cec)[0].user
    run = PrintRun.objects.filter(election=election).exclude(status=PrintRun.Status.SUPERSEDED).first()
    if run is not None and run.status == PrintRun.Status.PRODUCED:
        return run
    if not PollingSettings.objects.filter(election=election).exists():
        services.polling_settings_save(
            election=election,
            actor=chair,
            reserve_percent=Decimal("1.0"),
            reserve_minimum=5,
            numbered=False,
            turnout_times=TURNOUT_TIMES,
        )
    if run is None:
        run = services.print_run_calculate(election=election, actor=chair)
    if run.status == PrintRun.Status.DRAFT:
        run = services.print_run_order(run=run, actor=chair, printing_house="ОАО «Учкун», г. Бишкек")
    return services.print_run_produced(run=run, actor=chair, produced_at=_at(2, 15))


def _acts(election, cec: Commission, run: PrintRun) -> None:
    """CEC → each TEC, then each TEC → each of its PECs, the print run's numbers (items 42–43)."""
    from demo.loader import DEMO_PASSWORD

    rows = list(PrintRunRow.objects.filter(run=run).select_related("contest", "unit", "unit__parent"))
    standing = HandoverAct.objects.filter(election=election, kind=HandoverAct.Kind.BALLOTS).exclude(
        status=HandoverAct.Status.REFUSED
    )
    for tec in Commission.objects.filter(election=election, kind=Commission.Kind.TEC).order_by(
        "unit__number"
    ):
        mine = [r for r in rows if r.unit.parent_id == tec.unit_id]
        if mine and not standing.filter(to_commission=tec).exists():
            act = ballots_hand_over(
                from_commission=cec,
                to_commission=tec,
                actor=_members(cec)[0].user,
                password=DEMO_PASSWORD,
                rows=[{"contest": r.contest, "unit": r.unit, "count": r.total} for r in mine],
            )
            act_receive(act=act, actor=_members(tec)[0].user, password=DEMO_PASSWORD)
        for pec in Commission.objects.filter(parent=tec, kind=Commission.Kind.PEC).order_by("unit__number"):
            own = [r for r in mine if r.unit_id == pec.unit_id]
            if own and not standing.filter(to_commission=pec).exists():
                act = ballots_hand_over(
                    from_commission=tec,
                    to_commission=pec,
                    actor=_members(tec)[0].user,
                    password=DEMO_PASSWORD,
                    rows=[{"contest": r.contest, "unit": r.unit, "count": r.total} for r in own],
                )
                act_receive(act=act, actor=_members(pec)[0].user, password=DEMO_PASSWORD)


def load_ballot_papers(election) -> None:
    """Before voting opens: approval, print run, acts."""
    cec = Commission.objects.filter(election=election, kind=Commission.Kind.CEC).first()
    if cec is None or not _members(cec):
        return
    _approve(election)
    run = _print_run(election, cec)
    _acts(election, cec, run)


def _received(election, unit, contest) -> int:
    return received_by_precinct(election, unit, contest) or 0


def load_voting_day(election, precincts: dict[int, tuple[int, int, int, list[int]]]) -> None:
    """The eve and the day of every precinct; ``precincts``: number -> (issued in the premises,
    issued outside, invalid, votes) as the protocols will have them."""
    for unit in TerritorialUnit.objects.filter(
        election=election, kind=TerritorialUnit.Kind.PRECINCT
    ).order_by("number"):
        if unit.number not in precincts or PrecinctDay.objects.filter(election=election, unit=unit).exists():
            continue
        pec = Commission.objects.get(election=election, kind=Commission.Kind.PEC, unit=unit)
        members = _members(pec)
        user = members[0].user
        premises, outside, _invalid, _votes = precincts[unit.number]
        contests = services.contests_at(unit)
        _home(unit, user, members, contests, outside)
        services.day_open(
            unit=unit,
            actor=user,
            opened_at=_at(11, 8),
            member_ids=[m.pk for m in members],
            boxes_shown=True,
            witnesses=WITNESSES,
        )
        voted = premises + outside
        for time, share in zip(TURNOUT_TIMES, TURNOUT_SHARES, strict=True):
            services.turnout_report(unit=unit, actor=user, time=time, voters=round(voted * share))
        for hour, minute, text in INCIDENTS.get(unit.number, []):
            services.incident_record(unit=unit, actor=user, occurred_at=_at(11, hour, minute), text=text)
        counts = {}
        for contest in contests:
            received = _received(election, unit, contest)
            counts[str(contest.pk)] = {
                "issued_premises": premises,
                "cancelled": received - premises - outside,
            }
        services.day_close(
            unit=unit,
            actor=user,
            closed_at=_at(11, 20, 5),
            counts=counts,
            note="Неиспользованные бюллетени подсчитаны и погашены в присутствии наблюдателей.",
        )


def _home(unit, user, members, contests, outside: int) -> None:
    """The requests registered on 9–10 December and the run of the mobile box on 10 December."""
    voters = HOME_VOTERS.get(unit.number, [])
    if not voters or MobileRun.objects.filter(unit=unit).exists():
        return
    requests = []
    for n, (name, address, reason) in enumerate(voters):
        requests.append(
            HomeVotingRequest.objects.filter(unit=unit, voter_name=name).first()
            or services.home_request_register(
                unit=unit,
                actor=user,
                voter_name=name,
                address=address,
                reason=reason,
                how="oral" if n % 2 else "written",
                received_at=_at(9, 16 + n),
            )
        )
    served, missed = requests[:outside], requests[outside:]
    taken = len(requests) + 1
    services.mobile_run_record(
        unit=unit,
        actor=user,
        box=f"П-{unit.number}-1",
        left_at=_at(10, 10),
        returned_at=_at(10, 13),
        member_ids=[m.pk for m in members[:2]],
        counts={
            str(c.pk): {"taken": taken, "issued": outside, "returned": taken - outside} for c in contests
        },
        request_ids=[r.pk for r in served],
    )
    for request in missed:
        services.home_request_not_voted(
            request=request,
            actor=user,
            note="Избирателя не было дома; соседи сообщили, что уехал к родственникам.",
        )
