"""Email: building the MIME message (pure) and delivering it (SMTP or an outbox folder).

Every header is built from cleaned one-line text, so a feed title can never start a header of its
own: line breaks of every kind, control and format characters are dropped, RFC 2047 encoded words
are decoded before cleaning and any left over are defused.

A delivery failure is a :class:`~alerts.errors.SendError`. It is ``permanent`` only when the server
refused *this* message with a 5xx reply (the address or the message is at fault); connection, TLS,
login and 4xx failures are not, because trying again later may work.
"""

from __future__ import annotations

import os
import re
import smtplib
import ssl
import uuid
from collections.abc import Mapping
from contextlib import suppress
from datetime import UTC, datetime
from email import policy
from email.errors import HeaderParseError
from email.header import decode_header, make_header
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses, make_msgid, parseaddr
from pathlib import Path
from types import MappingProxyType, TracebackType
from typing import Literal, Protocol, Self
from urllib.parse import urlsplit

from alerts.errors import SendError
from alerts.models import RenderedEmail
from alerts.text import one_line

Security = Literal["none", "starttls", "tls"]

_HEADER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")
_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9.@+_-]+")
_NO_EXTRA_HEADERS: Mapping[str, str] = MappingProxyType({})


def header_text(text: str, limit: int = 300) -> str:
    """Text safe for one header: decoded, on one line, printable, with no encoded word left."""
    if "=?" in text:
        text = _decode_encoded_words(text)
    flat = "".join(c for c in one_line(text, limit) if c.isprintable())
    return flat.replace("=?", "=\u2060?")  # a word joiner: still reads "=?", never decoded


def build_message(
    rendered: RenderedEmail,
    *,
    sender: str,
    recipient: str,
    message_id_domain: str | None = None,
    unsubscribe_url: str | None = None,
    extra_headers: Mapping[str, str] = _NO_EXTRA_HEADERS,
    message_id: str | None = None,
    date: datetime | None = None,
) -> EmailMessage:
    """A multipart/alternative digest email: plain text first, then HTML.

    ``message_id`` lets a resend after a crash reuse the id of the first attempt, so receivers can
    tell it is the same message; by default a fresh one is made under ``message_id_domain``, which
    defaults to the domain of ``sender``.
    """
    message = EmailMessage(policy=policy.default)
    message["From"] = from_ = mailbox(sender)
    message["To"] = mailbox(recipient)
    message["Subject"] = header_text(rendered.subject)
    message["Date"] = format_datetime(date or datetime.now(UTC))
    domain = _domain(message_id_domain or from_.domain)
    message["Message-ID"] = message_id or make_msgid(domain=domain)
    message["Auto-Submitted"] = "auto-generated"
    if unsubscribe_url is not None:
        message["List-Unsubscribe"] = f"<{_web_url(unsubscribe_url)}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    for name, value in extra_headers.items():
        if not _HEADER_NAME.fullmatch(name):
            raise ValueError(f"not a header name: {name!r}")
        del message[name]
        message[name] = header_text(value)
    message.set_content(rendered.text, cte="quoted-printable")
    message.add_alternative(rendered.html, subtype="html", cte="quoted-printable")
    return message


def mailbox(text: str) -> Address:
    """An address header value from "Name <addr>" or "addr"; the name may be any language."""
    name, addr = parseaddr(header_text(text))
    if "@" not in addr:
        raise ValueError(f"not an email address: {text!r}")
    return Address(display_name=header_text(name), addr_spec=addr)


class Transport(Protocol):
    """Delivers one message or raises SendError."""

    def send(self, message: EmailMessage) -> None: ...


