"""Observers: application, accreditation by the responsible body, credential with a QR code and
public verification, refusal, revocation, public list, read-only dashboard."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Role, User
from elections.models import AuditEntry, Election
from elections.services import election_transition
from groups import services
from groups.credentials import qr_data_uri, verification_url
from groups.models import ObserverApplication, RoleAssignment
from tests.factories import ElectionFactory

from .factories import (
    PNG_BYTES,
    MemberFactory,
    ObserverApplicationFactory,
    kg_hierarchy,
    org_committee,
    pdf_upload,
)


@pytest.fixture
def ccm(structure):
    election = election_transition(election=structure["election"], transition="announce", actor=None)
    org_committee(election)
    return dict(structure, election=election)


@pytest.mark.django_db
def test_apply_accredit_and_verify_publicly(client, ccm, mailoutbox, django_capture_on_commit_callbacks):
    election = ccm["election"]
    response = client.post(
        reverse("groups:observer_apply", args=[election.slug]),
        {
            "kind": "partner",
            "applicant_type": "person",
            "name": "Мария Иванова",
            "organisation": "Представительство ЮНЭЙДС",
            "contact_email": "maria@example.org",
            "group": ccm["group_a"].pk,
            "document": pdf_upload("passport.png", PNG_BYTES),
            "consent": "on",
        },
    )
    assert response.status_code == 302
    application = ObserverApplication.objects.get(contact_email="maria@example.org")
    assert application.status == "submitted" and application.commission.kind == "org_committee"
    applied = AuditEntry.objects.get(action="groups.observer.applied")
    assert applied.actor is None and applied.role == "public"

    decider = ccm["users"]["org_committee_a"]  # the committee member of the observed group
    client.force_login(decider)
    url = reverse("groups:observer_application", args=[election.slug, application.pk])
    page = client.get(url)
    assert page.status_code == 200 and "maria@example.org" in page.content.decode()
    document = client.get(reverse("groups:observer_document", args=[election.slug, application.pk]))
    assert document["Content-Type"] == "image/png"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"decision": "accredit", "create_account": "on"}).status_code == 302
    application.refresh_from_db()
    user = User.objects.get(email="maria@example.org")
    assert (
        application.status == "accredited" and application.user == user and application.decided_by == decider
    )
    assert RoleAssignment.objects.filter(user=user, role=Role.OBSERVER, election=election).exists()
    entry = AuditEntry.objects.get(action="groups.observer.accredited")
    assert entry.actor == decider and "maria@example.org" not in str(entry.data)
    # a numbered decision of the responsible body (the organising committee), shown on the page
    decision = application.decision
    assert (decision.number, decision.body, decision.recorded_by) == (1, application.commission, decider)
    assert entry.data["number"] == 1 and entry.data["decision_id"] == decision.pk
    shown = client.get(url).content.decode()
    assert 'data-decision-number="1"' in shown and application.commission.name_ru in shown
    verify = f"https://portal.example.org/elections/{election.slug}/groups/observers/verify/{application.credential_code}/"
    assert verification_url(application) == verify
    assert len(mailoutbox) == 1 and verify in mailoutbox[0].body and "/accounts/reset/" in mailoutbox[0].body

    client.logout()
    public = client.get(verify.removeprefix("https://portal.example.org"))
    body = public.content.decode()
    assert public.status_code == 200 and 'data-status="valid"' in body
    assert "Мария Иванова" in body and "maria@example.org" not in body

    client.force_login(user)
    pdf = client.get(reverse("groups:observer_credential", args=[election.slug, application.credential_code]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    dashboard = client.get(reverse("groups:dashboard", args=[election.slug])).content.decode()
    assert 'id="own-credentials"' in dashboard


def test_qr_code_is_an_embedded_png():
    uri = qr_data_uri("https://portal.example.org/x")
    assert uri.startswith("data:image/png;base64,")


@pytest.mark.django_db
def test_revocation_invalidates_the_credential(client, ccm, mailoutbox, django_capture_on_commit_callbacks):
    election = ccm["election"]
    application = ObserverApplicationFactory(election=election, contact_email="o@example.org")
    services.observer_accredit(application=application, actor=None)
    user = User.objects.get(email="o@example.org")
    with pytest.raises(ValidationError) as exc:
        services.observer_revoke(application=application, actor=None, reason="")
    assert "reason" in exc.value.error_dict
    with django_capture_on_commit_callbacks(execute=True):
        services.observer_revoke(
            application=application, actor=ccm["users"]["secretariat"], reason="Агитация на участке"
        )
    assert not RoleAssignment.objects.filter(user=user, role=Role.OBSERVER).exists()
    body = client.get(
        reverse("groups:observer_verify", args=[election.slug, application.credential_code])
    ).content.decode()
    assert 'data-status="revoked"' in body
    assert "Агитация на участке" in mailoutbox[-1].body
    listing = client.get(reverse("groups:observer_list", args=[election.slug])).content.decode()
    assert application.name not in listing


@pytest.mark.django_db
def test_refusal_needs_a_reason_and_is_told(ccm, mailoutbox, django_capture_on_commit_callbacks):
    application = ObserverApplicationFactory(election=ccm["election"], language="en")
    with pytest.raises(ValidationError):
        services.observer_refuse(application=application, actor=None, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.observer_refuse(application=application, actor=None, reason="Conflict of interest")
    assert mailoutbox[0].subject.startswith("Your observer application")
    assert services.observer_notify(application_id=application.pk) is False  # sent once
    with pytest.raises(ValidationError):
        services.observer_accredit(application=application, actor=None)


@pytest.mark.django_db
def test_ccm_deciders_are_scoped_to_their_group(ccm):
    for_b = ObserverApplicationFactory(election=ccm["election"], group=ccm["group_b"])
    whole = ObserverApplicationFactory(election=ccm["election"])
    for key in ("org_committee_a", "commission_a", "observer", "candidate_a"):
        with pytest.raises(PermissionDenied):
            services.observer_accredit(application=for_b, actor=ccm["users"][key])
    with pytest.raises(PermissionDenied):  # the whole election: the secretariat decides
        services.observer_accredit(application=whole, actor=ccm["users"]["org_committee_a"])
    services.observer_accredit(application=whole, actor=ccm["users"]["secretariat"])


@pytest.mark.django_db
def test_kg_cec_members_accredit_international_observers(client):
    election = ElectionFactory(kind=Election.Kind.LOCAL_COUNCIL)
    h = kg_hierarchy(election)
    election = election_transition(election=election, transition="announce", actor=None)
    cec_member = MemberFactory(commission=h["cec"], email="cec@example.org").user
    pec_member = MemberFactory(commission=h["pec"], email="pec@example.org").user
    application = ObserverApplicationFactory(
        election=election, kind="international", name="Johan Lindqvist", organisation="ОБСЕ/БДИПЧ"
    )
    assert application.commission == h["cec"]
    with pytest.raises(PermissionDenied):
        services.observer_accredit(application=application, actor=pec_member)
    client.force_login(pec_member)
    assert (
        client.get(reverse("groups:observer_applications", args=[election.slug])).context["applications"]
        == []
    )
    client.force_login(cec_member)
    listed = client.get(reverse("groups:observer_applications", args=[election.slug])).context["applications"]
    assert listed == [application]
    services.observer_accredit(application=application, actor=cec_member, create_account=False)
    application.refresh_from_db()
    assert application.status == "accredited" and application.user is None  # no account wanted
    client.logout()
    listing = client.get(reverse("groups:observer_list", args=[election.slug])).content.decode()
    assert (
        "Johan Lindqvist" in listing and "ОБСЕ/БДИПЧ" in listing and application.contact_email not in listing
    )


@pytest.mark.django_db
def test_applications_wait_for_the_responsible_body(client, structure):
    election = election_transition(election=structure["election"], transition="announce", actor=None)
    with pytest.raises(ValidationError):
        ObserverApplicationFactory(election=election)
    page = client.get(reverse("groups:observer_apply", args=[election.slug]))
    assert 'id="observer-apply-form"' not in page.content.decode()


@pytest.mark.django_db
def test_an_observer_changes_nothing_even_through_public_forms(client, ccm):
    observer = ccm["users"]["observer"]
    with pytest.raises(PermissionDenied):
        services.observer_apply(
            election=ccm["election"], actor=observer, kind="independent", name="X", contact_email="x@e.org"
        )
    with pytest.raises(PermissionDenied):
        services.nomination_submit(
            election=ccm["election"], group=ccm["group_a"], actor=observer, full_name="X", email="x@e.org"
        )
    client.force_login(observer)
    response = client.post(reverse("groups:observer_apply", args=[ccm["election"].slug]), {})
    assert response.status_code == 403
    other = ElectionFactory()
    org_committee(other)
    services.observer_apply(  # an observer of one election may still apply to observe another
        election=other, actor=observer, kind="independent", name="X", contact_email="x@e.org"
    )


@pytest.mark.django_db
def test_dashboard_shows_totals_without_personal_data(client, ccm):
    election = ccm["election"]
    MemberFactory(commission=ccm["commission_a"], email="secret-member@example.org", declared=True)
    ObserverApplicationFactory(election=election, contact_email="secret-applicant@example.org")
    client.force_login(ccm["users"]["observer"])
    response = client.get(reverse("groups:dashboard", args=[election.slug]))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-count="members">1<' in body and 'data-count="declared">1<' in body
    assert 'data-count="applications">1<' in body
    assert "secret-member@example.org" not in body and "secret-applicant@example.org" not in body


@pytest.mark.django_db
def test_later_issues_replace_dashboard_panels():
    from elections import dashboard

    saved = dict(dashboard._PANELS)
    try:
        dashboard.register_panel(
            "turnout", lambda e: dashboard.Panel("T", "elections/panels/placeholder.html")
        )
        dashboard.register_panel("turnout", lambda e: None, default=True)  # a default never replaces
        titles = [p.title for p in dashboard.panels_for(None) if p.title == "T"]
        assert titles == ["T"]
    finally:
        dashboard._PANELS.clear()
        dashboard._PANELS.update(saved)


@pytest.mark.django_db
def test_the_decision_form_offers_only_what_is_open(client, ccm):
    election = ccm["election"]
    application = ObserverApplicationFactory(election=election, contact_email="open@example.org")
    client.force_login(ccm["users"]["secretariat"])
    url = reverse("groups:observer_application", args=[election.slug, application.pk])
    form = client.get(url).context["form"]
    assert [v for v, _label in form.fields["decision"].choices] == ["accredit", "refuse"]
    services.observer_accredit(application=application, actor=None)
    form = client.get(url).context["form"]
    assert [v for v, _label in form.fields["decision"].choices] == ["revoke"]
    assert "create_account" not in form.fields
    # a second decider's stale form: refused in plain words, nothing changes, no internal value shown
    response = client.post(url, {"decision": "accredit"})
    errors = response.context["form"].errors["decision"]
    assert response.status_code == 200 and errors == [
        "Это решение уже не может быть принято: заявление рассмотрено за это время. Обновите страницу."
    ]
    application.refresh_from_db()
    assert application.status == "accredited" and application.decisions.count() == 1


@pytest.mark.django_db
def test_a_revoked_credential_shows_the_accreditation_not_the_revocation(client, ccm):
    """After a revocation the request's decision is the revocation; the credential and the public
    check still say which decision accredited the observer, and the check says when it was revoked."""
    import datetime as dt

    from django.template.loader import render_to_string
    from django.utils import translation

    from elections.models import Decision
    from groups import selectors

    election = ccm["election"]
    application = ObserverApplicationFactory(election=election, contact_email="o@example.org")
    services.observer_accredit(application=application, actor=None)
    services.observer_revoke(application=application, actor=ccm["users"]["secretariat"], reason="Агитация")
    application.refresh_from_db()
    granted = application.decisions.get(outcome=Decision.Outcome.GRANTED)
    revoked = application.decision
    assert revoked.outcome == Decision.Outcome.REVOKED and revoked.number != granted.number
    Decision.objects.filter(pk=granted.pk).update(decided_at=dt.datetime(2024, 8, 1, 6, tzinfo=dt.UTC))
    Decision.objects.filter(pk=revoked.pk).update(decided_at=dt.datetime(2024, 8, 20, 6, tzinfo=dt.UTC))
    code = application.credential_code
    with translation.override("en"):
        body = client.get(reverse("groups:observer_verify", args=[election.slug, code])).content.decode()
        card = selectors.credential_for(ccm["users"]["secretariat"], election, code)
        html = render_to_string("groups/credential.html", {"application": card, "election": election})
    assert 'id="accredited-on">1 August 2024<' in body
    assert 'id="revoked-on">20 August 2024<' in body
    assert f"№ {granted.number} of 1 August 2024" in html and f"№ {revoked.number} " not in html


@pytest.mark.django_db
def test_a_revoked_credential_says_it_is_not_valid(ccm, monkeypatch):
    """The PDF of a revoked accreditation carries its revocation in plain words, as the QR check does."""
    from django.template.loader import render_to_string

    from groups import credentials

    rendered = []

    def keep(*args, **kwargs):
        rendered.append(render_to_string(*args, **kwargs))
        return rendered[-1]

    monkeypatch.setattr(credentials, "render_to_string", keep)
    application = ObserverApplicationFactory(election=ccm["election"], contact_email="r@example.org")
    services.observer_accredit(application=application, actor=None)
    credentials.observer_credential_pdf(ObserverApplication.objects.get(pk=application.pk))
    assert 'id="revoked"' not in rendered[-1]
    services.observer_revoke(application=application, actor=None, reason="Нарушение порядка")
    pdf = credentials.observer_credential_pdf(ObserverApplication.objects.get(pk=application.pk))
    assert pdf.startswith(b"%PDF-") and 'id="revoked"' in rendered[-1] and "НЕДЕЙСТВИТЕЛЬНО" in rendered[-1]


@pytest.mark.django_db
def test_the_check_page_names_the_organisation_as_the_credential_does(client, ccm):
    application = ObserverApplicationFactory(
        election=ccm["election"], contact_email="enemo@example.org", organisation="ENEMO", country="Польша"
    )
    services.observer_accredit(application=application, actor=None)
    page = client.get(
        reverse("groups:observer_verify", args=[ccm["election"].slug, application.credential_code])
    )
    assert "ENEMO (Польша)" in page.content.decode()
