"""Fuzz (hypothesis): a calendar plan template (YAML) typed or uploaded never raises anything but
ValidationError, whatever the text — deep nesting, aliases, broken YAML, wrong shapes."""

from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from elections.calendar.loader import TEMPLATES_DIR
from elections.services.calendar import parse_template_yaml
from tests.fuzz import FUZZ, any_file

SHIPPED = (TEMPLATES_DIR / "ccm-ngo-2024.yaml").read_text(encoding="utf-8").splitlines()[:120]
YAML_BITS = [
    "slug: x",
    "activities:",
    "  - number: 1",
    "    rule: {due: {anchor: voting_day, days: -999999999999999999}}",
    "a: &a [1, 2]",
    "b: [*a, *a, *a]",
    "c: *nope",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    "{a: {b: {c: {d: {e: {f: {g: {h: {i: {j: {k: 1}}}}}}}}}}}",
    "!!python/object/apply:os.system ['true']",
    "? complex key",
    "--- \n...",
    "%YAML 1.1",
    "date: 2024-02-30",
]


def _check(text: str) -> None:
    try:
        parse_template_yaml(text)
    except ValidationError as exc:
        assert exc.messages and all(exc.messages)


@FUZZ
@given(content=any_file(SHIPPED + YAML_BITS))
def test_any_file_is_read_or_refused_plainly(content):
    _check(content.decode("utf-8", errors="replace"))


@FUZZ
@given(
    depth=st.integers(1, 3000),
    opener=st.sampled_from(["[", "{a: ", "- ", "a:\n  "]),
    width=st.integers(1, 12),
    levels=st.integers(1, 12),
)
def test_nesting_and_aliases_are_bounded(depth, opener, width, levels):
    _check(opener * depth)
    laughs = "a0: &a0 [x]\n" + "".join(
        f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]\n" for i in range(1, levels)
    )
    _check(laughs)
