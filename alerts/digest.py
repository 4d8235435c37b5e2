"""The digest, wiring the store to rendering and delivery. Reads like its data flow:

digest: developments since each subscriber's last digest → render → outbox → send → mark sent

Everyone following the same watches with the same news gets the same rendering (done once; only
the address and the unsubscribe link differ). Each message is recorded in the outbox before it is
sent, and sent over a few SMTP connections with retries; a crash resumes what was not sent.
Templates and mail code are loaded only when there is something to send.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from alerts.claims import Worker, release_dead_claims, worker_for
from alerts.config import Config, MailSettings
from alerts.models import (
    CountChange,
    Digest,
    DigestArticle,
    Subscriber,
    Timeline,
    WatchDigest,
)
from alerts.novelty import count_key
from alerts.store import Store

if TYPE_CHECKING:
    import jinja2

    from alerts.delivery import Outcome
    from alerts.mail import OutboxTransport, SmtpTransport
    from alerts.render import RenderedSections

log = logging.getLogger("alerts.digest")
ARTICLES_PER_WATCH = 30
BOUNCES_BEFORE_FAILING = 3
RETRIES = 2
BACKOFF = (0.5, 2.0)


@dataclass
class DigestSummary:
    built: int = 0
    sent: int = 0
    failed: dict[str, str] = field(default_factory=dict)
    previews: list[bytes] = field(default_factory=list)


def build_digest(config: Config, store: Store, subscriber: Subscriber, since: datetime | None,
                 until: datetime) -> Digest:
    known = {w.name for w in config.watches}
    sections = tuple(
        section for name in subscriber.watches if name in known
        if not (section := watch_digest(config, store, name, since, until)).empty
    )
    day = until.astimezone(config.schedule.timezone).date()
    return Digest(recipient=subscriber.email, day=day, sections=sections)


def watch_digest(config: Config, store: Store, watch: str, since: datetime | None,
                 until: datetime) -> WatchDigest:
    """What is new for one watch in the window: changed counts with their timelines, new
    statements, and the articles, one entry per story however many outlets carried it."""
    from alerts.stories import group_stories

    rows = store.count_rows(watch, since, until)
    changes = []
    timelines: dict[tuple[str, str], Timeline] = {}
    for row in rows:
        if row.verdict != "new" or not row.count.rebel:
            continue
        key = count_key(row.count)
        echoes = sum(
            1 for r in rows if r.verdict == "corroboration" and count_key(r.count) == key
        )
        changes.append(CountChange(row.count, row.previous, row.source, echoes))
        if key not in timelines:
            timelines[key] = store.timeline(watch, key, row.count.group, row.count.action,
                                            config.schedule.timezone)
    articles = [
        DigestArticle(title=s.article.title, link=s.article.link, outlet=s.outlet,
                      published=s.article.published, summary=s.article.summary)
        for s in store.matched_articles(watch, since, until, 4 * ARTICLES_PER_WATCH)
    ]
    return WatchDigest(
        watch=watch, counts=tuple(changes),
        timelines=tuple(t for t in timelines.values() if len(t.points) > 1),
        statements=tuple(store.new_statements(watch, since, until)),
        articles=group_stories(articles)[:ARTICLES_PER_WATCH],
    )


def make_transport(mail: MailSettings) -> SmtpTransport | OutboxTransport:
    from alerts.mail import OutboxTransport, SmtpTransport

    if mail.transport == "outbox":
        return OutboxTransport(mail.outbox_dir)
    return SmtpTransport(
        host=mail.host, port=mail.port, security=mail.security,
        username=mail.username, password=mail.password,
    )


def send_digests(config: Config, store: Store, now: datetime | None = None, *,
                 force: bool = False, dry_run: bool = False,
                 worker: Worker | None = None) -> DigestSummary:
    """Build the digests due now, record each in the outbox, then deliver every pending one.

    Without ``force`` this is the daily run: once per local day (a run cut short by a crash is
    finished by the next one, and no subscriber gets two). ``force`` (``alerts digest --now``)
    sends whatever is pending whatever the hour. ``dry_run`` builds and records nothing.
    """
    now = now or datetime.now(UTC)
    summary = DigestSummary()
    store.sync_subscribers(config.subscribers)
    composer: Composer | None = None
    day = now.astimezone(config.schedule.timezone).date()
    scheduled = not (force or dry_run)
    for subscriber, since in store.active_subscribers():
        if scheduled and (store.digest_ran(day) or store.has_digest(subscriber.email, day)):
            continue
        digest = build_digest(config, store, subscriber, since, now)
        if not digest.sections:
            continue
        composer = composer or Composer(config, store)
        message = composer.message(digest, now)
        summary.built += 1
        if dry_run:
            summary.previews.append(message)
        else:
            store.enqueue_digest(subscriber.email, day, message, now, now, scheduled=scheduled)
    if scheduled and not store.digest_ran(day):
        keep_editions(config, store, composer or Composer(config, store), day, now)
        store.record_digest_run(day, now)
    if not dry_run:
        deliver_pending(config, store, now, summary, worker or worker_for(config))
    return summary


class Composer:
    """Turns digests into wire-ready messages, rendering each watch set's news once."""

    def __init__(self, config: Config, store: Store) -> None:
        from alerts.render import make_environment

        self.config = config
        self.env: jinja2.Environment = make_environment()
        self.secret = _web_secret(config, store)
        self.shared: dict[tuple[WatchDigest, ...], RenderedSections] = {}

    def message(self, digest: Digest, now: datetime) -> bytes:
        from alerts.mail import message_bytes, sign_dkim
        from alerts.render import render_digest, render_digest_from, render_sections

        config = self.config
        archive, unsubscribe = _reader_links(config, self.secret, digest.recipient)
        if unsubscribe is None:
            rendered = render_digest(self.env, digest)
        else:
            shared = self.shared.get(digest.sections)
            if shared is None:
                shared = render_sections(self.env, digest.sections, digest.day,
                                         archive_url=archive)
                self.shared[digest.sections] = shared
            rendered = render_digest_from(shared, digest, unsubscribe_url=unsubscribe)
        data = message_bytes(rendered, sender=config.mail.sender, recipient=digest.recipient,
                             unsubscribe_url=unsubscribe, date=now)
        dkim = config.mail.dkim
        return data if dkim is None else sign_dkim(data, dkim.selector, dkim.domain,
                                                   dkim.private_key)


