from pathlib import Path

import pytest
from freezegun import freeze_time

import elections
from accounts.models import Position, Role
from candidates import services as cs
from elections.models import PlanTemplate
from elections.services import election_transition
from elections.services.calendar import calendar_start, plan_template_save
from tests.factories import user_with_role
from tests.groups.factories import MemberFactory, kg_hierarchy

from .factories import CCM_VOTING_DAY, INSIDE


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    """Uploaded documents of a test go to its own temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    settings.SITE_URL = "https://portal.example.org"


def _ccm_template() -> PlanTemplate:
    """Only the ccm-ngo-2024 template (parsing both shipped YAML files costs half a second)."""
    path = Path(elections.__file__).parent / "calendar_templates" / "ccm-ngo-2024.yaml"
    return plan_template_save(yaml_text=path.read_text(encoding="utf-8"), actor=None, is_builtin=True)


@pytest.fixture
def clock():
    """The server clock inside the application window (12 Aug 2030, 10:00 Almaty)."""
    with freeze_time(INSIDE) as frozen:
        yield frozen


@pytest.fixture
def cand(structure, clock):
    """``structure`` announced with the ccm-ngo-2024 calendar for 17 Aug 2030; commission A with
    three members (two declared, the third not), commission B with one declared member; a
    district with its TEC (one declared member) for party lists; a party's representative; a
    checklist of two criteria; party lists allowed."""
    users = dict(structure["users"])
    election = election_transition(election=structure["election"], transition="announce", actor=None)
    _ccm_template()
    calendar_start(
        election=election,
        template=PlanTemplate.objects.get(slug="ccm-ngo-2024"),
        anchors={"voting_day": CCM_VOTING_DAY},
        actor=None,
    )
    commission_a, commission_b = structure["commission_a"], structure["commission_b"]
    members_a = [
        MemberFactory(
            commission=commission_a, email=users["commission_a"].email, position=Position.CHAIR, declared=True
        ),
        MemberFactory(
            commission=commission_a, email="second-a@example.org", position=Position.SECRETARY, declared=True
        ),
    ]
    undeclared_a = MemberFactory(
        commission=commission_a, email="third-a@example.org", position=Position.MEMBER
    )
    member_b = MemberFactory(
        commission=commission_b, email="member-b@example.org", position=Position.CHAIR, declared=True
    )
    users["member_b"] = member_b.user
    hierarchy = kg_hierarchy(election)
    tec_member = MemberFactory(
        commission=hierarchy["tec"], email="tec@example.org", position=Position.CHAIR, declared=True
    )
    users["party_rep"] = user_with_role(
        Role.PARTY_REPRESENTATIVE, election=election, email="party@example.org"
    )
    cs.candidacy_settings_update(election=election, actor=None, allow_party_list=True)
    criteria = [
        cs.criterion_add(election=election, actor=None, text_ru="Представляет сообщество группы"),
        cs.criterion_add(election=election, actor=None, text_ru="Опыт работы в сообществе не менее двух лет"),
    ]
    return dict(
        structure,
        election=election,
        users=users,
        members_a=members_a,
        voters_a=members_a,  # the declared members who vote
        undeclared_a=undeclared_a,
        member_b=member_b,
        tec=hierarchy["tec"],
        district=hierarchy["district"],
        tec_member=tec_member,
        criteria=criteria,
    )


@pytest.fixture
def english():
    """For tests that match a service's message: English (the msgid), whatever the catalogue."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("ru")
