"""factory_boy factories that build data through the real services (as Zulip does)."""

import datetime as dt
import zoneinfo

import factory

from accounts.models import Position, Role, User
from elections.models import Election
from elections.services import election_create
from groups.models import Commission, ElectoralGroup
from groups.services import commission_create, group_create, role_assign

PASSWORD = "correct-horse-battery"  # noqa: S105
ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Пользователь {n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        password = kwargs.pop("password", PASSWORD)
        return model_class.objects.create_user(password=password, **kwargs)


class ElectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Election

    slug = factory.Sequence(lambda n: f"election-{n}")
    title_ru = factory.Sequence(lambda n: f"Выборы {n}")
    title_en = factory.Sequence(lambda n: f"Election {n}")
    kind = Election.Kind.CCM_NGO
    time_zone = "Asia/Almaty"
    voting_day = dt.date(2030, 8, 17)
    voting_starts_at = dt.datetime(2030, 8, 17, 9, 0, tzinfo=ALMATY)
    voting_ends_at = dt.datetime(2030, 8, 17, 18, 0, tzinfo=ALMATY)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return election_create(actor=kwargs.pop("actor", None), **kwargs)


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ElectoralGroup

    election = factory.SubFactory(ElectionFactory)
    slug = factory.Sequence(lambda n: f"group-{n}")
    name_ru = factory.Sequence(lambda n: f"Группа {n}")
    name_en = factory.Sequence(lambda n: f"Group {n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return group_create(actor=kwargs.pop("actor", None), **kwargs)


class CommissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commission

    election = factory.SubFactory(ElectionFactory)
    kind = Commission.Kind.MANDATE
    name_ru = factory.Sequence(lambda n: f"Комиссия {n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return commission_create(actor=kwargs.pop("actor", None), **kwargs)


def user_with_role(role, *, election=None, group=None, commission=None, position="", **user_kwargs) -> User:
    user = UserFactory(**user_kwargs)
    if role == Role.COMMISSION_MEMBER and not position:
        position = Position.MEMBER
    role_assign(
        user=user,
        role=role,
        election=election,
        group=group,
        commission=commission,
        position=position,
        actor=None,
    )
    return User.objects.get(pk=user.pk)


def ready_ballots(election) -> None:
    """Give every group (and district) of ``election`` a ballot with one option, so that the
    "open voting" step's guard (no empty ballots) is satisfied in tests about other things."""
    from ballots.models import Contest, ContestOption
    from ballots.services import contest_save

    targets = [("group", g) for g in election.groups.all()]
    targets += [("unit", u) for u in election.units.filter(kind="district")]
    for field, target in targets:
        contest = Contest.objects.filter(election=election, **{field: target}).first()
        if contest is None:
            contest = contest_save(election=election, actor=None, title_ru=str(target), **{field: target})
        if not contest.options.exists():
            ContestOption.objects.create(contest=contest, kind="candidate", label_ru="Кандидат", position=0)


def open_voting(election):
    """Announce, open registration and open voting, with ballots ready."""
    from elections.services import election_transition

    ready_ballots(election)
    for step in ("announce", "open_registration", "open_voting"):
        if election.state == step_source(step):
            election = election_transition(election=election, transition=step, actor=None)
    return election


def step_source(step: str) -> str:
    from elections import lifecycle

    return lifecycle.BY_NAME[step].source
