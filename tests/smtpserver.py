"""A real SMTP server on 127.0.0.1 for tests: aiosmtpd in a thread, every message parsed back.

    def test_digest_arrives(smtp_server: SmtpServer) -> None:
        SmtpTransport(smtp_server.host, smtp_server.port).send(message)
        assert smtp_server.messages[0]["Subject"] == "..."

``fail_next("rcpt", 451)`` makes the next RCPT answer 451 (``times=`` for more), for retry tests.
``SmtpServer(tls_context=...)`` offers STARTTLS and ``SmtpServer(implicit_tls=...)`` speaks TLS
from the first byte; ``logins={"user": "secret"}`` (with ``tls_context``) requires AUTH.
"""

from __future__ import annotations

import asyncio
import ssl
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from types import TracebackType
from typing import Any, Literal, Self, cast

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

Stage = Literal["rcpt", "data"]


@dataclass(frozen=True)
class Received:
    """One accepted message: the envelope, the bytes, the parsed message, the client's address."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    raw: bytes
    message: EmailMessage
    peer: tuple[str, int]


class _Controller(Controller):
    """aiosmtpd's controller, able to listen on port 0 (a free port chosen by the system)."""

    def _trigger_server(self) -> None:
        listening = cast(asyncio.Server, self.server)
        self.port = listening.sockets[0].getsockname()[1]
        super()._trigger_server()  # type: ignore[no-untyped-call]


class _Handler:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        failure = self.server._take_failure("rcpt")
        if failure:
            return failure
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        failure = self.server._take_failure("data")
        if failure:
            return failure
        raw = bytes(envelope.content)
        as_read = raw.replace(b"\r\n", b"\n")  # as a mail client shows it: lines end in "\n"
        message = message_from_bytes(as_read, policy=policy.default)
        self.server._record(
            Received(envelope.mail_from, tuple(envelope.rcpt_tos), raw, message, session.peer[:2])
        )
        return "250 Message accepted for delivery"


class SmtpServer:
    """A loopback SMTP server that keeps what it receives. Use as a context manager or fixture."""

    host = "127.0.0.1"

    def __init__(
        self,
        *,
        tls_context: ssl.SSLContext | None = None,
        implicit_tls: ssl.SSLContext | None = None,
        logins: Mapping[str, str] | None = None,
    ) -> None:
        if logins is not None and tls_context is None:
            raise ValueError("logins need tls_context: aiosmtpd offers AUTH only after STARTTLS")
        self.port = 0
        self.received: list[Received] = []
        self._tls_context, self._implicit_tls, self._logins = tls_context, implicit_tls, logins
        self._failures: dict[Stage, list[str]] = {"rcpt": [], "data": []}
        self._lock = threading.Lock()
        self._controller: _Controller | None = None

    @property
    def messages(self) -> list[EmailMessage]:
        with self._lock:
            return [received.message for received in self.received]

    @property
    def connections(self) -> int:
        """How many distinct client connections delivered the messages received so far."""
        with self._lock:
            return len({received.peer for received in self.received})

    def fail_next(self, stage: Stage, code: int, *, times: int = 1) -> None:
        """Answer the next ``times`` RCPT or DATA commands with ``code`` instead of accepting."""
        text = "try again later" if code < 500 else "no such mailbox here"
        with self._lock:
            self._failures[stage].extend([f"{code} {text}"] * times)

    def start(self) -> None:
        kwargs: dict[str, Any] = {"server_hostname": "smtp.test", "ready_timeout": 5.0}
        if self._tls_context is not None:
            kwargs.update(tls_context=self._tls_context, require_starttls=True)
        if self._implicit_tls is not None:
            kwargs["ssl_context"] = self._implicit_tls
        if self._logins is not None:
            kwargs.update(authenticator=self._authenticate, auth_required=True)
        self._controller = _Controller(_Handler(self), hostname=self.host, port=self.port, **kwargs)
        self._controller.start()
        self.port = self._controller.port

    def stop(self) -> None:
        """Stop listening; clients connected at this moment lose their connection."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def restart(self) -> None:
        """Drop every connection and listen again on the same port."""
        self.stop()
        self.start()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()

    def _take_failure(self, stage: Stage) -> str | None:
        with self._lock:
            return self._failures[stage].pop(0) if self._failures[stage] else None

    def _record(self, received: Received) -> None:
        with self._lock:
            self.received.append(received)

    def _authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        ok = (
            isinstance(data, LoginPassword)
            and self._logins is not None
            and self._logins.get(data.login.decode()) == data.password.decode()
        )
        return AuthResult(success=ok, handled=False)  # handled=False: send the 535


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A plain SMTP server on 127.0.0.1 at a free port, stopped after the test."""
    with SmtpServer() as server:
        yield server