class SmtpTransport:
    """SMTP delivery. As a context manager it keeps one connection open for many messages.

    ``security``: "none" (plain, e.g. a loopback catcher), "starttls" (upgrade, usually port 587)
    or "tls" (TLS from the start, usually port 465). Certificates are always verified, against the
    system's CAs unless ``ssl_context`` says otherwise.
    """

    def __init__(
        self,
        host: str,
        port: int = 25,
        *,
        security: Security = "none",
        username: str | None = None,
        password: str | None = None,
        timeout: float = 30.0,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.host, self.port, self.security, self.timeout = host, port, security, timeout
        self.username, self.password = username, password
        self.ssl_context = ssl_context
        self._smtp: smtplib.SMTP | None = None
        self._keep_open = False

    def __enter__(self) -> Self:
        self._keep_open = True
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._keep_open = False
        self.close()

    def send(self, message: EmailMessage) -> None:
        recipient = recipient_of(message)
        reusing = self._smtp is not None
        try:
            try:
                self._transmit(message)
            except smtplib.SMTPServerDisconnected:
                if not reusing:
                    raise
                self.close()  # the server dropped an idle connection: once more on a fresh one
                self._transmit(message)
        except smtplib.SMTPRecipientsRefused as error:
            code, reply = next(iter(error.recipients.values()))
            raise SendError(recipient, _reply(code, reply), permanent=code >= 500) from error
        except smtplib.SMTPResponseException as error:
            reason = _reply(error.smtp_code, error.smtp_error)
            raise SendError(recipient, reason, permanent=error.smtp_code >= 500) from error
        except (smtplib.SMTPException, OSError) as error:
            reason = f"cannot deliver through {self.host}:{self.port}: {error}"
            raise SendError(recipient, reason, permanent=False) from error
        finally:
            if not self._keep_open:
                self.close()

    def close(self) -> None:
        """Say goodbye to the server, if connected."""
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            with suppress(smtplib.SMTPException, OSError):
                smtp.quit()
            smtp.close()

    def _transmit(self, message: EmailMessage) -> None:
        if self._smtp is None:
            self._smtp = self._connect()
        self._smtp.send_message(message)

    def _connect(self) -> smtplib.SMTP:
        context = self.ssl_context or ssl.create_default_context()
        smtp = (
            smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
            if self.security == "tls"
            else smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        )
        try:
            smtp.ehlo()
            if self.security == "starttls":
                smtp.starttls(context=context)
                smtp.ehlo()
            if self.username:
                smtp.login(self.username, self.password or "")
        except smtplib.SMTPResponseException as error:
            smtp.close()  # a refused greeting or login is the server's problem, not the message's
            raise ConnectionError(_reply(error.smtp_code, error.smtp_error)) from error
        except BaseException:
            smtp.close()
            raise
        return smtp


class OutboxTransport:
    """Writes each message to ``directory`` as ``<stamp>-<recipient>-<id>.eml`` plus an ``.html``
    preview of its HTML part. Each file appears whole or not at all."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def send(self, message: EmailMessage) -> None:
        recipient = recipient_of(message)
        stem = "-".join((
            datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"),
            _filename_part(recipient),
            _filename_part(str(message.get("Message-ID", "")).strip("<>").split("@")[0]),
        ))
        html = message.get_body(preferencelist=("html",))
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            if html is not None:
                _write_atomically(self.directory / f"{stem}.html", html.get_content().encode())
            _write_atomically(self.directory / f"{stem}.eml", message.as_bytes(policy=policy.SMTP))
        except OSError as error:
            reason = f"cannot write to the outbox {self.directory}: {error}"
            raise SendError(recipient, reason) from error


def recipient_of(message: EmailMessage) -> str:
    """The first address the message is for, for error messages and file names."""
    addresses = getaddresses([str(value) for value in message.get_all("To", [])])
    return next((addr for _, addr in addresses if addr), "unknown recipient")


def _decode_encoded_words(text: str) -> str:
    try:
        return str(make_header(decode_header(text)))
    except (HeaderParseError, LookupError, UnicodeDecodeError, ValueError):
        return text


def _domain(text: str) -> str:
    domain = header_text(text)
    if not domain or any(c in domain for c in " <>@\"\\"):
        raise ValueError(f"not a domain for Message-IDs: {text!r}")
    return domain


def _web_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.netloc or header_text(url) != url \
            or any(c in url for c in " <>,"):
        raise ValueError(f"not a usable unsubscribe URL: {url!r}")
    return url


def _reply(code: int, reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return f"SMTP {code} {one_line(text)}"


def _filename_part(text: str) -> str:
    return _UNSAFE_FILENAME.sub("_", text).strip("._")[:64] or "message"


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with temporary.open("xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
