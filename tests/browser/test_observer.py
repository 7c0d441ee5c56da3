"""An observer reads the dashboards and is refused any change."""

from elections.models import AuditEntry, Election

from .setup import PASSWORD, ccm_election


def test_observer_reads_the_dashboards_and_is_refused_any_change(portal):
    data = ccm_election()
    election = data["election"]
    page = portal.page
    portal.login("observer@example.org", PASSWORD)

    portal.shots("/elections/journey/groups/dashboard/", "observer-dashboard")
    assert page.get_by_role("heading", name="Observer dashboard").is_visible()
    assert page.get_by_text("Activities in the plan").is_visible()  # the calendar panel, in totals
    portal.goto("/en/elections/journey/voting/turnout/")
    portal.axe(name="turnout")
    portal.goto("/en/elections/journey/")
    assert page.get_by_role("button", name="Open registration").count() == 0  # no step to take
    assert page.get_by_role("link", name="Open registration…").count() == 0
    portal.goto("/en/elections/journey/calendar/")
    assert page.locator("main form[method=post]").count() == 0  # nothing to mark as done

    audit_before = AuditEntry.objects.count()
    changes = [
        ("/en/elections/journey/step/open_registration/", {}),
        ("/en/elections/journey/edit/", {"title_ru": "Изменено наблюдателем"}),
        ("/en/elections/journey/voters/settings/", {}),
        ("/en/elections/journey/voting/contests/new/", {"title_ru": "Бюллетень"}),
        ("/en/elections/journey/candidates/settings/", {}),
        ("/en/elections/journey/groups/new/", {"slug": "x", "name_ru": "Группа"}),
    ]
    for path, form in changes:
        response = portal.csrf_post(path, form)
        assert response.status == 403, f"{path}: {response.status}"
    assert Election.objects.get(pk=election.pk).state == Election.State.ANNOUNCED
    assert Election.objects.get(pk=election.pk).title_ru == election.title_ru
    assert AuditEntry.objects.count() == audit_before
