"""`alerts run`: the long-running service. Polls, digests, serves the subscription pages, health
and metrics, and picks up config edits live.

Every job reads the config in force when it starts, so an edit applies from the next run; a bad
edit keeps the last good config (LiveConfig) and is reported in the log and on /healthz.
"""

from __future__ import annotations

import logging
import threading
import uuid

from apscheduler.schedulers.background import BackgroundScheduler

from alerts.claims import worker_for
from alerts.clock import Clock
from alerts.config import Config
from alerts.digest import make_transport, send_digests
from alerts.errors import ConfigError, SendError
from alerts.live import LiveConfig
from alerts.mail import build_message
from alerts.metrics import Metrics
from alerts.operator import operator_report, render_operator
from alerts.pipeline import poll
from alerts.render import make_environment
from alerts.scheduler import (
    digest_due,
    digest_trigger,
    guarded,
    make_scheduler,
    poll_trigger,
    run_until_stopped,
)
from alerts.store import Store
from alerts.web import WebServer, make_app, serve

log = logging.getLogger("alerts.service")
RELOAD_EVERY = 2.0


class Service:
    """One replica: any number may run against one database; they share the work through it."""

    def __init__(self, live: LiveConfig, store: Store, clock: Clock | None = None) -> None:
        self.live = live
        self.store = store
        self.clock = clock or Clock()
        self.stop = threading.Event()
        self.worker = worker_for(live.current, shared=True, clock=self.clock)
        self.metrics = Metrics(store)
        self.scheduler = self._schedule(live.current)

    def _schedule(self, config: Config) -> BackgroundScheduler:
        scheduler = make_scheduler(config, guarded("poll", self.poll_job),
                                   guarded("digest", self.digest_job), self.clock)
        scheduler.add_job(guarded("reload", self.reload_job), "interval", seconds=RELOAD_EVERY,
                          id="reload", name="watch the config file", coalesce=True,
                          max_instances=1, executor="side")
        return scheduler

    def poll_job(self) -> None:
        config = self.live.current
        done = poll(config, self.store, self.clock.now(), worker=self.worker)
        self.metrics.poll_done(fetched=done.fetched, not_modified=done.not_modified,
                               failed=len(done.failed))
        now = self.clock.now()
        today = now.astimezone(config.schedule.timezone).date()
        if digest_due(config, now) and not self.store.digest_ran(today):
            log.info("digest.catch_up day=%s", today)
            self.digest_job()

    def digest_job(self) -> None:
        config = self.live.current
        done = send_digests(config, self.store, now=self.clock.now(), worker=self.worker)
        self.metrics.emails("digest", sent=done.sent, failed=len(done.failed))
        self.operator_summary(config)

    def operator_summary(self, config: Config) -> None:
        """Once a day (whichever replica gets there first), tell the operators what is broken."""
        now = self.clock.now()
        day = now.astimezone(config.schedule.timezone).date()
        if not config.operators:
            return
        mine = f"{self.worker.owner}/{uuid.uuid4().hex}"
        if self.store.setting(f"operator-summary:{day.isoformat()}", mine) != mine:
            return  # sent today already, by this replica or another
        report = operator_report(day, self.store.feed_states([f.url for f in config.feeds]),
                                 self.store.digest_counts(), self.store.subscribers_by_status())
        if report is None:
            return
        rendered = render_operator(make_environment(), report)
        transport = make_transport(config.mail)
        for address in config.operators:
            try:
                transport.send(build_message(rendered, sender=config.mail.sender,
                                             recipient=address))
            except SendError as exc:
                log.error("operator.summary_failed recipient=%s error=%r", address, exc.reason)
        log.info("operator.summary day=%s problems=%d", day, report.problems)

    def reload_job(self) -> None:
        before = self.live.current.schedule
        if self.live.check() and self.live.current.schedule != before:
            self._reschedule(self.live.current)

    def _reschedule(self, config: Config) -> None:
        self.scheduler.reschedule_job("poll", trigger=poll_trigger(config, self.clock))
        self.scheduler.reschedule_job("digest", trigger=digest_trigger(config))
        log.info("schedule.changed poll_every=%s digest_at=%s timezone=%s",
                 config.schedule.poll_every, config.schedule.digest_at, config.schedule.timezone)

    def run(self) -> None:
        config = self.live.current
        log.info("service.starting config=%s feeds=%d subscribers=%d", self.live.path,
                 len(config.feeds), len(config.subscribers))
        server = self._serve_web(config) if config.web.enabled else None
        try:
            run_until_stopped(self.scheduler, self.stop)
        finally:
            if server is not None:
                server.stop()

    def _serve_web(self, config: Config) -> WebServer:
        app = make_app(lambda: self.live.current, self.store,
                       lambda: make_transport(self.live.current.mail), self.clock.now,
                       metrics=self.metrics, health_extra=self.live.health)
        try:
            return serve(app, config.web.host, config.web.port)
        except OSError as exc:
            raise ConfigError(str(self.live.path), "web.port", str(exc),
                              "choose a free port, or set [web] enabled = false") from None
