"""Novelty: what changes the state of the story, what only corroborates it."""

from __future__ import annotations

from alerts.models import Count, Statement
from alerts.novelty import count_key, is_known_statement, judge_counts, statement_key


def signed(n: int, qualifier: str = "exact", group: str = "Labour MPs") -> Count:
    return Count(count=n, qualifier=qualifier,  # type: ignore[arg-type]
                 group=group, action="signed the amendment", span=f"{n} {group}")


def test_first_figure_is_news_and_the_same_figure_again_only_corroborates() -> None:
    [first] = judge_counts({}, set(), [signed(126)])
    assert (first.verdict, first.previous) == ("new", None)
    [again] = judge_counts({first.key: 126}, set(), [signed(126)])
    assert again.verdict == "corroboration"


def test_a_later_figure_for_the_same_group_in_one_article_is_context() -> None:
    voted = Count(count=47, qualifier="exact", group="Labour MPs", action="voted against",
                  span="47 Labour MPs voted against")
    earlier = Count(count=49, qualifier="exact", group="Labour MPs", action="opposed",
                    span="the 49 who opposed it at second reading")
    judged = judge_counts({count_key(voted): 49}, set(), [voted, earlier])
    assert [(j.verdict, j.total) for j in judged] == [("new", 47), ("context", None)]


def test_an_increment_after_a_figure_in_one_article_still_counts() -> None:
    judged = judge_counts({}, set(), [signed(120, "more_than"), signed(6, "increment")])
    assert [(j.verdict, j.total) for j in judged] == [("new", 120), ("new", 126)]


def test_a_higher_figure_is_news_with_the_previous_one() -> None:
    key = count_key(signed(126))
    [j] = judge_counts({key: 126}, set(), [signed(162)])
    assert (j.verdict, j.previous, j.total) == ("new", 126, 162)


def test_a_lower_figure_from_a_slow_outlet_is_stale() -> None:
    key = count_key(signed(126))
    [j] = judge_counts({key: 126}, set(), [signed(120, "more_than")])
    assert j.verdict == "stale"


def test_an_increment_moves_the_total_on_once() -> None:
    key = count_key(signed(120))
    judged = judge_counts({key: 120}, set(), [signed(6, "increment"), signed(6, "increment")])
    assert [(j.verdict, j.total) for j in judged] == [("new", 126), ("corroboration", 126)]


def test_backbenchers_and_mps_are_the_same_group() -> None:
    assert count_key(signed(1, group="Labour backbenchers")) == count_key(signed(1))
    assert count_key(signed(1, group="MPs across all parties")) != count_key(signed(1))


def test_the_same_words_with_small_edits_are_a_known_statement() -> None:
    known = [statement_key(Statement("Sir Keir Starmer", "We will get this right for disabled "
                                     "people and for the country."))]
    edited = Statement("Keir Starmer", "We will get this right for disabled people, and for "
                       "the country")
    other = Statement("Keir Starmer", "The vote goes ahead on Tuesday as planned.")
    someone_else = Statement("Rachael Maskell", "We will get this right for disabled people "
                             "and for the country.")
    assert is_known_statement(edited, known)
    assert not is_known_statement(other, known)
    assert not is_known_statement(someone_else, known)


def test_a_lower_vote_count_at_the_next_vote_is_news() -> None:
    voted = Count(count=47, qualifier="exact", group="Labour MPs", action="voted against",
                  span="47 Labour MPs voted against")
    key = count_key(voted)
    [j] = judge_counts({key: 49}, set(), [voted])
    assert (j.verdict, j.previous, j.total) == ("new", 49, 47)
