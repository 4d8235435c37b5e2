"""Load and check the TOML config. Every problem names the file, the key and the fix.

Only ``[[feeds]]``, ``[[watches]]`` and ``[[subscribers]]`` are required; every other section has
defaults. Secrets (SMTP credentials) come from the environment, never from the file.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import time, timedelta
from pathlib import Path
from typing import Any, Literal, TypeVar, cast
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from alerts.errors import ConfigError
from alerts.models import Feed, Subscriber, Watch

PACKAGE_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CONFIG = Path("config/alerts.toml")
ENV_CONFIG = "ALERTS_CONFIG"
ENV_SMTP_USERNAME = "ALERTS_SMTP_USERNAME"
ENV_SMTP_PASSWORD = "ALERTS_SMTP_PASSWORD"
ENV_SECRET = "ALERTS_SECRET"
ENV_DKIM_KEY_FILE = "ALERTS_DKIM_KEY_FILE"

Transport = Literal["smtp", "outbox"]
Security = Literal["none", "starttls", "tls"]


@dataclass(frozen=True)
class Schedule:
    poll_every: timedelta = timedelta(minutes=15)
    digest_at: time = time(7, 0)
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/London"))


@dataclass(frozen=True)
class MailSettings:
    transport: Transport = "outbox"
    host: str = ""
    port: int = 25
    sender: str = "alerts@localhost"
    security: Security = "none"
    outbox_dir: Path = Path("outbox")
    username: str | None = None
    password: str | None = None
    connections: int = 4
    dkim: DkimSettings | None = None


@dataclass(frozen=True)
class DkimSettings:
    selector: str
    domain: str
    private_key: bytes = field(repr=False)


@dataclass(frozen=True)
class FetchSettings:
    concurrency: int = 100
    per_host: int = 100
    timeout: float = 20.0
    pages: bool = True
    allow_private: bool = False


@dataclass(frozen=True)
class WebSettings:
    """The subscription pages, health and metrics, served by `alerts run`."""

    enabled: bool = True
    host: str = "127.0.0.1"
    port: int = 8080
    base_url: str = ""
    secret: str | None = None

    @property
    def public_url(self) -> str:
        return (self.base_url or f"http://{self.host}:{self.port}").rstrip("/")


@dataclass(frozen=True)
class Config:
    path: Path
    feeds: tuple[Feed, ...]
    watches: tuple[Watch, ...]
    subscribers: tuple[Subscriber, ...]
    schedule: Schedule
    mail: MailSettings
    fetch: FetchSettings
    storage_url: str
    web: WebSettings = field(default_factory=WebSettings)
    operators: tuple[str, ...] = ()

    def watch(self, name: str) -> Watch:
        return next(w for w in self.watches if w.name == name)

    def fetch_cycle(self) -> float:
        """Seconds a whole poll's fetching may take: well inside the poll interval."""
        return min(300.0, 0.8 * self.schedule.poll_every.total_seconds())

    def fetch_deadline(self) -> float:
        """Seconds one fetch may take, body included."""
        return min(self.fetch.timeout * 3, self.fetch_cycle())


SECTIONS = {"feeds", "watches", "subscribers", "schedule", "mail", "storage", "fetch", "web",
            "operator"}
KEYS = {
    "feeds": {"url", "name"},
    "watches": {"name", "any", "all", "none"},
    "subscribers": {"email", "watches"},
    "schedule": {"poll_every", "digest_at", "timezone"},
    "mail": {"transport", "host", "port", "from", "outbox_dir", "security", "connections",
             "dkim_selector", "dkim_domain"},
    "storage": {"url"},
    "fetch": {"concurrency", "per_host", "timeout", "pages", "allow_private"},
    "web": {"enabled", "host", "port", "base_url"},
    "operator": {"emails"},
}
_DURATION = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
_EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$")
T = TypeVar("T")


def config_path(explicit: str | None, environ: Mapping[str, str]) -> Path:
    """The file to read: --config, else $ALERTS_CONFIG, else config/alerts.toml here or shipped."""
    if explicit:
        return Path(explicit)
    if environ.get(ENV_CONFIG):
        return Path(environ[ENV_CONFIG])
    if DEFAULT_CONFIG.exists():
        return DEFAULT_CONFIG
    return PACKAGE_ROOT / DEFAULT_CONFIG


def load_config(path: Path, environ: Mapping[str, str] | None = None) -> Config:
    environ = os.environ if environ is None else environ
    return parse_config(read_toml(path), str(path), environ, path)


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(
            str(path), "", "file not found",
            f"create it (copy config/alerts.toml) or point --config / ${ENV_CONFIG} at your file",
        ) from None
    except OSError as exc:
        raise ConfigError(str(path), "", f"cannot read: {exc.strerror}", "check the path") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            str(path), "", f"not valid TOML: {exc}",
            "fix the syntax at that line: strings need quotes, lists use [ ], tables [name]",
        ) from None


