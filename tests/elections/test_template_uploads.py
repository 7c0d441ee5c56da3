"""Calendar plan templates (YAML) uploaded or pasted are read safely (issue 16): a deeply nested
text, a "billion laughs" of aliases, NUL bytes or Windows-1251 are refused with a plain reason
naming the line, never a 500; UTF-16 and CR newlines are read."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from elections.calendar.loader import TEMPLATES_DIR
from elections.models import PlanTemplate
from elections.services.calendar import parse_template_yaml
from tests.factories import user_with_role

LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{c}: &{c} [" + ",".join([f"*{p}"] * 9) + "]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)


def _refusal(text: str) -> str:
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        parse_template_yaml(text)
    return " ".join(refused.value.messages)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[" * 5000 + "]" * 5000, "nested too deeply (more than 32 levels, line 1)"),
        ("a:\n" + "".join("  " * i + "- \n" for i in range(1, 60)), "nested too deeply"),
        (LAUGHS, "repeats itself too much through aliases"),
        ("&a [*a]", "refers to the element that contains it"),
        ("slug: x\nname_ru: \x00\n", "line 2 contains a NUL byte"),
        ("slug: x\n" + "name_ru: " + "я" * 30_000 + "\n", "Line 2 is too long"),
    ],
    ids=["deep-flow", "deep-block", "billion-laughs", "recursive-alias", "nul", "long-line"],
)
def test_dangerous_yaml_is_refused_with_a_plain_reason(text, expected):
    assert expected in _refusal(text)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("encode", "expected"),
    [
        (lambda t: t.encode("cp1251"), "looks like Windows-1251 text; save it as UTF-8"),
        (lambda t: ("[" * 2000 + "]" * 2000).encode(), "nested too deeply"),
    ],
    ids=["cp1251", "deep"],
)
def test_the_upload_form_names_the_problem(client, encode, expected):
    client.force_login(user_with_role("secretariat"))
    text = (
        (TEMPLATES_DIR / "ccm-ngo-2024.yaml")
        .read_text(encoding="utf-8")
        .replace('slug: "ccm-ngo-2024"', 'slug: "my-plan"')
    )
    upload = SimpleUploadedFile("plan.yaml", encode(text))
    with translation.override("en"):  # the English page (/en/…)
        response = client.post(reverse("portal:plan_template_new"), {"upload": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert expected in page.replace("&#x27;", "'")
    assert not PlanTemplate.objects.filter(slug="my-plan").exists()


@pytest.mark.django_db
def test_a_utf16_template_with_old_mac_newlines_is_read(client):
    client.force_login(user_with_role("secretariat"))
    text = (
        (TEMPLATES_DIR / "ccm-ngo-2024.yaml")
        .read_text(encoding="utf-8")
        .replace('slug: "ccm-ngo-2024"', 'slug: "my-plan"')
    )
    upload = SimpleUploadedFile("plan.yaml", text.replace("\n", "\r").encode("utf-16"))
    response = client.post(reverse("portal:plan_template_new"), {"upload": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert PlanTemplate.objects.get(slug="my-plan").parsed().activities
