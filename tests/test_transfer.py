"""Moving from SQLite to PostgreSQL: everything arrives, and the new database keeps working."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from alerts.cli import main
from alerts.models import Article, Feed, Subscriber
from alerts.store import Store
from alerts.transfer import TransferError, copy_data
from tests.test_config import MINIMAL, write

NOW = datetime(2025, 6, 24, 6, 0, tzinfo=UTC)


def article(n: int) -> Article:
    return Article(f"guid:{n}", "https://example.org/rss.xml", f"Story {n}",
                   f"https://example.org/{n}", NOW, "summary")


def filled(url: str) -> Store:
    store = Store(url)
    store.sync_feeds([Feed("https://example.org/rss.xml", "Example")])
    stored = store.add_articles([article(1), article(2)], NOW)
    store.add_all_matches({stored[0].id: ["welfare-bill"]}, NOW)
    store.sync_subscribers([Subscriber("reader@example.org", ("welfare-bill",))])
    store.enqueue_digest("reader@example.org", date(2025, 6, 24), b"m", NOW, NOW, scheduled=True)
    return store


def test_copy_moves_every_row_and_the_target_takes_new_rows_after(
    tmp_path: Path, postgres_url: str,
) -> None:
    source = filled(f"sqlite:///{tmp_path / 'a.db'}")
    target = Store(postgres_url)
    copied = copy_data(source, target)
    assert (copied["articles"], copied["matches"], copied["digests"]) == (2, 1, 1)
    assert [s.article.identity for s in target.add_articles([article(2), article(3)], NOW)] == [
        "guid:3"]
    assert target.article_count() == 3
    assert target.active_subscribers()[0][0].email == "reader@example.org"
    with pytest.raises(TransferError, match="already holds data"):
        copy_data(source, target)
    source.close()
    target.close()


def test_copy_data_command_reports_what_it_copied(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    filled(f"sqlite:///{tmp_path / 'a.db'}").close()
    config = write(tmp_path, MINIMAL + f'\n[storage]\nurl = "sqlite:///{tmp_path / "a.db"}"\n')
    assert main(["--config", str(config), "copy-data", f"sqlite:///{tmp_path / 'b.db'}"]) == 0
    assert "articles 2" in capsys.readouterr().out
    assert Store(f"sqlite:///{tmp_path / 'b.db'}").article_count() == 2
