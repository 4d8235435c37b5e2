"""Grouping articles about the same story across outlets into one digest entry."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from alerts.models import DigestArticle, Source
from alerts.stories import group_stories, words

MORNING = datetime(2025, 6, 25, 6, 0, tzinfo=UTC)

AGENCY_SUMMARY = (
    "More than 40 Labour MPs have signed a letter warning the prime minister that planned cuts "
    "to disability benefits would be impossible to support without a change of direction."
)


def article(title: str, outlet: str, minutes: int | None = 0, summary: str = "",
            link: str = "") -> DigestArticle:
    slug = "-".join(words(title))[:60] or "story"
    return DigestArticle(
        title=title,
        link=link or f"https://{outlet.lower().replace(' ', '')}.example/news/{slug}",
        outlet=outlet,
        published=None if minutes is None else MORNING + timedelta(minutes=minutes),
        summary=summary,
    )


SAME_STORY = [
    pytest.param(
        article("Labour MPs warn Starmer welfare cuts 'impossible to support'", "Daily Mirror"),
        article("Forty Labour MPs warn Starmer welfare cuts 'impossible to support'", "Metro"),
        id="one word added to an agency headline",
    ),
    pytest.param(
        article("Starmer faces revolt as 42 Labour MPs sign welfare letter - BBC News", "BBC News"),
        article("Starmer faces revolt as 42 Labour MPs sign welfare letter", "Sky News"),
        id="outlet name after the headline",
    ),
    pytest.param(
        article("Over 40 Labour MPs write to PM over disability benefit cuts", "Evening Standard",
                summary=AGENCY_SUMMARY),
        article("Labour backbenchers tell PM disability cuts cannot pass", "Belfast Telegraph",
                summary="Agency report. " + AGENCY_SUMMARY),
        id="agency text under a headline of the outlet's own",
    ),
    pytest.param(
        article("Ministers publish welfare bill", "ITV News",
                link="https://www.itv.example/news/welfare-bill?utm_source=rss#top"),
        article("Welfare reform legislation laid before Parliament", "ITV News",
                link="https://www.itv.example/news/welfare-bill"),
        id="same canonical link from two feeds",
    ),
    pytest.param(
        article("PIP changes: what the welfare bill means for claimants", "The Guardian"),
        article("PIP Changes — What The Welfare Bill Means For Claimants", "Yahoo News"),
        id="case and punctuation differ",
    ),
]

DIFFERENT_STORIES = [
    pytest.param(
        article("MPs vote on welfare bill", "BBC News"),
        article("Welfare bill concessions unveiled", "BBC News"),
        id="two events in the life of one bill",
    ),
    pytest.param(
        article("Welfare bill passes second reading despite Labour rebellion", "Sky News"),
        article("Labour rebellion grows over welfare bill ahead of second reading", "Sky News"),
        id="before and after the vote share most topic words",
    ),
    pytest.param(
        article("Starmer offers concessions to welfare rebels", "The Times",
                summary="The government has offered to protect existing claimants of the personal "
                        "independence payment in a bid to win over rebel Labour MPs."),
        article("Rebels reject Starmer's welfare concessions", "The Guardian",
                summary="Dozens of Labour MPs said the offer to protect existing claimants did "
                        "not go far enough and vowed to keep opposing the bill."),
        id="offer and rejection of the offer",
    ),
    pytest.param(
        article("Scottish child payment to rise in April", "The Herald"),
        article("Winter fuel payment to be restored for millions", "The Herald"),
        id="different benefits with the same shape of headline",
    ),
]


@pytest.mark.parametrize(("first", "second"), SAME_STORY)
def test_copies_of_one_story_become_one_entry(first: DigestArticle, second: DigestArticle) -> None:
    (story,) = group_stories([first, second])
    named = [story.outlet, *(source.outlet for source in story.also)]
    assert sorted(named) == sorted({first.outlet, second.outlet})


@pytest.mark.parametrize(("first", "second"), DIFFERENT_STORIES)
def test_different_stories_about_one_topic_stay_apart(
    first: DigestArticle, second: DigestArticle
) -> None:
    assert group_stories([first, second]) == (first, second)


def test_twenty_agency_copies_are_one_line_reported_by_the_other_nineteen() -> None:
    outlets = [f"Regional Paper {n}" for n in range(1, 21)]
    copies = [
        article("Labour MPs warn PM welfare cuts 'impossible to support'", outlet, minutes=n,
                summary=AGENCY_SUMMARY)
        for n, outlet in enumerate(reversed(outlets))
    ]
    other = article("Chancellor rules out wealth tax", "BBC News", summary="A different story.")
    grouped = group_stories([*copies, other])
    assert [entry.outlet for entry in grouped] == ["Regional Paper 20", "BBC News"]
    assert len(grouped[0].also) == 19
    assert grouped[0].also[0].outlet == "Regional Paper 19"
    assert grouped[0].also[0].link == copies[1].link


def test_the_earliest_copy_leads_whatever_the_input_order() -> None:
    late = article("Welfare vote delayed after rebellion", "Sky News", minutes=90)
    early = article("Welfare vote delayed after rebellion", "PA Media", minutes=5)
    undated = article("Welfare vote delayed after rebellion", "Metro", minutes=None)
    for order in ([late, early, undated], [undated, late, early], [early, undated, late]):
        (story,) = group_stories(order)
        assert story.outlet == "PA Media"
        assert [(s.outlet, s.seen) for s in story.also] == [
            ("Sky News", late.published), ("Metro", early.published),
        ]


def test_among_copies_at_the_same_time_the_fullest_summary_leads() -> None:
    short = article("Welfare vote delayed", "Metro", summary="The vote is delayed.")
    full = article("Welfare vote delayed", "PA Media",
                   summary="The vote is delayed by a week after talks with rebel MPs.")
    assert group_stories([short, full])[0].outlet == "PA Media"


def test_one_outlet_publishing_twice_is_named_once_and_not_next_to_itself() -> None:
    copies = [
        article("Welfare vote delayed by a week", "BBC News", minutes=0),
        article("Welfare vote delayed by a week", "BBC News", minutes=30, link="https://b.example/2"),
        article("Welfare vote delayed by a week", "Sky News", minutes=40),
        article("Welfare vote delayed by a week", "Sky News", minutes=50, link="https://s.example/2"),
    ]
    (story,) = group_stories(copies)
    assert [source.outlet for source in story.also] == ["Sky News"]
    assert story.also[0].seen == MORNING + timedelta(minutes=40)


def test_sources_already_attached_are_kept() -> None:
    earlier = Source("Reuters", "Welfare vote delayed", "https://r.example/1", MORNING)
    first = DigestArticle("Welfare vote delayed by a week", "https://b.example/1", "BBC News",
                          MORNING, "", also=(earlier,))
    second = article("Welfare vote delayed by a week", "Sky News", minutes=5)
    (story,) = group_stories([first, second])
    assert [source.outlet for source in story.also] == ["Reuters", "Sky News"]


def test_stories_keep_the_order_in_which_they_first_appear() -> None:
    a1 = article("Chancellor rules out wealth tax", "BBC News", minutes=50)
    b1 = article("Welfare vote delayed by a week", "Sky News", minutes=10)
    a2 = article("Chancellor rules out a wealth tax", "ITV News", minutes=20)
    assert [story.title for story in group_stories([a1, b1, a2])] == [
        "Chancellor rules out a wealth tax", "Welfare vote delayed by a week",
    ]


def test_articles_without_links_are_not_grouped_by_their_empty_link() -> None:
    first = DigestArticle("Chancellor rules out wealth tax", "", "BBC News", MORNING, "")
    second = DigestArticle("Welfare vote delayed", "", "Sky News", MORNING, "")
    assert len(group_stories([first, second])) == 2


def test_nothing_in_nothing_out() -> None:
    assert group_stories([]) == ()


@pytest.mark.parametrize(("text", "outlet", "expected"), [
    ("MPs' votes on the Bill", "", ["mp", "vote", "bill"]),
    ("Starmer’s U-turn - The Guardian", "The Guardian", ["starmer", "u", "turn"]),
    ("Cuts | Sky News", "Sky News", ["cut"]),
    ("Cross-party business class", "", ["cross", "party", "business", "class"]),
])
def test_words_are_folded_for_comparison(text: str, outlet: str, expected: list[str]) -> None:
    assert words(text, outlet) == expected


def test_a_few_hundred_articles_group_quickly() -> None:
    topics = ["welfare", "pip", "carers", "housing", "nhs", "schools", "energy", "rail", "tax"]
    verbs = ["delayed", "passed", "blocked", "unveiled", "criticised", "backed", "scrapped"]
    many = [
        article(f"{topic.title()} plan {verb} as ministers meet", f"Outlet {n % 23}",
                minutes=n, summary=f"Report {n} on the {topic} plan being {verb} this week.")
        for n, (topic, verb) in enumerate((t, v) for t in topics for v in verbs for _ in range(5))
    ]
    started = time.perf_counter()
    grouped = group_stories(many)
    assert time.perf_counter() - started < 2.0
    assert len(many) == 315
    assert len(grouped) == len(topics) * len(verbs)
