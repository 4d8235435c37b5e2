"""Watch rules: whole words, phrases, any/all/none, case-insensitive."""

from __future__ import annotations

import pytest

from alerts.models import Watch
from alerts.rules import matcher, watches_matching

WELFARE = Watch(name="welfare", any=("welfare bill", "PIP"), all=(), none=("Pip Edwards",))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Labour MPs revolt over the Welfare Bill", True),
        ("Labour MPs revolt over the welfare\n  bill", True),
        ("Cuts to PIP anger backbenchers", True),
        ("cuts to pip anger backbenchers", True),
        ("A pipeline of new housing", False),
        ("The welfare billing system", False),
        ("Pip Edwards wins the welfare bill raffle", False),
        ("Nothing to see here", False),
    ],
)
def test_any_terms_match_whole_words_only(text: str, expected: bool) -> None:
    assert matcher(WELFARE).matches(text) is expected


def test_all_terms_must_each_be_present() -> None:
    watch = Watch(name="w", any=("welfare",), all=("Labour", "vote"))
    assert matcher(watch).matches("Labour welfare vote tonight")
    assert not matcher(watch).matches("Labour welfare plans")


def test_terms_found_lists_what_matched_as_written() -> None:
    found = matcher(WELFARE).terms_found("PIP cuts: the Welfare Bill returns; pip again")
    assert sorted(found, key=str.lower) == ["PIP", "Welfare Bill"]


def test_watches_matching_names_every_matching_watch() -> None:
    other = Watch(name="rail", any=("railway",))
    assert watches_matching((WELFARE, other), "PIP and the railway") == ("welfare", "rail")
    assert watches_matching((WELFARE, other), "nothing") == ()
