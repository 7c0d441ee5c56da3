"""Only possible ballot parameters, and one source of truth for member and alternate (issue 15,
deliverables 2 and 3): a group's ballot takes its method, seats and alternates from the group's
decision rule and seats — the two can never disagree —; the ballot form refuses 0 seats, a
threshold outside 0–100 % or on a method without lists, alternates where the method names none, and
more seats than candidates, in plain translated words, changing nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from ballots import guards, services
from ballots.models import Contest, ContestOption
from elections.models import AuditEntry
from groups.services.structure import group_update

pytestmark = pytest.mark.django_db


def _post(client, election, data, contest=None):
    url = (
        reverse("ballots:contest_edit", kwargs={"slug": election.slug, "pk": contest.pk})
        if contest
        else reverse("ballots:contest_new", kwargs={"slug": election.slug})
    )
    base = {
        "title_ru": "Бюллетень",
        "method": "plurality",
        "seats": 1,
        "alternates": 0,
        "max_choices": 1,
        "threshold_base": "valid",
        "option_order": "alphabetical",
        "allows_blank": "on",
        "tie_rule": "commission",
    }
    return client.post(url, {**base, **data}, HTTP_ACCEPT_LANGUAGE="ru")


@pytest.fixture
def district(structure):
    from groups.models import TerritorialUnit

    return TerritorialUnit.objects.create(
        election=structure["election"], kind="district", number=1, name_ru="Округ 1"
    )


def test_a_groups_ballot_takes_the_groups_rule_and_seats_whatever_is_posted(structure, client):
    election, group = structure["election"], structure["group_a"]
    client.force_login(structure["users"]["secretariat"])
    response = _post(client, election, {"group": group.pk, "method": "irv", "seats": 3, "alternates": 0})
    assert response.status_code == 302
    contest = Contest.objects.get(group=group)
    assert (contest.method, contest.seats, contest.alternates) == ("plurality", 1, 1)


def test_the_ballot_follows_when_the_groups_rule_changes(structure):
    election, group = structure["election"], structure["group_a"]
    contest = services.contest_save(election=election, actor=None, group=group, title_ru="Группа А")
    group_update(group=group, actor=None, seats_members=2, seats_alternates=2)
    contest.refresh_from_db()
    assert (contest.seats, contest.alternates) == (2, 2)
    assert AuditEntry.objects.filter(action="ballots.contest.followed_group").exists()
    with pytest.raises(ValidationError) as exc:
        group_update(group=group, actor=None, decision_rule="irv")  # IRV names no alternates
    assert "seats_alternates" in exc.value.message_dict
    group_update(group=group, actor=None, decision_rule="irv", seats_alternates=0)
    contest.refresh_from_db()
    assert (contest.method, contest.seats, contest.alternates) == ("irv", 2, 0)


def test_a_contest_that_disagrees_with_its_group_is_refused_by_validation(structure):
    contest = services.contest_save(
        election=structure["election"], actor=None, group=structure["group_a"], title_ru="Группа А"
    )
    contest.alternates = 0
    with translation.override("ru"), pytest.raises(ValidationError) as exc:
        contest.full_clean()
    assert "решающему правилу группы" in " ".join(exc.value.message_dict["alternates"])


def test_after_the_ballot_is_locked_neither_side_changes(structure):
    election, group = structure["election"], structure["group_a"]
    contest = services.contest_save(election=election, actor=None, group=group, title_ru="Группа А")
    Contest.objects.filter(pk=contest.pk).update(locked_at="2030-01-01T00:00:00Z")
    with pytest.raises(ValidationError) as exc:
        group_update(group=group, actor=None, seats_alternates=0)
    assert "locked" in " ".join(exc.value.messages) or "заблокирован" in " ".join(exc.value.messages)
    group.refresh_from_db()
    assert group.seats_alternates == 1
    with pytest.raises(ValidationError):
        services.contest_save(election=election, actor=None, contest=contest, title_ru="Другое")


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"seats": 0}, "seats", "не меньше 1"),
        ({"method": "dhondt", "threshold_percent": "150"}, "threshold_percent", "не больше 100"),
        ({"method": "dhondt", "threshold_percent": "-1"}, "threshold_percent", "не меньше 0"),
        (
            {"method": "plurality", "threshold_percent": "5"},
            "threshold_percent",
            "только к партийным спискам",
        ),
        ({"method": "irv", "alternates": 1}, "alternates", "Альтернатов называют"),
        (
            {"method": "irv", "max_choices": 3},
            "max_choices",
            "только к голосованию относительным большинством",
        ),
    ],
)
def test_the_ballot_form_refuses_impossible_parameters_in_plain_russian(
    structure, district, client, data, field, words
):
    election = structure["election"]
    client.force_login(structure["users"]["secretariat"])
    response = _post(client, election, {"unit": district.pk, **data})
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert words in " ".join(form.errors[field])
    assert not Contest.objects.exists()
    assert "Бюллетень сохранён" not in response.content.decode()


def test_the_forms_labels_are_russian_in_the_russian_interface(structure, client):
    client.force_login(structure["users"]["secretariat"])
    page = client.get(
        reverse("ballots:contest_new", kwargs={"slug": structure["election"].slug}), HTTP_ACCEPT_LANGUAGE="ru"
    ).content.decode()
    assert "Избирательная группа" in page and "Избирательный округ" in page
    assert ">Group<" not in page and ">Unit<" not in page and "Group*" not in page


def test_more_seats_than_candidates_is_refused_and_blocks_voting(structure, district):
    election = structure["election"]
    contest = services.contest_save(election=election, actor=None, unit=district, title_ru="Совет", seats=1)
    ContestOption.objects.create(contest=contest, kind="candidate", label_ru="Иванов", position=0)
    with pytest.raises(ValidationError) as exc:
        services.contest_save(election=election, actor=None, contest=contest, seats=3)
    assert "seats" in exc.value.message_dict
    Contest.objects.filter(pk=contest.pk).update(seats=3)  # e.g. candidates withdrawn afterwards
    blockers = [b.code for b in guards.contests_ready(election)]
    assert "more_seats_than_candidates" in blockers