def parse_config(
    data: Mapping[str, Any], where: str, environ: Mapping[str, str], path: Path | None = None
) -> Config:
    """Check a parsed TOML document and build a Config, or raise the first ConfigError."""
    _check_keys(data, SECTIONS, "", where)
    for section in ("schedule", "mail", "storage", "fetch", "web", "operator"):
        _check_table(data.get(section, {}), section, where)
    feeds = _feeds(_array(data, "feeds", where), where)
    watches = _watches(_array(data, "watches", where), where)
    subscribers = _subscribers(_array(data, "subscribers", where), watches, where)
    return Config(
        path=path or Path(where),
        feeds=feeds,
        watches=watches,
        subscribers=subscribers,
        schedule=_schedule(data.get("schedule", {}), where),
        mail=_mail(data.get("mail", {}), environ, where),
        fetch=_fetch(data.get("fetch", {}), where),
        storage_url=_storage(data.get("storage", {}), where),
        web=_web(data.get("web", {}), environ, where),
        operators=_operators(data.get("operator", {}), where),
    )


def _fail(where: str, key: str, problem: str, fix: str) -> ConfigError:
    return ConfigError(where, key, problem, fix)


def _check_keys(table: Mapping[str, Any], allowed: set[str], prefix: str, where: str) -> None:
    for key in table:
        if key not in allowed:
            near = difflib.get_close_matches(key, sorted(allowed), n=1)
            hint = f"did you mean '{near[0]}'? " if near else ""
            raise _fail(
                where, prefix + key, f"unknown key '{key}'",
                f"{hint}allowed here: {', '.join(sorted(allowed))}",
            )


def _check_table(value: Any, section: str, where: str) -> None:
    if not isinstance(value, dict):
        raise _fail(where, section, "must be a table", f"write it as [{section}] with keys below")
    _check_keys(value, KEYS[section], f"{section}.", where)


def _array(data: Mapping[str, Any], section: str, where: str) -> list[dict[str, Any]]:
    items = data.get(section)
    if items is None:
        raise _fail(where, section, "missing", f"add at least one [[{section}]] table")
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise _fail(where, section, "must be an array of tables", f"write each as [[{section}]]")
    if not items:
        raise _fail(where, section, "is empty", f"add at least one [[{section}]] table")
    for index, item in enumerate(items):
        _check_keys(item, KEYS[section], f"{section}[{index}].", where)
    return cast(list[dict[str, Any]], items)


def _get(
    table: Mapping[str, Any], key: str, kind: type[T], label: str, where: str,
    default: T | None = None, example: str = "",
) -> T:
    value = table.get(key, default)
    if value is None:
        raise _fail(where, label, "missing", f"add {key} = {example or kind.__name__}")
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise _fail(
            where, label, f"must be a {kind.__name__}, not {type(value).__name__}",
            f"write it like {key} = {example or kind.__name__}",
        )
    return value


