"""Shared test helpers: where the reference ballot files live, and small builders."""

from __future__ import annotations

from pathlib import Path

import pytest

from protocols.counting import Profile, VoteCounts

# /work/main/tests/protocols/counting/helpers.py -> parents[3] is the repository root (/work/main);
# the shared folder sits next to it (../shared/counting-reference).
REF_DIR = Path(__file__).resolve().parents[3].parent / "shared" / "counting-reference"

needs_reference_files = pytest.mark.skipif(
    not REF_DIR.is_dir(), reason=f"reference ballot files not found at {REF_DIR}"
)


def ref(*parts: str) -> Path:
    return REF_DIR.joinpath(*parts)


def profile(
    candidates: str | list[str], ballots: list[tuple[int, str | list[str]]], seats: int = 1
) -> Profile:
    """Profile from compact ballots: ``[(weight, "ABC"), ...]`` with one-letter candidates."""
    names = list(candidates)
    rankings = [(w, list(r)) for w, r in ballots]
    return Profile.from_rankings(names, rankings, seats=seats)


def counts(votes: dict[str, int], **special: int) -> VoteCounts:
    return VoteCounts.from_mapping(votes, **special)
