"""The bulletin board of a council voted on paper at the precincts: no online ballots, so no
fingerprint of an empty set (which would read as if a set of ballots had been published)."""

import hashlib

import pytest

pytestmark = pytest.mark.django_db

EMPTY_SET = hashlib.sha256(b"").hexdigest()


def test_a_paper_only_contest_has_a_sentence_not_the_fingerprint_of_nothing(kg_counting, client):
    page = client.get(f"/en/elections/{kg_counting['election'].slug}/voting/board/").content.decode()
    contest = kg_counting["contest"]
    assert f'data-no-online="{contest.pk}"' in page
    assert "No online ballots in this contest" in page
    assert EMPTY_SET not in page and f'data-fingerprint="{contest.pk}"' not in page