def _terms(table: Mapping[str, Any], key: str, label: str, where: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(
            where, label, "must be a list of non-empty strings",
            f'write it like {key} = ["welfare bill", "PIP"]',
        )
    return tuple(v.strip() for v in value)


def _feeds(items: list[dict[str, Any]], where: str) -> tuple[Feed, ...]:
    feeds: dict[str, Feed] = {}
    for i, item in enumerate(items):
        label = f"feeds[{i}].url"
        url = _get(item, "url", str, label, where, example='"https://example.org/rss.xml"')
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise _fail(
                where, label, f"'{url}' is not an http(s) URL",
                'write a full address like url = "https://www.theguardian.com/politics/rss"',
            )
        if url in feeds:
            raise _fail(where, label, f"'{url}' is listed twice", "remove the duplicate [[feeds]]")
        name = _get(item, "name", str, f"feeds[{i}].name", where, default=parts.hostname)
        feeds[url] = Feed(url=url.strip(), name=name)
    return tuple(feeds.values())


def _watches(items: list[dict[str, Any]], where: str) -> tuple[Watch, ...]:
    watches: dict[str, Watch] = {}
    for i, item in enumerate(items):
        name = _get(item, "name", str, f"watches[{i}].name", where, example='"welfare-bill"')
        if name in watches:
            raise _fail(where, f"watches[{i}].name", f"'{name}' is used twice", "rename one")
        any_terms = _terms(item, "any", f"watches[{i}].any", where)
        if not any_terms:
            raise _fail(
                where, f"watches[{i}].any", "missing or empty: the watch would match nothing",
                'add any = ["a term", "a phrase"]',
            )
        watches[name] = Watch(
            name=name,
            any=any_terms,
            all=_terms(item, "all", f"watches[{i}].all", where),
            none=_terms(item, "none", f"watches[{i}].none", where),
        )
    return tuple(watches.values())


def _subscribers(
    items: list[dict[str, Any]], watches: tuple[Watch, ...], where: str
) -> tuple[Subscriber, ...]:
    known = [w.name for w in watches]
    subscribers: dict[str, Subscriber] = {}
    for i, item in enumerate(items):
        label = f"subscribers[{i}].email"
        email = _get(item, "email", str, label, where, example='"reader@example.org"').strip()
        if not _EMAIL.match(email):
            raise _fail(where, label, f"'{email}' is not an email address", 'write "name@domain"')
        if email.lower() in subscribers:
            raise _fail(where, label, f"'{email}' is listed twice", "merge the two entries")
        names = _terms(item, "watches", f"subscribers[{i}].watches", where)
        for name in names:
            if name not in known:
                near = difflib.get_close_matches(name, known, n=1)
                hint = f"did you mean '{near[0]}'? " if near else ""
                raise _fail(
                    where, f"subscribers[{i}].watches", f"no watch is named '{name}'",
                    f"{hint}use one of: {', '.join(known)}",
                )
        if not names:
            raise _fail(
                where, f"subscribers[{i}].watches", "missing or empty",
                f"add watches = [\"{known[0]}\"]",
            )
        subscribers[email.lower()] = Subscriber(email=email, watches=names)
    return tuple(subscribers.values())


def parse_duration(text: str) -> timedelta | None:
    match = _DURATION.match(text.strip())
    if not text.strip() or not match:
        return None
    days, hours, minutes, seconds = (int(g or 0) for g in match.groups())
    return timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)


def _schedule(table: Mapping[str, Any], where: str) -> Schedule:
    every_text = _get(table, "poll_every", str, "schedule.poll_every", where, "15m", '"15m"')
    every = parse_duration(every_text)
    if every is None or every < timedelta(seconds=10):
        raise _fail(
            where, "schedule.poll_every", f"'{every_text}' is not a duration of 10s or more",
            'write a number and a unit: "30s", "15m", "1h", "1h30m"',
        )
    at_text = _get(table, "digest_at", str, "schedule.digest_at", where, "07:00", '"07:00"')
    try:
        at = time.fromisoformat(at_text)
    except ValueError:
        raise _fail(
            where, "schedule.digest_at", f"'{at_text}' is not a time of day",
            'write 24-hour HH:MM, like "07:00"',
        ) from None
    zone_text = _get(table, "timezone", str, "schedule.timezone", where, "Europe/London")
    try:
        zone = ZoneInfo(zone_text)
    except (ZoneInfoNotFoundError, ValueError):
        raise _fail(
            where, "schedule.timezone", f"'{zone_text}' is not a known time zone",
            'use an IANA name like "Europe/London" or "UTC"',
        ) from None
    return Schedule(poll_every=every, digest_at=at, timezone=zone)


def _choice(table: Mapping[str, Any], key: str, options: tuple[str, ...], default: str,
            where: str, section: str) -> str:
    value = _get(table, key, str, f"{section}.{key}", where, default, f'"{options[0]}"')
    if value not in options:
        raise _fail(
            where, f"{section}.{key}", f"'{value}' is not allowed",
            "use one of: " + ", ".join(f'"{o}"' for o in options),
        )
    return value


def _mail(table: Mapping[str, Any], environ: Mapping[str, str], where: str) -> MailSettings:
    host = _get(table, "host", str, "mail.host", where, "", '"smtp.example.org"')
    default_transport = "smtp" if host else "outbox"
    transport = _choice(table, "transport", ("smtp", "outbox"), default_transport, where, "mail")
    if transport == "smtp" and not host:
        raise _fail(
            where, "mail.host", "transport is \"smtp\" but no host is set",
            'add host = "smtp.example.org", or use transport = "outbox"',
        )
    security = _choice(table, "security", ("none", "starttls", "tls"), "none", where, "mail")
    port = _get(table, "port", int, "mail.port", where, 465 if security == "tls" else 25, "587")
    if not 0 < port < 65536:
        raise _fail(where, "mail.port", f"{port} is not a TCP port", "use a number 1-65535")
    sender = _get(table, "from", str, "mail.from", where, "alerts@localhost",
                  '"alerts@example.org"')
    outbox = _get(table, "outbox_dir", str, "mail.outbox_dir", where, "outbox", '"outbox"')
    connections = _get(table, "connections", int, "mail.connections", where, 4, "4")
    if not 1 <= connections <= 32:
        raise _fail(where, "mail.connections", f"{connections} connections is out of range",
                    "use 1 to 32 concurrent SMTP connections")
    return MailSettings(
        transport=cast(Transport, transport),
        host=host,
        port=port,
        sender=sender,
        security=cast(Security, security),
        outbox_dir=Path(outbox),
        username=environ.get(ENV_SMTP_USERNAME) or None,
        password=environ.get(ENV_SMTP_PASSWORD) or None,
        connections=connections,
        dkim=_dkim(table, environ, where),
    )


