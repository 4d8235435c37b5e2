"""Email: building the MIME message (pure) and delivering it (SMTP or an outbox folder).

Every header is built from cleaned one-line text, so a feed title can never start a header of its
own: line breaks of every kind, control and format characters are dropped, RFC 2047 encoded words
are decoded before cleaning and any left over are defused.

Two builders share the header rules: :func:`message_bytes` writes the wire form directly and fast
(bodies quoted-printable through binascii, constant headers encoded once), for sending many
digests; :func:`build_message` returns the same message as an ``EmailMessage``, for previews.
:func:`sign_dkim` adds a DKIM signature that covers the unsubscribe headers.

A delivery failure is a :class:`~alerts.errors.SendError`. It is ``permanent`` only when the server
refused *this* message with a 5xx reply (the address or the message is at fault); connection, TLS,
login and 4xx failures are not, because trying again later may work.
"""

from __future__ import annotations

import binascii
import os
import random
import re
import smtplib
import ssl
import uuid
from collections.abc import Callable, Mapping
from contextlib import suppress
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.errors import HeaderParseError
from email.header import decode_header, make_header
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses, make_msgid, parseaddr
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType, TracebackType
from typing import Literal, Protocol, Self
from urllib.parse import urlsplit

from alerts.errors import SendError
from alerts.models import RenderedEmail
from alerts.text import one_line

Security = Literal["none", "starttls", "tls"]

_HEADER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_PLAIN_ADDRESS = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@{_LABEL}(?:\.{_LABEL})+")
_HEADER_URL = re.compile(r"https?://[!-~]+", re.IGNORECASE)
_NOT_IN_HEADER_URL = re.compile(r"[<>,]")
_CHUNK = 2048  # bodies are encoded (and remembered) this many characters of whole lines at a time
_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9.@+_-]+")
_NO_EXTRA_HEADERS: Mapping[str, str] = MappingProxyType({})
_WIRE = policy.SMTP
_AS_WRITTEN = policy.default.clone(refold_source="none")  # keep parsed headers as written
DKIM_HEADERS = (
    "From", "To", "Subject", "Date", "Message-ID", "List-Unsubscribe", "List-Unsubscribe-Post",
    "MIME-Version", "Content-Type", "Auto-Submitted",
)


@lru_cache(maxsize=4096)
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
    defaults to the domain of ``sender``. It is :func:`message_bytes` read back; its headers are
    written out again as they are (a long unsubscribe link stays one unencoded line).
    """
    wire = message_bytes(
        rendered, sender=sender, recipient=recipient, message_id_domain=message_id_domain,
        unsubscribe_url=unsubscribe_url, extra_headers=extra_headers, message_id=message_id,
        date=date,
    )
    as_read = wire.replace(b"\r\n", b"\n")
    return message_from_bytes(as_read, policy=_AS_WRITTEN)


def message_bytes(
    rendered: RenderedEmail,
    *,
    sender: str,
    recipient: str,
    message_id_domain: str | None = None,
    unsubscribe_url: str | None = None,
    extra_headers: Mapping[str, str] = _NO_EXTRA_HEADERS,
    message_id: str | None = None,
    date: datetime | None = None,
) -> bytes:
    """The digest email ready for SMTP (CRLF line ends): the fast path for sending thousands.

    Same arguments and message as :func:`build_message`. Headers that are the same for every
    recipient (sender, subject) are encoded once and remembered; bodies are encoded in C.
    """
    boundary = f"==============={random.getrandbits(64):020d}=="
    head = [
        _address_header("From", sender),
        _address_header("To", recipient),
        _folded("Subject", header_text(rendered.subject)),
        f"Date: {format_datetime(date or datetime.now(UTC))}\r\n",
        f"Message-ID: {_message_id(message_id, sender, message_id_domain)}\r\n",
        "Auto-Submitted: auto-generated\r\n",
    ]
    if unsubscribe_url is not None:  # one line however long: RFC 2369 readers want it verbatim
        head.append(f"List-Unsubscribe: <{_web_url(unsubscribe_url)}>\r\n")
        head.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n")
    head.extend(_extra(extra_headers))
    head.append("MIME-Version: 1.0\r\n")
    head.append(f'Content-Type: multipart/alternative;\r\n boundary="{boundary}"\r\n\r\n')
    return "".join(head).encode("ascii") + b"".join((
        _part(boundary, "plain", rendered.text),
        _part(boundary, "html", rendered.html),
        f"--{boundary}--\r\n".encode("ascii"),
    ))


def sign_dkim(message: bytes, selector: str, domain: str, private_key_pem: bytes) -> bytes:
    """The message with a DKIM-Signature header first (rsa-sha256, relaxed/relaxed) covering
    :data:`DKIM_HEADERS`, the unsubscribe headers among them."""
    import dkim  # type: ignore[import-untyped]  # only when signing: its import costs ~40 ms

    signature = dkim.sign(
        message, selector.encode("ascii"), domain.encode("ascii"), private_key_pem,
        canonicalize=(b"relaxed", b"relaxed"), signature_algorithm=b"rsa-sha256",
        include_headers=[name.lower().encode("ascii") for name in DKIM_HEADERS],
    )
    return bytes(signature) + message


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
        self._attempt(recipient_of(message), lambda smtp: smtp.send_message(message))

    def send_bytes(self, message: bytes, *, recipient: str, sender: str | None = None) -> None:
        """Send a message already in wire form to ``recipient``; the envelope sender is
        ``sender`` or the message's From address."""
        data = to_crlf(message)
        envelope = sender or envelope_sender(data)
        self._attempt(recipient, lambda smtp: smtp.sendmail(envelope, [recipient], data))

    def _attempt(self, recipient: str, transmit: Callable[[smtplib.SMTP], object]) -> None:
        reusing = self._smtp is not None
        try:
            try:
                transmit(self._connected())
            except smtplib.SMTPServerDisconnected:
                if not reusing:
                    raise
                self.close()  # the server dropped an idle connection: once more on a fresh one
                transmit(self._connected())
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

    def _connected(self) -> smtplib.SMTP:
        if self._smtp is None:
            self._smtp = self._connect()
        return self._smtp

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

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        return None

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

    def send_bytes(self, message: bytes, *, recipient: str, sender: str | None = None) -> None:
        """Write a message already in wire form (the envelope is the file name's business)."""
        as_read = message.replace(b"\r\n", b"\n")
        self.send(message_from_bytes(as_read, policy=policy.default))


