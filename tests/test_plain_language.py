"""Plain language everywhere (issue 15, deliverable 7): no internal code, field name or hex id
in what a user reads.

* every form of the portal, submitted empty and with nonsense, shows errors in words;
* every translated string (the catalogue holds all of them) reads as words, outside the file
  formats whose column names a user types;
* the messages services build from codes at run time (protocol lines, permissions, calendar
  contradictions) name things as a user knows them.
"""

from __future__ import annotations

import gettext
import importlib
import inspect
import re
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.utils import translation

APPS = ("accounts", "ballots", "candidates", "elections", "groups", "protocols", "voters")

#: a snake_case code (``voters_on_list``), not inside a placeholder
CODE = re.compile(r"(?<![%{\w.])\b[a-z]+(?:_[a-z0-9]+)+\b")
#: a hex id (``ede5f4ca``): 8+ hex digits with at least one digit and one letter
HEX = re.compile(r"\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b")
#: a dotted capability or action name (``calendar.manage``, ``protocol.preliminary``)
DOTTED = re.compile(r"^[a-z_]+\.[a-z_]+$")


def leaks(text: str) -> list[str]:
    """The codes, hex ids or dotted names in a text a user reads."""
    t = str(text)
    found = CODE.findall(t) + HEX.findall(t)
    if DOTTED.match(t.strip()):
        found.append(t.strip())
    return found


def test_the_detector_finds_the_codes_seen_in_the_issue():
    assert leaks("Line “voters_on_list”: enter a whole number.") == ["voters_on_list"]
    assert leaks("dependency_order Activity 12 must follow") == ["dependency_order"]
    assert leaks("ede5f4ca=3 d72a3297=2") == ["ede5f4ca", "d72a3297"]
    assert leaks("calendar.manage") == ["calendar.manage"]
    assert leaks("Line “1. Voters on the list”: enter a whole number.") == []
    assert leaks("Пункт 16 («Закрытие регистрации…») должен быть выполнен до 15 августа 2024") == []


# --- every translated string --------------------------------------------------------------

#: file formats: the column names a user types in an import file or reads in an export's
#: description are the file's own vocabulary, documented on the page that takes the file.
FILE_FORMAT_WORDS = {
    "parent_number", "voters_on_list", "middle_name", "birth_date", "prev_hash",
    "candidate_application", "first_name", "last_name", "personal_number", "precinct_number",
    "name_ru", "name_en", "on_date", "donor_kind", "donor_id",
}  # fmt: skip


def _strip_placeholders(text: str) -> str:
    text = re.sub(r"%\([^)]*\)[sd]", "", text)
    text = re.sub(r"\{\{.*?\}\}|\{[^}]*\}", "", text)
    text = re.sub(r"<[^>]+>", "", text)
    return re.sub(r"https?://\S+", "", text)


@pytest.mark.parametrize("lang", ["ru", "kk", "ky"])
def test_no_translated_string_carries_a_code(lang):
    path = Path(settings.BASE_DIR) / "locale" / lang / "LC_MESSAGES" / "django.mo"
    with path.open("rb") as f:
        catalogue = gettext.GNUTranslations(f)._catalog
    bad = []
    for key, value in catalogue.items():
        msgid = key[0] if isinstance(key, tuple) else key
        for text in (msgid, value):
            found = [w for w in leaks(_strip_placeholders(text)) if w not in FILE_FORMAT_WORDS]
            if found:
                bad.append((found, text[:100]))
    assert bad == []


# --- every form, submitted empty and with nonsense -----------------------------------------


def _project_forms():
    seen = []
    for app in APPS:
        for name in ("forms", "views", "views.protocol", "views.publication"):
            try:
                module = importlib.import_module(f"{app}.{name}")
            except ModuleNotFoundError:
                continue
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if (
                    issubclass(cls, forms.BaseForm)
                    and cls.__module__.split(".")[0] in APPS
                    and cls not in seen
                    and getattr(cls, "base_fields", None) is not None
                ):
                    seen.append(cls)
    return seen


def _nonsense(field) -> str:
    if isinstance(field, (forms.ChoiceField, forms.ModelChoiceField)):
        return "no-such-choice-42"
    return "!!not valid!! " + "x" * 400


FORMS = _project_forms()


def test_the_project_has_forms_to_check():
    assert len(FORMS) >= 15


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["ru", "kk", "ky", "en"])
@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_form_errors_read_as_words(form_class, lang, election_for_forms):
    with translation.override(lang):
        for data in ({}, {name: _nonsense(f) for name, f in form_class.base_fields.items()}):
            form = _build(form_class, data, election_for_forms)
            try:
                form.is_valid()
            except Exception:  # noqa: BLE001 - a form whose clean needs its view's objects
                pytest.skip("the form's checks need objects of its view")
            for field, errors in form.errors.items():
                for message in errors:
                    assert leaks(message) == [], (field, message)
            # labels and help texts are read too
            for name, field in form.fields.items():
                for text in (field.label, field.help_text):
                    if text:
                        words = [
                            w for w in leaks(_strip_placeholders(str(text))) if w not in FILE_FORMAT_WORDS
                        ]
                        assert words == [], (name, str(text))