def _web_secret(config: Config, store: Store) -> str:
    """The key of the unsubscribe links; none is needed when the web pages are not served."""
    if not config.web.enabled:
        return ""
    from alerts.web import secret_for

    return secret_for(config, store)


def _reader_links(config: Config, secret: str, email: str) -> tuple[str | None, str | None]:
    """The archive and one-click unsubscribe links, when the web pages are served."""
    if not config.web.enabled:
        return None, None
    from alerts.web import unsubscribe_url

    return f"{config.web.public_url}/archive", unsubscribe_url(config, secret, email)


def keep_editions(config: Config, store: Store, composer: Composer, day: date,
                  now: datetime) -> None:
    """The day's news of each watch, kept for the web archive."""
    from alerts.render import render_digest

    for watch in config.watches:
        section = watch_digest(config, store, watch.name, now - timedelta(days=1), now)
        if not section.empty:
            rendered = render_digest(composer.env, Digest("", day, (section,)))
            store.add_edition(watch.name, day, rendered.html, rendered.text, now)


def deliver_pending(config: Config, store: Store, now: datetime, summary: DigestSummary,
                    worker: Worker) -> None:
    """Send every digest recorded in the outbox and not yet sent (also after a crash), each
    taken under a lease so that two replicas never send the same one, over a few connections."""
    release_dead_claims(store)
    entries = store.claim_pending(worker.owner, now, worker.lease)
    if not entries:
        return
    from alerts.delivery import Job, deliver
    from alerts.mail import to_crlf

    def record(outcome: Outcome) -> None:
        if outcome.sent:
            store.mark_sent(outcome.job_id, now)
            summary.sent += 1
            log.info("digest.sent recipient=%s attempts=%d", outcome.recipient, outcome.attempts)
            return
        log.warning("digest.failed recipient=%s permanent=%s error=%r", outcome.recipient,
                    outcome.permanent, outcome.reason)
        store.mark_failed(outcome.job_id, outcome.reason, permanent=outcome.permanent)
        summary.failed[outcome.recipient] = outcome.reason
        if outcome.permanent:
            store.record_bounce(outcome.recipient, outcome.reason, limit=BOUNCES_BEFORE_FAILING)

    jobs = [Job(e.id, e.recipient, to_crlf(e.message)) for e in entries]
    deliver(jobs, lambda: make_transport(config.mail), connections=config.mail.connections,
            retries=RETRIES, backoff=BACKOFF, on_outcome=record)
