"""Districts and precincts, and their CSV import: validated, errors per row, all or nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from elections.models import AuditEntry
from elections.services import election_transition
from groups import selectors, services
from groups.models import TerritorialUnit
from tests.voters.factories import import_rows, register_row
from voters.models import RegisterEntry

from .factories import DistrictFactory, PrecinctFactory, csv_upload

GOOD = """kind,number,name_ru,name_en,parent_number,address,voters_on_list
district,1,Бишкекский городской округ,Bishkek city,,,
district,2,Чуйский районный округ,,,,
precinct,1001,Школа № 61,,1,"г. Бишкек, ул. Ахунбаева, 97",2345
precinct,1002,Гимназия № 5,,1,"г. Бишкек, ул. Киевская, 96",1980
precinct,1004,Школа им. Токтогула,,2,"с. Ак-Бешим, ул. Ленина, 12",1 214
"""


@pytest.mark.django_db
def test_import_creates_districts_and_precincts_and_audits_the_counts(election):
    result = services.units_import(election=election, content=GOOD.encode(), actor=None)
    assert (result.created, result.updated, result.unchanged) == (5, 0, 0)
    precinct = TerritorialUnit.objects.get(election=election, kind="precinct", number=1004)
    assert precinct.parent.number == 2 and precinct.voters_on_list == 1214
    assert precinct.address == "с. Ак-Бешим, ул. Ленина, 12"
    entry = AuditEntry.objects.get(action="groups.unit.imported")
    assert entry.data["created"] == 5 and entry.data["districts"] == 2 and entry.data["precincts"] == 3
    assert len(entry.data["sha256"]) == 64


@pytest.mark.django_db
def test_reimport_is_idempotent_and_updates_changed_rows(election):
    services.units_import(election=election, content=GOOD.encode(), actor=None)
    audits = AuditEntry.objects.count()
    again = services.units_import(election=election, content=GOOD.encode(), actor=None)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert AuditEntry.objects.count() == audits  # nothing changed, nothing audited
    changed = GOOD.replace("2345", "2400")
    result = services.units_import(election=election, content=changed.encode(), actor=None)
    assert (result.created, result.updated) == (0, 1)
    assert TerritorialUnit.objects.get(election=election, number=1001).voters_on_list == 2400


@pytest.mark.django_db
def test_every_bad_cell_is_reported_and_nothing_is_imported(election):
    bad = """kind,number,name_ru,parent_number,voters_on_list
