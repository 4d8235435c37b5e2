"""Rendering a digest into subject, text and HTML with the shipped templates."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import jinja2
import pytest

from alerts.models import (
    Count,
    CountChange,
    CountPoint,
    Digest,
    DigestArticle,
    NewStatement,
    RenderedEmail,
    Source,
    Statement,
    Timeline,
    WatchDigest,
)
from alerts.render import (
    RECIPIENT_SLOT,
    UNSUBSCRIBE_SLOT,
    change_phrase,
    count_phrase,
    make_environment,
    outlets,
    render_digest,
    render_digest_from,
    render_sections,
)

UNSUBSCRIBE = "https://alerts.example/unsubscribe/tok3n"


def _source(outlet: str, slug: str, hour: int) -> Source:
    return Source(outlet, f"{outlet} on the welfare vote", f"https://news.example/{slug}",
                  datetime(2025, 6, 25, hour, 0, tzinfo=UTC))


BBC = _source("BBC News", "bbc/amendment-grows", 6)
GUARDIAN = _source("The Guardian", "guardian/rebels", 7)
SKY = _source("Sky News", "sky/vote-tuesday", 8)
MIRROR = _source("Daily Mirror", "mirror/letter", 9)


def welfare_digest() -> Digest:
    """A day of the welfare-bill story: a count that grew, a timeline, a statement, articles."""
    signed = Count(162, "exact", "MPs across all parties", "signed the amendment",
                   "162 MPs across all parties have now put their names to it")
    letter = Count(42, "exact", "Labour MPs", "signed a letter to the prime minister",
                   "a letter signed by 42 Labour MPs")
    return Digest(
        recipient="reader@example.org",
        day=date(2025, 6, 25),
        sections=(
            WatchDigest(
                watch="Welfare bill",
                counts=(CountChange(letter, None, MIRROR), CountChange(signed, 126, BBC, 2)),
                timelines=(Timeline("MPs", "signed the amendment", (
                    CountPoint(date(2025, 6, 24), 126),
                    CountPoint(date(2025, 6, 23), 108),
                    CountPoint(date(2025, 6, 25), 162),
                )),),
                statements=(NewStatement(Statement(
                    "Priya Hartley", "Disabled people deserve better than a rushed vote.",
                    role="Labour MP for Northfield"), GUARDIAN),),
                articles=(
                    DigestArticle(
                        "<script>alert('x')</script>Amendment gains six names & a deadline",
                        BBC.link, "BBC News", datetime(2025, 6, 25, 6, 0, tzinfo=UTC),
                        "The cross-party amendment now has 162 names ahead of Tuesday's vote.",
                        also=(GUARDIAN, SKY),
                    ),
                    DigestArticle("Ministers open talks with rebels", "javascript:alert(1)",
                                  "Sky News", None, ""),
                ),
            ),
            WatchDigest(watch="Empty watch"),
        ),
    )


@pytest.fixture(scope="module")
def env() -> jinja2.Environment:
    return make_environment()


@pytest.fixture(scope="module")
def email(env: jinja2.Environment) -> RenderedEmail:
    return render_digest(env, welfare_digest(), unsubscribe_url=UNSUBSCRIBE,
                         archive_url="https://alerts.example/archive/welfare-bill")


def test_subject_names_the_watch_and_the_biggest_change(email: RenderedEmail) -> None:
    assert email.subject == (
        "Welfare bill: 162 MPs across all parties signed the amendment (up from 126)"
        " · 2 new articles, 1 new statement"
    )


def test_subject_without_counts_tallies_articles_and_statements(env: jinja2.Environment) -> None:
    section = replace(welfare_digest().sections[0], counts=(),
                      articles=welfare_digest().sections[0].articles * 2,
                      statements=welfare_digest().sections[0].statements * 2)
    rendered = render_digest(env, replace(welfare_digest(), sections=(section,)))
    assert rendered.subject == "Welfare bill: 4 new articles, 2 new statements"


def test_subject_mentions_other_watches_with_news(env: jinja2.Environment) -> None:
    other = WatchDigest("PIP changes", articles=welfare_digest().sections[0].articles[:1])
    digest = replace(welfare_digest(), sections=(other, *welfare_digest().sections))
    subject = render_digest(env, digest).subject
    assert subject.startswith("Welfare bill: 162 MPs")  # the watch with a changed count leads
    assert subject.endswith("(+1 more watch)")


def test_subject_is_one_capped_line_whatever_the_feed_text(env: jinja2.Environment) -> None:
    section = welfare_digest().sections[0]
    wild = replace(section, watch="Welfare\r\nbill\u2028", counts=(CountChange(
        Count(None, "vague", "MPs", "rebelled", "dozens\nof MPs " + "very " * 80), None, BBC),))
    subject = render_digest(env, replace(welfare_digest(), sections=(wild,))).subject
    assert len(subject) <= 140
    assert subject.startswith("Welfare bill: dozens of MPs very very")
    assert not re.search(r"[\r\n\u2028\u2029]", subject)


def test_text_part_reads_what_changed_then_timeline_statements_articles(
    email: RenderedEmail,
) -> None:
    order = ["What changed", "How the counts moved", "New statements", "Articles",
             "Unsubscribe: " + UNSUBSCRIBE]
    positions = [email.text.index(heading) for heading in order]
    assert positions == sorted(positions)
    assert ("162 MPs across all parties signed the amendment, up from 126 — first\n"
            "  reported by BBC News") in email.text


def test_html_part_has_the_same_sections_in_order(email: RenderedEmail) -> None:
    order = ["What changed", "How the counts moved", "New statements", "Articles",
             f'<a href="{UNSUBSCRIBE}"']
    positions = [email.html.index(heading) for heading in order]
    assert positions == sorted(positions)
    assert 'name="viewport"' in email.html


def test_html_styles_are_inlined_for_mail_clients(email: RenderedEmail) -> None:
    assert "<style" not in email.html
    assert '<div class="page" style="box-sizing: border-box;max-width: 640px;' in email.html
    tags_with_class = re.findall(r"<[a-z0-9]+ class=[^>]*>", email.html)
    assert len(tags_with_class) > 20
    assert all(" style=" in tag for tag in tags_with_class)


def test_script_in_a_title_is_escaped_in_html_and_left_as_text_in_the_text_part(
    email: RenderedEmail,
) -> None:
    assert "<script>" not in email.html
    assert "&lt;script&gt;alert('x')&lt;/script&gt;Amendment gains six names &amp; a deadline" \
        in email.html
    assert "<script>alert('x')</script>Amendment gains six names & a deadline" in email.text


def test_autoescape_rule_matches_the_template_names(env: jinja2.Environment) -> None:
    assert callable(env.autoescape)
    assert env.autoescape("digest.html") is True
    assert env.autoescape("digest.txt") is False
    assert env.autoescape("digest.subject.txt") is False


def test_timeline_is_drawn_day_by_day_scaled_to_the_largest_count(email: RenderedEmail) -> None:
    lines = [line.strip() for line in email.text.splitlines()]
    start = lines.index("MPs signed the amendment")
    assert lines[start + 1: start + 4] == [
        "23 Jun  " + "█" * 13 + " 108",
        "24 Jun  " + "█" * 16 + " 126",
        "25 Jun  " + "█" * 20 + " 162",
    ]
    widths = re.findall(r'<div class="bar" style="[^"]*width: (\d+)%"', email.html)
    assert widths == ["67", "78", "100"]


def test_statement_shows_speaker_role_quote_and_outlet(email: RenderedEmail) -> None:
    assert "“Disabled people deserve better than a rushed vote.”" in email.text
    assert "— Priya Hartley, Labour MP for Northfield, in The Guardian" in email.text
    assert f'in <a href="{GUARDIAN.link}"' in email.html


def test_articles_say_who_else_reported_them(email: RenderedEmail) -> None:
    assert "Also reported by The Guardian and Sky News" in email.text
    also = re.search(r"Also reported by (.*?)</p>", email.html)
    assert also is not None
    assert re.findall(r">([^<>]+)</a>", also.group(1)) == ["The Guardian", "Sky News"]
    assert "BBC News · 25 Jun, 06:00 UTC" in email.text


def test_links_that_are_not_web_links_are_not_linked(email: RenderedEmail) -> None:
    assert "javascript:" not in email.html
    assert "javascript:" not in email.text
    assert "Ministers open talks with rebels" in email.html


def test_sections_with_nothing_new_are_left_out(email: RenderedEmail) -> None:
    assert "Empty watch" not in email.text
    assert "Empty watch" not in email.html


def test_footer_links_appear_only_when_given(env: jinja2.Environment) -> None:
    bare = render_digest(env, welfare_digest())
    assert "nsubscribe" not in bare.text + bare.html
    assert "Past digests" not in bare.text + bare.html


@pytest.mark.parametrize(("count", "phrase"), [
    (Count(162, "exact", "MPs", "signed", "162 MPs"), "162 MPs signed"),
    (Count(120, "more_than", "Labour MPs", "signed", "over 120"),
     "more than 120 Labour MPs signed"),
    (Count(40, "nearly", "MPs", "", "almost 40 MPs"), "nearly 40 MPs"),
    (Count(6, "increment", "Labour MPs", "backed it", "six more"), "6 more Labour MPs backed it"),
    (Count(None, "fraction", "Labour MPs", "oppose it", "a quarter of Labour MPs"),
     "a quarter of Labour MPs oppose it"),
    (Count(None, "vague", "MPs", "signed", "dozens of MPs signed"), "dozens of MPs signed"),
])
def test_count_phrase_reads_as_words(count: Count, phrase: str) -> None:
    assert count_phrase(count) == phrase


@pytest.mark.parametrize(("now", "before", "phrase"), [
    (162, 126, "up from 126"), (30, 42, "down from 42"), (42, None, ""), (42, 42, ""),
    (None, 42, ""),
])
def test_change_phrase_compares_with_the_previous_figure(
    now: int | None, before: int | None, phrase: str
) -> None:
    change = CountChange(Count(now, "exact", "MPs", "signed", "MPs"), before, BBC)
    assert change_phrase(change) == phrase


def test_templates_are_found_from_any_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert render_digest(make_environment(), welfare_digest()).subject.startswith("Welfare bill")


def test_a_template_using_an_unknown_name_fails_loudly(tmp_path: Path) -> None:
    for name in ("digest.subject.txt", "digest.txt"):
        (tmp_path / name).write_text("{{ lead.watch }}")
    (tmp_path / "digest.html").write_text("{{ no_such_thing }}")
    with pytest.raises(jinja2.UndefinedError):
        render_digest(make_environment(tmp_path), welfare_digest())


def test_compiled_templates_are_cached_between_runs_and_an_edit_is_seen(tmp_path: Path) -> None:
    def write(subject: str) -> None:
        (tmp_path / "digest.subject.txt").write_text(subject)
        for name in ("digest.txt", "digest.html"):
            (tmp_path / name).write_text("{{ lead.watch }}")

    write("first {{ lead.watch }}")
    env = make_environment(tmp_path)
    cache = env.bytecode_cache
    assert isinstance(cache, jinja2.FileSystemBytecodeCache)
    assert render_digest(env, welfare_digest()).subject.startswith("first")
    bucket = cache.get_bucket(env, "digest.subject.txt", str(tmp_path / "digest.subject.txt"),
                              "first {{ lead.watch }}")
    assert bucket.code is not None  # a later process loads this instead of compiling

    write("second {{ lead.watch }}")
    assert render_digest(make_environment(tmp_path), welfare_digest()).subject.startswith("second")


# Fan-out: the shared digest rendered once, the personal parts filled in per recipient.


def test_a_digest_filled_in_from_the_shared_rendering_equals_one_rendered_alone(
    env: jinja2.Environment,
) -> None:
    shared = render_sections(env, welfare_digest().sections, date(2025, 6, 25))
    for reader in ("first@example.org", "second@example.org"):
        digest = replace(welfare_digest(), recipient=reader)
        url = f"https://alerts.example/unsubscribe/{reader}"
        filled = render_digest_from(shared, digest, unsubscribe_url=url)
        assert filled == render_digest(env, digest, unsubscribe_url=url)
        assert f"sent to {reader}" in filled.text
        assert f"sent to {reader}" in filled.html
        assert f'<a href="{url}"' in filled.html
        assert f"Unsubscribe: {url}" in filled.text


def test_no_slot_is_left_in_a_filled_in_digest(email: RenderedEmail) -> None:
    everything = email.subject + email.text + email.html
    assert RECIPIENT_SLOT not in everything
    assert UNSUBSCRIBE_SLOT not in everything
    assert "slot" not in everything


def test_personal_parts_are_escaped_in_the_html_only(env: jinja2.Environment) -> None:
    shared = render_sections(env, welfare_digest().sections, date(2025, 6, 25))
    digest = replace(welfare_digest(), recipient='"<b>odd</b>"@example.org')
    url = "https://alerts.example/u?token=a&list=welfare"
    filled = render_digest_from(shared, digest, unsubscribe_url=url)
    assert "&#34;&lt;b&gt;odd&lt;/b&gt;&#34;@example.org" in filled.html
    assert 'href="https://alerts.example/u?token=a&amp;list=welfare"' in filled.html
    assert '"<b>odd</b>"@example.org' in filled.text
    assert f"Unsubscribe: {url}" in filled.text


@pytest.mark.parametrize("url", ["javascript:alert(1)", "", "https://a.example/u 1"])
def test_filling_in_refuses_an_unsubscribe_link_that_is_not_a_web_link(
    env: jinja2.Environment, url: str
) -> None:
    shared = render_sections(env, welfare_digest().sections, date(2025, 6, 25))
    with pytest.raises(ValueError, match="unsubscribe"):
        render_digest_from(shared, welfare_digest(), unsubscribe_url=url)


def test_a_story_reported_by_many_names_four_outlets_and_counts_the_rest(
    env: jinja2.Environment,
) -> None:
    many = tuple(_source(f"Paper {n}", f"paper{n}/story", 7) for n in range(1, 20))
    section = welfare_digest().sections[0]
    story = replace(section.articles[0], also=many)
    digest = replace(welfare_digest(), sections=(replace(section, articles=(story,)),))
    rendered = render_digest(env, digest)
    assert "Also reported by Paper 1, Paper 2, Paper 3, Paper 4 and 15 more" in rendered.text
    also = re.search(r"Also reported by (.*?)</p>", rendered.html)
    assert also is not None
    named = re.findall(r">([^<>]+)</a>", also.group(1))
    assert named == ["Paper 1", "Paper 2", "Paper 3", "Paper 4"]
    assert also.group(1).endswith(" and 15 more")


@pytest.mark.parametrize(("count", "phrase"), [
    (1, "Paper 0"), (2, "Paper 0 and Paper 1"), (3, "Paper 0, Paper 1 and Paper 2"),
    (5, "Paper 0, Paper 1, Paper 2 and 2 more"),
])
def test_outlets_are_named_up_to_a_limit(count: int, phrase: str) -> None:
    sources = [_source(f"Paper {n}", str(n), 7) for n in range(count)]
    assert outlets(sources, 3) == phrase
