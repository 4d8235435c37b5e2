"""The digest's HTML part, CSS inlined as it is mailed, in a real headless Chromium.

Needs Debian's ``chromium`` (/usr/bin/chromium) and the ``playwright`` package; Playwright's own
browser downloads are never used. Screenshots at phone and desktop widths are saved to
tests/artifacts/digest-390.png and digest-1280.png for a person to look at.
"""

from __future__ import annotations

import struct
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from alerts.models import (
    CountPoint,
    Digest,
    DigestArticle,
    Source,
    Timeline,
    WatchDigest,
)
from alerts.render import make_environment, render_digest
from tests.browser import ARTIFACTS, DESKTOP, PHONE, needs_chromium
from tests.test_render import UNSUBSCRIBE, welfare_digest

pytestmark = needs_chromium

# Elements wider than the viewport, as "tag.class right-edge" strings.
OVERFLOWING = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
    .map(e => `${e.tagName.toLowerCase()}.${e.className} ${e.getBoundingClientRect().right}`)"""


def hard_digest() -> Digest:
    """The welfare digest plus what breaks layouts: unbroken words, a long address, many outlets."""
    base = welfare_digest()
    welfare = base.sections[0]
    outlets = tuple(
        Source(f"Regional Paper {n}", "Welfare vote delayed", f"https://paper{n}.example/welfare",
               datetime(2025, 6, 25, 7, n, tzinfo=UTC))
        for n in range(1, 20)
    )
    agency = DigestArticle(
        "Welfare vote delayed by a week after talks with rebel MPs",
        "https://agency.example/politics/welfare-vote-delayed", "PA Media",
        datetime(2025, 6, 25, 7, 0, tzinfo=UTC),
        "Ministers pushed Tuesday's vote back by seven days to give time for talks with the "
        "Labour MPs who signed the amendment, the chief whip told colleagues.",
        also=outlets,
    )
    unbroken = DigestArticle(
        "Supercalifragilisticexpialidocious-welfare-amendment-reference-HC-Bill-187-2025-26",
        "https://bills.example/" + "x" * 180, "Parliament", None,
        "See https://bills.example/publications/bills/welfare-reform-2025-26/amendment-paper-"
        "twenty-fifth-june-consolidated-version-final.pdf for the full text",
    )
    days = tuple(CountPoint(date(2025, 6, 16) + timedelta(days=n), 60 + 11 * n)
                 for n in range(10))
    pip = WatchDigest(
        "Personal Independence Payment reform and the Universal Credit health element",
        timelines=(Timeline("Labour MPs", "oppose the PIP changes", days),),
        articles=(agency, unbroken),
    )
    hostile = replace(welfare.articles[1],
                      title='Talks <img src=x onerror="document.title=1"> with rebels',
                      summary="<iframe src=https://evil.example></iframe><form><input></form>")
    return replace(
        base,
        recipient="a.very.long.address.for.testing.wrapping@constituency-office.example.org.uk",
        sections=(replace(welfare, articles=(*welfare.articles[:1], hostile)), pip),
    )


@pytest.fixture(scope="module")
def digest_file() -> Path:
    rendered = render_digest(make_environment(), hard_digest(), unsubscribe_url=UNSUBSCRIBE,
                             archive_url="https://alerts.example/archive/welfare-bill")
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "digest.html"
    path.write_text(rendered.html, encoding="utf-8")
    return path


def open_digest(browser: Browser, digest_file: Path,
                width: int) -> Page:
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    page.goto(digest_file.as_uri())
    return page


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_screenshot_is_saved_and_shows_the_whole_digest(
    browser: Browser, digest_file: Path, width: int
) -> None:
    page = open_digest(browser, digest_file, width)
    path = ARTIFACTS / f"digest-{width}.png"
    data = page.screenshot(path=str(path), full_page=True)
    shot_width, shot_height = png_size(data)
    assert shot_width == width
    assert shot_height > 1500  # the whole digest, well past the first screen
    assert len(data) > 50_000  # text and colour, not a blank page
    assert path.read_bytes() == data


def test_nothing_is_wider_than_a_phone_screen(
    browser: Browser, digest_file: Path
) -> None:
    page = open_digest(browser, digest_file, PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    assert page.evaluate(OVERFLOWING) == []


def test_text_on_a_phone_is_large_enough_to_read(
    browser: Browser, digest_file: Path
) -> None:
    page = open_digest(browser, digest_file, PHONE)
    sizes = page.evaluate("""() => [...document.querySelectorAll('p, li, td, h2')]
        .filter(e => e.textContent.trim())
        .map(e => parseFloat(getComputedStyle(e).fontSize))""")
    assert min(sizes) >= 12
    summary = page.locator(".story-summary").first
    assert summary.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 16


def test_on_a_desktop_the_column_is_centred_and_no_wider_than_640px(
    browser: Browser, digest_file: Path
) -> None:
    page = open_digest(browser, digest_file, DESKTOP)
    box = page.locator(".page").bounding_box()
    assert box is not None
    assert box["width"] == 640
    assert abs(box["x"] - (DESKTOP - 640) / 2) <= 1
    assert page.evaluate(OVERFLOWING) == []


def test_feed_markup_shows_as_text_and_runs_nothing(
    browser: Browser, digest_file: Path
) -> None:
    page = open_digest(browser, digest_file, PHONE)
    assert page.evaluate("document.querySelectorAll('script, img, iframe, form, input').length") \
        == 0
    assert page.title().startswith("Welfare bill")
    assert page.get_by_text('<img src=x onerror="document.title=1">', exact=False).count() == 1
    hrefs = page.evaluate("[...document.links].map(a => a.getAttribute('href'))")
    assert hrefs and all(href.startswith(("https://", "http://")) for href in hrefs)


def test_styles_reach_the_page_without_a_style_sheet(
    browser: Browser, digest_file: Path
) -> None:
    page = open_digest(browser, digest_file, PHONE)
    assert page.evaluate("document.styleSheets.length") == 0
    heading = page.locator("h2.watch").first
    assert heading.evaluate("e => getComputedStyle(e).borderBottomColor") == "rgb(198, 70, 0)"
    first_timeline = page.locator("table.bars").first.locator("div.bar")
    bars = first_timeline.evaluate_all("els => els.map(e => e.offsetWidth)")
    assert bars == sorted(bars) and bars[0] < bars[-1]
