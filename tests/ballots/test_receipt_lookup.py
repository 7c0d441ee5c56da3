"""The receipt lookup ignores case, spaces and dashes (and Cyrillic look-alike letters); a text that
cannot be a receipt code gets a plain explanation (issue 15, deliverable 9)."""

import pytest
from django.urls import reverse
from freezegun import freeze_time

from ballots import services
from ballots.models import RECEIPT_ALPHABET, parse_receipt_code
from ballots.selectors import find_receipt
from elections.services import election_transition
from tests.ballots.fixtures import AFTER, OPEN


@pytest.mark.parametrize(
    "typed",
    [
        "ABCD-EFGH-JK23",
        "abcd-efgh-jk23",
        "ABCDEFGHJK23",
        " abcd efgh jk23 ",
        "ABCD–EFGH–JK23",
        "АВСD-ЕFGН-JК23",
    ],
)
def test_the_code_is_read_whatever_the_case_and_separators(typed):
    assert parse_receipt_code(typed) == "ABCD-EFGH-JK23"


@pytest.mark.parametrize("typed", ["", "ABCD-EFGH", "ABCD-EFGH-JK230", "ABCD-EFGH-JK10", "OBCD-EFGH-JK23"])
def test_what_cannot_be_a_code_is_refused(typed):
    assert parse_receipt_code(typed) is None


def test_every_code_the_portal_makes_parses_to_itself():
    from ballots.models import new_receipt_code

    for n in range(200):
        code = new_receipt_code(bytes((n + k * 37) % 256 for k in range(12)))
        assert parse_receipt_code(code) == code
        assert parse_receipt_code(code.lower().replace("-", " ")) == code
    assert set("0O1I").isdisjoint(RECEIPT_ALPHABET)


@pytest.mark.django_db
def test_the_board_finds_a_ballot_typed_without_dashes(vote, client):
    with freeze_time(OPEN):
        ballot = services.ballot_cast(credential=vote["credentials"][0], choices=[vote["alpha"].code])
    with freeze_time(AFTER):
        election = election_transition(election=vote["election"], transition="close_voting", actor=None)
    typed = ballot.receipt.replace("-", " ").lower()
    assert find_receipt(election, typed)["receipt"] == ballot.receipt
    url = reverse("ballots:board", kwargs={"slug": election.slug})
    page = client.get(url, {"receipt": typed}, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert 'id="receipt-found"' in page and ballot.receipt in page
    page = client.get(url, {"receipt": "12345"}, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert 'id="receipt-malformed"' in page and 'id="receipt-missing"' not in page
