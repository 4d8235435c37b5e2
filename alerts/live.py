"""The running service's config: reloaded when the file changes, the last good one kept on error.

    live = LiveConfig(path)          # raises ConfigError: a bad file at start is fatal
    live.check()                     # True when a changed, valid file was applied
    live.current, live.error         # the config in force; the last reload's problem, if any
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from alerts.config import Config, load_config
from alerts.errors import ConfigError

log = logging.getLogger("alerts.config")


class LiveConfig:
    def __init__(self, path: Path, environ: Mapping[str, str] | None = None) -> None:
        self.path = path
        self._environ = os.environ if environ is None else environ
        self._lock = threading.Lock()
        self._digest = self._fingerprint()
        self._current = load_config(path, self._environ)
        self.loaded_at = datetime.now(UTC)
        self.error: str | None = None

    @property
    def current(self) -> Config:
        with self._lock:
            return self._current

    def _fingerprint(self) -> str:
        try:
            return hashlib.sha256(self.path.read_bytes()).hexdigest()
        except OSError as exc:
            return f"unreadable: {exc.strerror}"

    def check(self) -> bool:
        """Reload if the file's content changed; keep the last good config when it is bad."""
        fingerprint = self._fingerprint()
        if fingerprint == self._digest:
            return False
        self._digest = fingerprint
        try:
            config = load_config(self.path, self._environ)
        except ConfigError as exc:
            self.error = str(exc)
            log.error("config.rejected path=%s error=%r keeping=last-good", self.path, str(exc))
            return False
        with self._lock:
            self._current = config
        self.loaded_at = datetime.now(UTC)
        self.error = None
        log.info("config.reloaded path=%s feeds=%d watches=%d subscribers=%d", self.path,
                 len(config.feeds), len(config.watches), len(config.subscribers))
        return True

    def health(self) -> dict[str, object]:
        return {"path": str(self.path), "loaded_at": self.loaded_at.isoformat(),
                "error": self.error}