district,1,Округ 1,,
region,2,Область,,
precinct,x,Участок,1,100
precinct,1001,,1,100
precinct,1002,Участок 1002,,
precinct,1003,Участок 1003,9,-5
precinct,1001,Дубль,1,10
"""
    with pytest.raises(services.UnitImportError) as exc:
        services.units_import(election=election, content=bad.encode(), actor=None)
    found = {(e.line, e.column) for e in exc.value.rows}
    assert found == {
        (3, "kind"),
        (4, "number"),
        (5, "name_ru"),
        (6, "parent_number"),
        (6, "voters_on_list"),
        (7, "voters_on_list"),
        (8, "number"),
    }
    assert not TerritorialUnit.objects.filter(election=election).exists()
    assert not AuditEntry.objects.filter(action="groups.unit.imported").exists()


@pytest.mark.django_db
def test_a_precinct_needs_a_known_district_and_the_file_is_all_or_nothing(election):
    content = "kind,number,name_ru,parent_number,voters_on_list\ndistrict,1,Округ,,\nprecinct,1001,У,7,10\n"
    with pytest.raises(services.UnitImportError) as exc:
        services.units_import(election=election, content=content.encode(), actor=None)
    assert [(e.line, e.column) for e in exc.value.rows] == [(3, "parent_number")]
    assert not TerritorialUnit.objects.filter(election=election).exists()  # the district was rolled back


@pytest.mark.django_db
def test_precincts_may_refer_to_a_stored_district_semicolons_and_windows_1251(election):
    DistrictFactory(election=election, number=5, name_ru="Округ 5")
    content = "kind;number;name_ru;parent_number;voters_on_list\nучасток;5001;Школа;5;700\n".encode("cp1251")
    result = services.units_import(election=election, content=content, actor=None)
    assert result.created == 1
    assert TerritorialUnit.objects.get(number=5001).parent.number == 5


@pytest.mark.django_db
def test_unknown_and_missing_columns_are_reported(election):
    with pytest.raises(services.UnitImportError) as exc:
        services.units_import(election=election, content=b"kind,title\n", actor=None)
    assert {(e.line, e.column) for e in exc.value.rows} == {(1, "title"), (1, "number"), (1, "name_ru")}


@pytest.mark.django_db
def test_units_are_fixed_once_voting_opened(election):
    for step in ("announce", "open_registration", "open_voting"):
        election = election_transition(election=election, transition=step, actor=None)
    with pytest.raises(ValidationError):
        services.units_import(election=election, content=GOOD.encode(), actor=None)


@pytest.mark.django_db
def test_precinct_numbers_are_unique_per_election(election):
    precinct = PrecinctFactory(election=election, number=1001)
    with pytest.raises(ValidationError):
        PrecinctFactory(election=election, number=1001, parent=precinct.parent)
    from tests.factories import ElectionFactory

    PrecinctFactory(election=ElectionFactory(), number=1001)  # another election may reuse it


@pytest.mark.django_db
def test_import_through_the_ui_shows_row_errors_then_imports(
    client, structure, django_capture_on_commit_callbacks
):
    """The request stores the file; a task reads it; the page shows the outcome row by row."""
    election = structure["election"]
    client.force_login(structure["users"]["secretariat"])
    url = reverse("groups:unit_import", args=[election.slug])
    with django_capture_on_commit_callbacks(execute=True):
        bad = client.post(url, {"file": csv_upload("kind,number,name_ru\ndistrict,abc,Округ\n")})
    assert bad.status_code == 302
    page = client.get(bad["Location"])
    assert page.context["run"].status == "failed"
    assert [(e["line"], e["column"]) for e in page.context["run"].errors] == [(2, "number")]
    assert 'id="import-errors"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        good = client.post(url, {"file": csv_upload(GOOD)})
    assert good.status_code == 302
    assert TerritorialUnit.objects.filter(election=election).count() == 5
    assert 'id="import-done"' in client.get(good["Location"]).content.decode()
    election_transition(election=election, transition="announce", actor=None)
    client.logout()
    page = client.get(reverse("groups:unit_list", args=[election.slug])).content.decode()
    assert "г. Бишкек, ул. Ахунбаева, 97" in page and 'id="district-2"' in page


@pytest.mark.django_db
def test_public_unit_list_needs_constant_queries(client, election, django_assert_num_queries):
    election = election_transition(election=election, transition="announce", actor=None)
    district = DistrictFactory(election=election, number=1)
    PrecinctFactory(election=election, parent=district)
    url = reverse("groups:unit_list", args=[election.slug])
    # the election, the districts, their precincts, the sizes of their voter lists
    with django_assert_num_queries(4):
        client.get(url)
    for _ in range(5):
        PrecinctFactory(election=election, parent=district)
    PrecinctFactory(election=election, parent=DistrictFactory(election=election, number=2))
    with django_assert_num_queries(4):
        client.get(url)


@pytest.mark.django_db
def test_the_unit_list_counts_the_voter_list_and_marks_the_recorded_number_as_an_estimate(client, election):
    """Where a precinct's voter list is in the portal, the page shows how many are on it (not the
    number recorded with the precinct); elsewhere the recorded number, marked as an estimate.
    A district's total is the sum of its rows."""
    election = election_transition(election=election, transition="announce", actor=None)
    listed = PrecinctFactory(election=election, number=1001, parent__number=1, voters_on_list=2345)
    PrecinctFactory(election=election, number=1002, parent=listed.parent, voters_on_list=1980)
    PrecinctFactory(election=election, number=2001, parent__number=2, voters_on_list=777)
    rows = [register_row(i, precinct=1001) for i in range(3)] + [
        register_row(10 + i, precinct=1002) for i in range(2)
    ]
    import_rows(election, rows)
    RegisterEntry.objects.filter(personal_number=rows[0]["personal_number"]).update(
        status=RegisterEntry.Status.REMOVED
    )

    first, second = selectors.units_of(election)
    assert [(p.number, p.voters, p.is_estimate) for p in first.precincts] == [
        (1001, 2, False),
        (1002, 2, False),
    ]
    assert (first.voters, first.has_estimates) == (4, False)
    assert [(p.number, p.voters, p.is_estimate) for p in second.precincts] == [(2001, 777, True)]
    assert (second.voters, second.has_estimates) == (777, True)

    page = " ".join(
        client.get("/en" + reverse("groups:unit_list", args=[election.slug])).content.decode().split()
    )
    assert 'data-voters="1001">2</td>' in page and 'data-voters="1002">2</td>' in page
    assert 'data-voters-total="1">4</td>' in page
    assert "2,345" not in page and "1,980" not in page
    assert (
        'data-voters="2001">777 <span class="small text-body-secondary" data-estimate>(estimate)</span>'
        in page
    )
    assert 'data-voters-total="2">777 <span class="small text-body-secondary">(with estimates)</span>' in page
    assert 'id="voters-estimate-note"' in page