def _dkim(table: Mapping[str, Any], environ: Mapping[str, str], where: str) -> DkimSettings | None:
    """DKIM signing needs a selector, a domain and $ALERTS_DKIM_KEY_FILE — all or none."""
    selector = _get(table, "dkim_selector", str, "mail.dkim_selector", where, "", '"alerts"')
    domain = _get(table, "dkim_domain", str, "mail.dkim_domain", where, "", '"example.org"')
    key_file = environ.get(ENV_DKIM_KEY_FILE, "")
    if not (selector or domain or key_file):
        return None
    if not (selector and domain and key_file):
        raise _fail(where, "mail.dkim_selector", "DKIM needs a selector, a domain and a key",
                    f"set dkim_selector and dkim_domain in [mail] and ${ENV_DKIM_KEY_FILE} to "
                    "the private key's PEM file, or none of them")
    try:
        key = Path(key_file).read_bytes()
    except OSError as exc:
        raise _fail(where, "mail.dkim_selector", f"cannot read ${ENV_DKIM_KEY_FILE} "
                    f"({key_file}): {exc.strerror}", "point it at a readable PEM file") from None
    if b"PRIVATE KEY" not in key:
        raise _fail(where, "mail.dkim_selector", f"{key_file} holds no PEM private key",
                    "make one with: openssl genrsa -out dkim.pem 2048")
    return DkimSettings(selector=selector, domain=domain, private_key=key)


def _positive(table: Mapping[str, Any], key: str, kind: Callable[[Any], T], default: T,
              where: str) -> T:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise _fail(where, f"fetch.{key}", "must be a positive number", f"write {key} = {default}")
    return kind(value)


def _fetch(table: Mapping[str, Any], where: str) -> FetchSettings:
    defaults = FetchSettings()
    return FetchSettings(
        concurrency=_positive(table, "concurrency", int, defaults.concurrency, where),
        per_host=_positive(table, "per_host", int, defaults.per_host, where),
        timeout=_positive(table, "timeout", float, defaults.timeout, where),
        pages=_get(table, "pages", bool, "fetch.pages", where, defaults.pages, "true"),
        allow_private=_get(table, "allow_private", bool, "fetch.allow_private", where,
                           defaults.allow_private, "false"),
    )


def _web(table: Mapping[str, Any], environ: Mapping[str, str], where: str) -> WebSettings:
    defaults = WebSettings()
    port = _get(table, "port", int, "web.port", where, defaults.port, "8080")
    if not 0 <= port < 65536:
        raise _fail(where, "web.port", f"{port} is not a TCP port", "use a number 1-65535")
    base_url = _get(table, "base_url", str, "web.base_url", where, "",
                    '"https://alerts.example.org"')
    if base_url and urlsplit(base_url).scheme not in ("http", "https"):
        raise _fail(where, "web.base_url", f"'{base_url}' is not an http(s) URL",
                    'write the public address readers use, like "https://alerts.example.org"')
    return WebSettings(
        enabled=_get(table, "enabled", bool, "web.enabled", where, True, "true"),
        host=_get(table, "host", str, "web.host", where, defaults.host, '"0.0.0.0"'),
        port=port, base_url=base_url, secret=environ.get(ENV_SECRET) or None,
    )


def _operators(table: Mapping[str, Any], where: str) -> tuple[str, ...]:
    emails = _terms(table, "emails", "operator.emails", where)
    for email in emails:
        if not _EMAIL.match(email):
            raise _fail(where, "operator.emails", f"'{email}' is not an email address",
                        'write emails = ["ops@example.org"]')
    return emails


def _storage(table: Mapping[str, Any], where: str) -> str:
    url = _get(table, "url", str, "storage.url", where, "sqlite:///data/alerts.db",
               '"sqlite:///data/alerts.db"')
    if not url.startswith(("sqlite:", "postgresql:", "postgresql+")):
        raise _fail(
            where, "storage.url", f"'{url}' is not a SQLite or PostgreSQL URL",
            'use "sqlite:///data/alerts.db" or "postgresql://user@host/db"',
        )
    return url
