import pytest

from accounts.models import Position
from elections.services import election_transition
from groups import services

from .factories import (
    MemberFactory,
    ObserverApplicationFactory,
    PrecinctFactory,
    approved_representative,
    org_committee,
    pdf_upload,
)


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    """Uploaded documents of a test go to its own temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    settings.SITE_URL = "https://portal.example.org"


@pytest.fixture
def built(structure):
    """``structure`` (announced) plus what the structure issue adds: an organising committee with
    group A's representative (the org-committee user) approved and group B's nomination pending;
    memberships in commissions A and B; a district with a precinct; observer applications."""
    users = structure["users"]
    election = election_transition(election=structure["election"], transition="announce", actor=None)
    group_a, group_b = structure["group_a"], structure["group_b"]
    services.group_update(group=group_a, actor=None, regulations=pdf_upload())
    committee = org_committee(election)
    approved_representative(
        election, group_a, email=users["org_committee_a"].email, full_name="Представитель А"
    )
    pending = services.nomination_submit(
        election=election,
        group=group_b,
        actor=None,
        full_name="Представитель Б",
        email="rep-b@example.org",
        decision_document=pdf_upload("decision.pdf"),
    )
    member_a = MemberFactory(
        commission=structure["commission_a"], email=users["commission_a"].email, position=Position.MEMBER
    )
    member_b = MemberFactory(commission=structure["commission_b"], email="member-b@example.org")
    precinct = PrecinctFactory(election=election)
    application_a = ObserverApplicationFactory(
        election=election, group=group_a, document=pdf_upload("letter.pdf")
    )
    application_b = ObserverApplicationFactory(election=election, group=group_b)
    accredited = ObserverApplicationFactory(election=election, contact_email=users["observer"].email)
    services.observer_accredit(application=accredited, actor=None)
    accredited.refresh_from_db()
    return dict(
        structure,
        election=election,
        committee=committee,
        pending_nomination=pending,
        member_a=member_a,
        member_b=member_b,
        precinct=precinct,
        district=precinct.parent,
        application_a=application_a,
        application_b=application_b,
        accredited=accredited,
    )
