"""The exceptions `alerts` raises, all in one tree.

    AlertsError                 base of everything below
    ├── ConfigError             the config file is missing, unreadable or invalid
    ├── FetchError              a feed or page could not be fetched (``permanent`` for 404/410...)
    ├── ParseError              bytes that are not a feed at all
    └── SendError               a message could not be delivered (``permanent`` for SMTP 5xx)

"Not modified", "nothing new" and "nothing to send" are return values, never exceptions.
Only ``alerts.cli`` turns these into exit codes.
"""

from __future__ import annotations


class AlertsError(Exception):
    """Base class for every error `alerts` raises on purpose."""


class ConfigError(AlertsError):
    """The configuration is invalid. The message names the file, the key and the fix."""

    def __init__(self, path: str, key: str, problem: str, fix: str) -> None:
        self.path, self.key, self.problem, self.fix = path, key, problem, fix
        where = f"{path}: {key}: " if key else f"{path}: "
        super().__init__(f"{where}{problem}\n  fix: {fix}")


class FetchError(AlertsError):
    """A URL could not be fetched. ``permanent`` errors will not go away by retrying."""

    def __init__(self, url: str, reason: str, *, permanent: bool = False) -> None:
        self.url, self.reason, self.permanent = url, reason, permanent
        super().__init__(f"{url}: {reason}")


class ParseError(AlertsError):
    """Bytes that could not be read as a feed at all."""


class SendError(AlertsError):
    """A message could not be delivered. ``permanent`` for SMTP 5xx replies."""

    def __init__(self, recipient: str, reason: str, *, permanent: bool = False) -> None:
        self.recipient, self.reason, self.permanent = recipient, reason, permanent
        super().__init__(f"{recipient}: {reason}")
