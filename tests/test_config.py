"""The config file: defaults, every kind of mistake named with its key and fix, exit status 2."""

from __future__ import annotations

import subprocess
import sys
from datetime import time, timedelta
from pathlib import Path

import pytest

from alerts.config import PACKAGE_ROOT, load_config, parse_duration
from alerts.errors import ConfigError

MINIMAL = """
[[feeds]]
url = "https://example.org/rss.xml"

[[watches]]
name = "welfare-bill"
any = ["welfare bill", "PIP"]

[[subscribers]]
email = "reader@example.org"
watches = ["welfare-bill"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "alerts.toml"
    path.write_text(text, "utf-8")
    return path


def test_minimal_config_gets_sensible_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL), {})
    assert config.schedule.poll_every == timedelta(minutes=15)
    assert config.schedule.digest_at == time(7, 0)
    assert config.schedule.timezone.key == "Europe/London"
    assert config.mail.transport == "outbox"
    assert config.storage_url == "sqlite:///data/alerts.db"
    assert config.feeds[0].name == "example.org"


def test_shipped_default_config_is_valid() -> None:
    config = load_config(PACKAGE_ROOT / "config" / "alerts.toml", {})
    assert len(config.feeds) >= 5
    assert config.watch("welfare-bill").any


def test_smtp_host_alone_means_plain_smtp_and_credentials_come_from_env(tmp_path: Path) -> None:
    text = MINIMAL + '\n[mail]\nhost = "127.0.0.1"\nport = 2525\nfrom = "a@b.org"\n'
    env = {"ALERTS_SMTP_USERNAME": "u", "ALERTS_SMTP_PASSWORD": "p"}
    mail = load_config(write(tmp_path, text), env).mail
    assert (mail.transport, mail.host, mail.port, mail.security) == ("smtp", "127.0.0.1", 2525,
                                                                     "none")
    assert (mail.username, mail.password) == ("u", "p")


@pytest.mark.parametrize(
    ("change", "key", "words"),
    [
        (MINIMAL.replace('any = ["welfare bill", "PIP"]', 'anyy = ["x"]'), "watches[0].anyy",
         "did you mean 'any'"),
        (MINIMAL.replace('watches = ["welfare-bill"]', 'watches = ["welfare-bil"]'),
         "subscribers[0].watches", "no watch is named 'welfare-bil'"),
        (MINIMAL + '[schedule]\npoll_every = 15\n', "schedule.poll_every", "must be a str"),
        (MINIMAL + '[schedule]\npoll_every = "soon"\n', "schedule.poll_every", "not a duration"),
        (MINIMAL + '[schedule]\ndigest_at = "25:00"\n', "schedule.digest_at", "not a time"),
        (MINIMAL + '[schedule]\ntimezone = "Mars/Olympus"\n', "schedule.timezone", "time zone"),
        (MINIMAL + '[mail]\ntransport = "pigeon"\n', "mail.transport", "not allowed"),
        (MINIMAL + '[mail]\ntransport = "smtp"\n', "mail.host", "no host"),
        (MINIMAL + '[mail]\npassword = "secret"\n', "mail.password", "unknown key"),
        (MINIMAL + '[storage]\nurl = "mysql://x"\n', "storage.url", "not a SQLite"),
        (MINIMAL.replace('"https://example.org/rss.xml"', '"example.org/rss"'), "feeds[0].url",
         "not an http(s) URL"),
        (MINIMAL.replace('"reader@example.org"', '"reader"'), "subscribers[0].email",
         "not an email address"),
        (MINIMAL + "[extra]\n", "extra", "unknown key"),
        (MINIMAL.split("[[subscribers]]")[0], "subscribers", "missing"),
    ],
)
def test_bad_config_names_the_key_and_the_fix(tmp_path: Path, change: str, key: str,
                                              words: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, change), {})
    assert caught.value.key == key
    assert words in str(caught.value)
    assert "fix:" in str(caught.value)
    assert str(tmp_path / "alerts.toml") in str(caught.value)


def test_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, MINIMAL + "\n[schedule\n"), {})
    assert "line" in str(caught.value)


def test_missing_file_says_how_to_fix_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "nope.toml", {})


@pytest.mark.parametrize(("text", "seconds"), [("15m", 900), ("1h30m", 5400), ("30s", 30),
                                               ("2d", 172800), ("", None), ("15 minutes", None)])
def test_durations(text: str, seconds: int | None) -> None:
    parsed = parse_duration(text)
    assert (parsed.total_seconds() if parsed else None) == seconds


def test_check_config_command_exits_2_with_one_clear_message_and_no_traceback(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, MINIMAL.replace("any =", "ani ="))
    done = subprocess.run(
        [sys.executable, "-m", "alerts.cli", "--config", str(path), "check-config"],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 2
    assert "watches[0].ani" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.count("\n") <= 3


def test_check_config_command_accepts_a_good_file(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "alerts.cli", "--config", str(write(tmp_path, MINIMAL)),
         "check-config"],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "OK" in done.stdout


def test_dkim_needs_selector_domain_and_key_together(tmp_path: Path) -> None:
    key = tmp_path / "dkim.pem"
    key.write_text("-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n")
    text = MINIMAL + '\n[mail]\ndkim_selector = "alerts"\ndkim_domain = "example.org"\n'
    dkim = load_config(write(tmp_path, text), {"ALERTS_DKIM_KEY_FILE": str(key)}).mail.dkim
    assert dkim is not None and (dkim.selector, dkim.domain) == ("alerts", "example.org")
    with pytest.raises(ConfigError, match="DKIM needs a selector, a domain and a key"):
        load_config(write(tmp_path, text), {})
    key.write_text("not a key")
    with pytest.raises(ConfigError, match="no PEM private key"):
        load_config(write(tmp_path, text), {"ALERTS_DKIM_KEY_FILE": str(key)})