def recipient_of(message: EmailMessage) -> str:
    """The first address the message is for, for error messages and file names."""
    addresses = getaddresses([str(value) for value in message.get_all("To", [])])
    return next((addr for _, addr in addresses if addr), "unknown recipient")


def envelope_sender(message: bytes) -> str:
    """The address in a wire-form message's From header."""
    end = message.find(b"\r\n\r\n")
    head = message_from_bytes(message[: end if end >= 0 else None], policy=policy.compat32)
    address = parseaddr(str(head.get("From", "")))[1]
    if "@" not in address:
        raise ValueError("the message has no From address to send it from")
    return address


def to_crlf(message: bytes) -> bytes:
    """A message with CRLF line ends, as SMTP wants, whether it was written with CRLF or LF."""
    first = message.find(b"\n")
    if first <= 0 or message[first - 1] == 0x0D:
        return message
    return message.replace(b"\n", b"\r\n")


@lru_cache(maxsize=256)
def _folded(name: str, value: str) -> str:
    return str(_WIRE.header_factory(name, value).fold(policy=_WIRE))


def _message_id(given: str | None, sender: str, message_id_domain: str | None) -> str:
    if given:
        return header_text(given)
    return make_msgid(domain=_msgid_domain(sender, message_id_domain))


@lru_cache(maxsize=64)
def _msgid_domain(sender: str, message_id_domain: str | None) -> str:
    return _domain(message_id_domain or mailbox(sender).domain)


def _extra(headers: Mapping[str, str]) -> list[str]:
    folded = []
    for name, value in headers.items():
        if not _HEADER_NAME.fullmatch(name):
            raise ValueError(f"not a header name: {name!r}")
        folded.append(_folded(name, header_text(value)))
    return folded


def _address_header(name: str, text: str) -> str:
    if len(text) <= 70 and _PLAIN_ADDRESS.fullmatch(text):
        return f"{name}: {text}\r\n"  # what folding would give, a hundred times faster
    return _mailbox_header(name, text)


@lru_cache(maxsize=256)
def _mailbox_header(name: str, text: str) -> str:
    return _folded(name, str(mailbox(text)))


def _part(boundary: str, subtype: str, text: str) -> bytes:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    body = quoted_printable(text)
    return (
        f"--{boundary}\r\nContent-Type: text/{subtype}; charset=\"utf-8\"\r\n"
        f"Content-Transfer-Encoding: quoted-printable\r\n\r\n"
    ).encode("ascii") + body + b"\r\n"  # this line end belongs to the boundary after it


def quoted_printable(text: str) -> bytes:
    """``text`` quoted-printable with CRLF line ends, encoded a run of whole lines at a time.

    Quoted-printable is line by line, so the runs join up exactly. Each run is remembered: the
    bulk that thousands of personalised digests share is encoded once, only the personal lines
    (at the end, where render.py puts them) each time.
    """
    runs = []
    start = 0
    while start < len(text):
        end = text.find("\n", start + _CHUNK)
        end = len(text) if end < 0 else end + 1
        runs.append(_encoded_run(text[start:end]))
        start = end
    return b"".join(runs)


@lru_cache(maxsize=1024)
def _encoded_run(lines: str) -> bytes:
    return binascii.b2a_qp(lines.encode()).replace(b"\n", b"\r\n")


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
    """An http(s) URL of printable ASCII that cannot end the <...> around it or look encoded."""
    if not _HEADER_URL.fullmatch(url) or _NOT_IN_HEADER_URL.search(url) or "=?" in url \
            or not urlsplit(url).netloc:
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