def _build(form_class, data, election):
    """The form with the arguments its view gives, empty where the view would give a list."""
    from django.contrib.auth import get_user_model

    from groups.models import TerritorialUnit

    params = inspect.signature(form_class.__init__).parameters
    given = {
        "election": election,
        "request": None,
        "options": [],
        "members": get_user_model().objects.none(),
        "districts": TerritorialUnit.objects.none(),
        "criteria": [],
        "review": None,
        "contests": [],
        "nominations": [],
        "party_lists": [],
        "person": None,
    }
    kwargs = {k: v for k, v in given.items() if k in params}
    try:
        return form_class(data=data, **kwargs)
    except (TypeError, AttributeError, ValueError):
        pytest.skip("the form needs objects of its view")


@pytest.fixture
def election_for_forms(db):
    from tests.factories import ElectionFactory

    return ElectionFactory(slug="plain-forms")


# --- messages built at run time from codes --------------------------------------------------


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_protocol_number_refusal_names_the_line_not_its_code(lang):
    from django.core.exceptions import ValidationError

    from protocols.services.protocol import clean_numbers

    allowed = {"voters_on_list", "ballots_received"}
    with translation.override(lang):
        for values in ({"voters_on_list": "ten"}, {"ballots_received": "-3"}, {"no_such_line": "1"}):
            with pytest.raises(ValidationError) as exc:
                clean_numbers(values, allowed, "figures")
            message = " ".join(exc.value.messages)
            assert leaks(message.replace("figures", "")) == [], message
        with pytest.raises(ValidationError) as exc:
            clean_numbers({"voters_on_list": "ten"}, allowed, "figures")
        assert ("Voters on the list" if lang == "en" else "1.") in " ".join(exc.value.messages)


@pytest.mark.django_db
def test_a_refused_capability_reads_as_words():
    from django.core.exceptions import PermissionDenied

    from accounts.permissions import require
    from tests.factories import ElectionFactory, UserFactory

    election = ElectionFactory(slug="plain-perm")
    with translation.override("en"):
        with pytest.raises(PermissionDenied) as exc:
            require(UserFactory(), "calendar.manage", election)
        assert str(exc.value) == "Your role may not do this."
    assert exc.value.capability == "calendar.manage"


def test_every_shipped_plan_explains_its_contradictions_in_words():
    from elections.calendar import check_plan, compute_plan
    from elections.calendar.loader import load_template

    anchors = {"ccm-ngo-2024": {"voting_day": "2024-08-17"}}
    for slug, given in anchors.items():
        plan = compute_plan(load_template(slug), given)
        for c in check_plan(plan):
            for text in (c.message_en, c.message_ru):
                assert leaks(text) == [], text
                assert re.search(r"(Item|Пункт) \d+", text), text


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_missing_or_bad_plan_date_is_named_by_its_label(lang):
    import datetime as dt

    from django.core.exceptions import ValidationError

    from accounts.models import Role
    from elections.models import PlanTemplate
    from elections.services import calendar as services
    from tests.factories import ElectionFactory, user_with_role

    services.load_builtin_templates()
    template = PlanTemplate.objects.get(slug="ccm-ngo-2024")
    election = ElectionFactory(slug=f"plain-anchor-{lang}", voting_day=dt.date(2024, 8, 17))
    secretariat = user_with_role(Role.SECRETARIAT)
    with translation.override(lang):
        for anchors in ({}, {"voting_day": "17th of August"}):
            with pytest.raises(ValidationError) as exc:
                services.calendar_start(
                    election=election, template=template, anchors=anchors, actor=secretariat
                )
            message = " ".join(exc.value.messages)
            assert leaks(message) == [] and "anchor" not in message, message
            assert ("Voting day" if lang == "en" else "День голосования") in message


@pytest.mark.django_db
def test_the_decision_rule_is_chosen_by_its_name_not_its_key(client):
    import datetime as dt

    from accounts.models import Role
    from elections.models import PlanTemplate
    from elections.services import calendar as services
    from tests.factories import ElectionFactory, user_with_role

    services.load_builtin_templates()
    election = ElectionFactory(slug="plain-kinds", voting_day=dt.date(2024, 8, 17))
    secretariat = user_with_role(Role.SECRETARIAT)
    services.calendar_start(
        election=election,
        template=PlanTemplate.objects.get(slug="ccm-ngo-2024"),
        anchors={"voting_day": dt.date(2024, 8, 17)},
        actor=secretariat,
    )
    client.force_login(secretariat)
    from django.urls import reverse

    body = client.get(reverse("candidates:settings", args=["plain-kinds"])).content
    text = re.sub(r"<[^>]+>", " ", body.decode())
    assert "Заявка кандидата в члены СКК/альтернаты" in text
    assert "candidate_application" not in text
