"""What an editor does: check a config, try a rule on stored articles, move feeds in OPML,
and edit the config of a running service."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from alerts.cli import main
from alerts.live import LiveConfig
from alerts.models import Article, Feed
from alerts.opml import OpmlError, feeds_toml, read_opml, write_opml
from alerts.store import Store
from tests.test_config import MINIMAL, write

NOW = datetime(2025, 6, 24, 6, 0, tzinfo=UTC)


def with_storage(tmp_path: Path, text: str = MINIMAL) -> Path:
    return write(tmp_path, text + f'\n[storage]\nurl = "sqlite:///{tmp_path / "a.db"}"\n')


def test_rules_test_lists_matching_stored_articles_with_terms_highlighted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    path = with_storage(tmp_path)
    store = Store(f"sqlite:///{tmp_path / 'a.db'}")
    store.add_articles([
        Article("guid:1", "https://x.example/rss", "Rebels defy whips over welfare bill",
                "https://x.example/1", NOW, "Cuts to PIP anger MPs."),
        Article("guid:2", "https://x.example/rss", "Rail timetable changes", "https://x.example/2",
                NOW, "Trains."),
    ], NOW)
    store.close()
    assert main(["--config", str(path), "rules", "test"]) == 0
    out = capsys.readouterr().out
    assert "welfare-bill: 1 of the 2 most recent articles match" in out
    assert "Rebels defy whips over [welfare bill]" in out
    assert "matched: welfare bill, PIP" in out
    assert "Rail timetable" not in out


def test_rules_test_names_the_watches_when_asked_for_an_unknown_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--config", str(with_storage(tmp_path)), "rules", "test", "nope"]) == 2
    assert "try one of: welfare-bill" in capsys.readouterr().err


OPML = b"""<?xml version="1.0"?><opml version="2.0"><head><title>mine</title></head><body>
<outline text="Politics"><outline type="rss" text="Wire &amp; Co" xmlUrl="https://wire.example/rss"/>
<outline type="rss" title="Already" xmlUrl="https://example.org/rss.xml"/>
<outline type="rss" text="Not a feed" xmlUrl="javascript:alert(1)"/></outline></body></opml>"""


def test_opml_import_appends_new_feeds_and_keeps_the_comments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    path = write(tmp_path, "# my precious comment\n" + MINIMAL)
    opml = tmp_path / "feeds.opml"
    opml.write_bytes(OPML)
    assert main(["--config", str(path), "feeds", "import", str(opml)]) == 0
    assert "added 1 of the 2 feeds" in capsys.readouterr().out
    text = path.read_text("utf-8")
    assert text.startswith("# my precious comment")
    assert main(["--config", str(path), "feeds", "export"]) == 0
    exported = read_opml(capsys.readouterr().out.encode())
    assert [(f.url, f.name) for f in exported] == [
        ("https://example.org/rss.xml", "example.org"), ("https://wire.example/rss", "Wire & Co")]


def test_opml_round_trips_awkward_names() -> None:
    feeds = [Feed("https://a.example/rss?x=1&y=2", 'The "Quoted" <Outlet>')]
    assert read_opml(write_opml(feeds).encode()) == feeds
    assert 'name = "The \\"Quoted\\" <Outlet>"' in feeds_toml(feeds)


@pytest.mark.parametrize("data", [b"not xml", b"<html></html>",
                                  b'<!DOCTYPE x [<!ENTITY a "aaaa">]><opml>&a;</opml>'])
def test_opml_rejects_what_is_not_a_feed_list(data: bytes) -> None:
    with pytest.raises(OpmlError):
        read_opml(data)


def test_a_good_edit_is_applied_and_a_bad_one_keeps_the_last_good_config(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, MINIMAL)
    live = LiveConfig(path, {})
    assert live.check() is False
    path.write_text(MINIMAL.replace('"PIP"]', '"PIP", "benefit cuts"]'), "utf-8")
    assert live.check() is True
    assert "benefit cuts" in live.current.watches[0].any
    path.write_text(MINIMAL.replace("any =", "anyy ="), "utf-8")
    assert live.check() is False
    assert "benefit cuts" in live.current.watches[0].any
    assert live.error is not None and "watches[0].anyy" in live.error
    assert live.health()["error"] == live.error
    path.write_text(MINIMAL, "utf-8")
    assert live.check() is True and live.error is None


def test_check_config_warns_about_a_watch_nobody_follows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    path = write(tmp_path, MINIMAL + '\n[[watches]]\nname = "rail"\nany = ["railway"]\n')
    assert main(["--config", str(path), "check-config"]) == 0
    assert "no subscriber in the file follows watch 'rail'" in capsys.readouterr().out
    assert main(["--config", str(path), "check-config", "--strict"]) == 1
