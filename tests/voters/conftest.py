import datetime as dt

import pytest
from django.core.cache import cache

from accounts.models import Position
from elections.services import election_transition
from tests.groups.factories import MemberFactory, kg_hierarchy, pdf_upload
from voters import services

from .factories import ALMATY, import_rows, open_registration, register_row, registration


@pytest.fixture(autouse=True)
def _voters_environment(settings, tmp_path):
    """Private files of a test go to its own directory; the cache (rate-limit counters, import
    progress) is the test's own, even when the suite runs in parallel against one Redis."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    settings.SITE_URL = "https://portal.example.org"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": str(tmp_path)}
    }
    yield
    cache.clear()


@pytest.fixture
def voters_guards_only(monkeypatch):
    """The step "open voting" guarded by the built-in guards and this app's only (other apps add
    their own, e.g. ballots; these tests are about the voters' rules)."""
    from elections import lifecycle
    from voters import guards

    monkeypatch.setitem(
        lifecycle._GUARDS,
        "open_voting",
        [lifecycle._has_voting_window, guards.registrations_decided, guards.voter_list_frozen],
    )


WINDOW = (dt.datetime(2030, 8, 1, 9, 0, tzinfo=ALMATY), dt.datetime(2030, 8, 10, 18, 0, tzinfo=ALMATY))


@pytest.fixture
def ccm(structure):
    """``structure`` at the registration stage with the window 1–10 Aug 2030 (Almaty), and the
    member of commission A seated with a signed declaration of no conflict of interest."""
    election = open_registration(structure["election"], opens=WINDOW[0], closes=WINDOW[1])
    member_a = MemberFactory(
        commission=structure["commission_a"],
        email=structure["users"]["commission_a"].email,
        position=Position.MEMBER,
        declared=True,
    )
    return dict(structure, election=election, member_a=member_a)


@pytest.fixture
def kg(db):
    """A local-council election with CEC → TEC → PEC 1001 (and a second precinct 1002 without a
    PEC), a declared PEC member, at the announced stage."""
    from tests.factories import ElectionFactory
    from tests.groups.factories import PrecinctFactory

    election = ElectionFactory(kind="local_council", time_zone="Asia/Bishkek")
    hierarchy = kg_hierarchy(election)
    other = PrecinctFactory(election=election, number=1002, parent=hierarchy["district"])
    pec_member = MemberFactory(commission=hierarchy["pec"], email="pec-1001@example.org", declared=True)
    election = election_transition(election=election, transition="announce", actor=None)
    return dict(hierarchy, election=election, other_precinct=other, pec_member=pec_member)


@pytest.fixture
def matrix(ccm):
    """Everything the permission matrix needs: ``ccm`` plus a precinct with its PEC (a declared
    member), registrations in groups A and B, a list entry, a Form 3 request with a document,
    an import with a report, and a credential."""
    election = ccm["election"]
    hierarchy = kg_hierarchy(election)
    pec_member = MemberFactory(commission=hierarchy["pec"], email="pec@example.org", declared=True)
    reg_a = registration(ccm["group_a"], email="a@example.org")
    reg_b = registration(ccm["group_b"], email="b@example.org")
    accepted = registration(ccm["group_a"], email="accepted@example.org", decided="accept")
    imported = import_rows(election, [register_row(i) for i in range(3)])
    bad = import_rows(election, [register_row(10, precinct=9999)], mode=None)
    entry = election.register_entries.order_by("pk").first()
    correction = services.correction_submit(
        entry=entry,
        actor=None,
        field="address",
        requested_value="г. Бишкек, ул. Ахунбаева, 1",
        document=pdf_upload("passport.pdf"),
    )
    services.credentials_issue(election=election, actor=None)
    credential = accepted.credential
    users = dict(ccm["users"], pec=pec_member.user)
    return dict(
        ccm,
        users=users,
        pec=hierarchy["pec"],
        precinct=hierarchy["precinct"],
        reg_a=reg_a,
        reg_b=reg_b,
        entry=entry,
        correction=correction,
        imported=imported,
        bad_import=bad,
        credential=credential,
    )
