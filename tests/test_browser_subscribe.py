"""A real headless Chromium subscribes through the page and confirms through the emailed link.

Needs Debian's ``chromium`` (/usr/bin/chromium) and the ``playwright`` package; Playwright's own
browser downloads are never used. Screenshots at phone and desktop widths go to tests/artifacts/.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from alerts.web import unsubscribe_url
from tests.browser import ARTIFACTS, DESKTOP, PHONE, needs_chromium
from tests.smtpserver import SmtpServer
from tests.test_web import SECRET, START, Web, confirm_link, start, stop

pytestmark = needs_chromium


@pytest.fixture
def site(tmp_path: Path, smtp_server: SmtpServer) -> Iterator[Web]:
    web = start(tmp_path, smtp_server)
    yield web
    stop(web)


def open_page(browser: Browser, url: str) -> tuple[Page, list[str]]:
    """A fresh page at ``url`` at phone width, and the console and script errors it logs."""
    page = browser.new_context(viewport={"width": PHONE, "height": 844}).new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(url)
    return page, problems


def blocked(problems: list[str]) -> list[str]:
    return [p for p in problems if "Content Security Policy" in p or "Refused" in p]


def shoot(page: Page, name: str) -> None:
    """Screenshots at both widths; the page must fit a phone without sideways scrolling."""
    ARTIFACTS.mkdir(exist_ok=True)
    for label, width in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size({"width": width, "height": 844 if width == PHONE else 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name
        page.screenshot(path=str(ARTIFACTS / f"{name}-{label}.png"), full_page=True)


def test_a_reader_subscribes_and_confirms_in_a_real_browser(
    site: Web, browser: Browser,
) -> None:
    page, problems = open_page(browser, site.server.url + "/")
    shoot(page, "subscribe")
    page.fill("#email", "browser.reader@example.org")
    page.check('input[name="watch"][value="welfare-bill"]')
    page.click('button[type="submit"]')
    page.wait_for_selector("text=Check your inbox")
    shoot(page, "check-inbox")

    [message] = site.smtp.messages
    assert str(message["To"]) == "browser.reader@example.org"
    page.goto(confirm_link(message))
    assert site.status("browser.reader@example.org") == "pending"
    button = page.locator('button[type="submit"]')
    assert button.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(26, 95, 180)"
    shoot(page, "confirm")
    button.click()
    page.wait_for_selector("text=You are subscribed")
    shoot(page, "confirmed")

    assert site.status("browser.reader@example.org") == "active"
    assert site.watches("browser.reader@example.org") == ("welfare-bill",)
    assert len(site.smtp.messages) == 1
    assert not blocked(problems)


def test_a_reader_leaves_with_the_button_on_the_unsubscribe_page(
    site: Web, browser: Browser,
) -> None:
    reader = "reader@example.org"
    page, problems = open_page(browser, unsubscribe_url(site.config, SECRET, reader))
    assert site.status(reader) == "active"
    shoot(page, "unsubscribe")
    page.click('button[type="submit"]')
    page.wait_for_selector("text=You are unsubscribed")
    assert site.status(reader) == "unsubscribed"
    assert not blocked(problems)


EDITION = """<h2 style="margin:24px 0 8px;font-size:20px">welfare-bill</h2>
<h3 style="margin:16px 0 6px;font-size:13px;color:#5e5c64">What changed</h3>
<ul style="margin:0;padding:0 0 0 20px"><li><strong>More than 120 Labour MPs signed the
amendment</strong>, up from 42 — first reported by
<a href="https://example.org/politics/rebels" style="color:#1a5fb4">Loopback Politics</a></li></ul>
<table role="presentation" style="width:100%;border-collapse:collapse;font-size:14px">
<tr><td style="width:1%;white-space:nowrap;padding:2px 8px 2px 0">2 Jun</td>
<td><div style="width:35%;height:12px;background:#c64600"></div></td><td>42</td></tr>
<tr><td style="width:1%;white-space:nowrap;padding:2px 8px 2px 0">3 Jun</td>
<td><div style="width:100%;height:12px;background:#c64600"></div></td><td>120</td></tr>
</table>
<p style="margin:0;font-size:17px;font-weight:bold">A very long headline about the welfare bill
vote that has to wrap on a narrow phone screen without pushing the page sideways at all</p>"""


def test_an_archived_edition_reads_well_under_its_sandbox(site: Web, browser: Browser) -> None:
    edition_id = site.store.add_edition("welfare-bill", date(2025, 6, 3), EDITION, "", START)
    page, problems = open_page(browser, f"{site.server.url}/archive/welfare-bill")
    page.click("text=3 June 2025")
    page.wait_for_url(f"**/archive/welfare-bill/{edition_id}")
    bar = page.locator("td div").last
    assert bar.evaluate("d => getComputedStyle(d).backgroundColor") == "rgb(198, 70, 0)"
    shoot(page, "edition")
    assert not blocked(problems)
