"""Data for the browser journeys, built through the real services (the action under test is then
done in the browser). Dates are relative to today, so the portal's own clock (which the live
server uses; it cannot be frozen across threads) is inside the windows each journey needs."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

import elections
from accounts.models import Position, Role
from ballots import services as ballot_services
from candidates import services as cs
from elections.models import Election, PlanTemplate
from elections.services import election_transition
from elections.services.calendar import calendar_start, plan_template_save
from tests.factories import PASSWORD, CommissionFactory, ElectionFactory, GroupFactory, user_with_role
from tests.groups.factories import MemberFactory

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\n% signed application form\ntrailer<<>>\n%%EOF\n"

__all__ = ["PASSWORD", "candidates_on_the_ballot", "ccm_election", "today_almaty"]


def today_almaty() -> dt.date:
    return dt.datetime.now(ALMATY).date()


def _ccm_template() -> PlanTemplate:
    path = Path(elections.__file__).parent / "calendar_templates" / "ccm-ngo-2024.yaml"
    return plan_template_save(yaml_text=path.read_text(encoding="utf-8"), actor=None, is_builtin=True)


def ccm_election(*, slug: str = "journey", voting_in_days: int = 3, voting_now: bool = False) -> dict:
    """A CCM election (one group “Люди, живущие с ВИЧ”) with its ccm-ngo-2024 calendar counted
    from a voting day ``voting_in_days`` ahead — 3 days ahead puts today inside the nomination
    window — a mandate/counting commission of two declared members (the chair logs in), an
    organising-committee member, an observer, the secretariat and a two-criteria checklist.
    With ``voting_now`` the voting window is instead [now − 1 h, now + 1 h)."""
    from candidates import services as cs

    day = today_almaty() + dt.timedelta(days=voting_in_days)
    if voting_now:
        now = dt.datetime.now(ALMATY).replace(second=0, microsecond=0)
        starts, ends, day = now - dt.timedelta(hours=1), now + dt.timedelta(hours=1), now.date()
    else:
        starts = dt.datetime.combine(day, dt.time(9, 0), ALMATY)
        ends = dt.datetime.combine(day, dt.time(18, 0), ALMATY)
    election = ElectionFactory(
        slug=slug,
        title_ru="Выборы членов СКК от НПО (браузерный тест)",
        title_en="CCM NGO-sector elections (browser test)",
        voting_day=day,
        voting_starts_at=starts,
        voting_ends_at=ends,
    )
    group = GroupFactory(
        election=election, slug="plhiv", name_ru="Люди, живущие с ВИЧ", name_en="People living with HIV"
    )
    commission = CommissionFactory(
        election=election,
        group=group,
        name_ru="Мандатная/счётная комиссия — Люди, живущие с ВИЧ",
        name_en="Mandate/counting commission — People living with HIV",
    )
    users = {
        "secretariat": user_with_role(Role.SECRETARIAT, email="secretariat@example.org"),
        "orgcom": user_with_role(Role.ORG_COMMITTEE, group=group, email="orgcom@example.org"),
        "chair": user_with_role(
            Role.COMMISSION_MEMBER,
            commission=commission,
            position=Position.CHAIR,
            email="chair@example.org",
            full_name="Гульнара Абдрахманова",
        ),
        "observer": user_with_role(Role.OBSERVER, election=election, email="observer@example.org"),
    }
    members = [
        MemberFactory(
            commission=commission, email="chair@example.org", position=Position.CHAIR, declared=True
        ),
        MemberFactory(
            commission=commission,
            email="secretary@example.org",
            full_name="Арман Бекенов",
            position=Position.SECRETARY,
            declared=True,
        ),
    ]
    election = election_transition(election=election, transition="announce", actor=None)
    _ccm_template()
    calendar_start(
        election=election,
        template=PlanTemplate.objects.get(slug="ccm-ngo-2024"),
        anchors={"voting_day": day},
        actor=None,
    )
    criteria = [
        cs.criterion_add(
            election=election,
            actor=None,
            text_ru="Представляет сообщество группы",
            text_en="Represents the group's community",
        ),
        cs.criterion_add(
            election=election,
            actor=None,
            text_ru="Опыт работы в сообществе не менее двух лет",
            text_en="At least two years of community work",
        ),
    ]
    return {
        "election": Election.objects.get(pk=election.pk),
        "group": group,
        "commission": commission,
        "members": members,
        "users": users,
        "criteria": criteria,
    }


def candidates_on_the_ballot(data) -> None:
    """Two admitted candidates (entered and decided inside the historical window), the group's
    ballot with them and “against all”."""
    election, group, members = data["election"], data["group"], data["members"]
    inside = dt.datetime.combine(election.voting_day - dt.timedelta(days=3), dt.time(12, 0), ALMATY)
    for name, email in (
        ("Динара Оспанова", "d.ospanova@example.org"),
        ("Айжан Мусина", "a.musina@example.org"),
    ):
        application = cs.application_submit(
            election=election,
            actor=None,
            nomination="self",
            group=group,
            full_name=name,
            email=email,
            organisation="ОФ «Шапагат»",
            region="г. Алматы",
            programme="Представлять интересы группы в СКК.",
            document=SimpleUploadedFile("form.pdf", PDF_BYTES, content_type="application/pdf"),
            consent=True,
            as_of=inside,
        )
        cs.application_decide(
            application=application,
            actor=None,
            decision="admit",
            votes={m.pk: "for" for m in members},
            create_account=False,
            as_of=inside + dt.timedelta(hours=2),
        )
    contest = ballot_services.contest_save(
        election=election,
        actor=None,
        group=group,
        title_ru="Член СКК и альтернат — Люди, живущие с ВИЧ",
        title_en="CCM member and alternate — People living with HIV",
        method="plurality",
        seats=1,
        alternates=1,
        max_choices=1,
        has_against_all=True,
    )
    ballot_services.contest_sync_options(contest=contest, actor=None)
    return contest
