"""Building digest emails and delivering them to a real SMTP server on 127.0.0.1 or an outbox."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import cast

import dkim  # type: ignore[import-untyped]
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alerts.errors import SendError
from alerts.mail import (
    OutboxTransport,
    SmtpTransport,
    build_message,
    header_text,
    message_bytes,
    sign_dkim,
    to_crlf,
)
from alerts.models import RenderedEmail
from alerts.render import make_environment, render_digest
from tests.smtpserver import SmtpServer, Stage, smtp_server
from tests.test_render import welfare_digest

__all__ = ["smtp_server"]  # the fixture, imported for pytest

SENDER = "Daily Alerts <alerts@alerts.example>"
READER = "reader@example.org"
UNSUBSCRIBE = "https://alerts.example/unsubscribe/tok3n"
PLAIN = RenderedEmail("Welfare bill: 3 new articles", "Plain words.\n", "<p>Plain words.</p>\n")


def digest_message(rendered: RenderedEmail = PLAIN, recipient: str = READER) -> EmailMessage:
    return build_message(rendered, sender=SENDER, recipient=recipient,
                         message_id_domain="alerts.example", unsubscribe_url=UNSUBSCRIBE)


def deliver(server: SmtpServer, message: EmailMessage) -> EmailMessage:
    SmtpTransport(server.host, server.port, timeout=5).send(message)
    return server.messages[-1]


def test_message_is_multipart_alternative_with_text_then_html() -> None:
    message = digest_message()
    assert message.get_content_type() == "multipart/alternative"
    parts = [part.get_content_type() for part in message.iter_parts()]
    assert parts == ["text/plain", "text/html"]


def test_rendered_digest_arrives_whole_over_smtp(smtp_server: SmtpServer) -> None:
    rendered = render_digest(make_environment(), welfare_digest(), unsubscribe_url=UNSUBSCRIBE)
    received = deliver(smtp_server, digest_message(rendered))
    assert received["Subject"] == rendered.subject
    assert received["From"] == SENDER
    assert received["To"] == READER
    assert received["Message-ID"].endswith("@alerts.example>")
    assert received["Date"].datetime.tzinfo is not None
    assert received["List-Unsubscribe"] == f"<{UNSUBSCRIBE}>"
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = cast(EmailMessage, received.get_body(("plain",)))
    html = cast(EmailMessage, received.get_body(("html",)))
    assert text.get_content() == rendered.text
    assert html.get_content() == rendered.html
    assert smtp_server.received[-1].rcpt_tos == (READER,)


def test_list_unsubscribe_is_absent_without_a_url() -> None:
    message = build_message(PLAIN, sender=SENDER, recipient=READER, message_id_domain="x.example")
    assert "List-Unsubscribe" not in message
    assert "List-Unsubscribe-Post" not in message


def test_non_ascii_subject_and_names_round_trip_encoded(smtp_server: SmtpServer) -> None:
    rendered = RenderedEmail("Réforme — « 162 » députés ✓ · 3 articles", "Texte ✓\n", "<p>✓</p>")
    message = build_message(rendered, sender="Dépêches Politiques <alerts@alerts.example>",
                            recipient="Zoë Łukasz <zoe@example.org>", message_id_domain="a.example")
    received = deliver(smtp_server, message)
    raw_headers = smtp_server.received[-1].raw.split(b"\r\n\r\n")[0]
    assert raw_headers.isascii()
    assert received["Subject"] == rendered.subject
    assert received["From"].addresses[0].display_name == "Dépêches Politiques"
    assert received["To"].addresses[0].display_name == "Zoë Łukasz"
    assert cast(EmailMessage, received.get_body(("plain",))).get_content() == "Texte ✓\n"


INJECTIONS = [
    "Welfare bill\r\nBcc: victim@evil.example",
    "Welfare bill\nBcc: victim@evil.example",
    "Welfare bill\rBcc: victim@evil.example",
    "Welfare bill\u2028Bcc: victim@evil.example",
    "Welfare bill\u2029Bcc: victim@evil.example",
    "Welfare bill\x85Bcc: victim@evil.example",
    "Welfare bill =?utf-8?q?=0D=0ABcc:_victim@evil.example?=",
    "Welfare bill =?utf-8?b?DQpCY2M6IHZpY3RpbUBldmlsLmV4YW1wbGU=?=",
    "Welfare bill =?utf-8?q?=3D=3Futf-8=3Fq=3F=3D0D=3D0ABcc=3A_victim@evil.example=3F=3D?=",
]


@pytest.mark.parametrize("subject", INJECTIONS)
def test_line_breaks_in_a_subject_never_make_a_header(
    smtp_server: SmtpServer, subject: str
) -> None:
    received = deliver(smtp_server, digest_message(RenderedEmail(subject, "t\n", "<p>h</p>")))
    assert "Bcc" not in received
    assert received.keys() == [
        "From", "To", "Subject", "Date", "Message-ID", "Auto-Submitted", "List-Unsubscribe",
        "List-Unsubscribe-Post", "MIME-Version", "Content-Type",
    ]
    assert received["Subject"].startswith("Welfare bill")
    assert "victim@evil.example" in received["Subject"]
    assert not any(c in received["Subject"] for c in "\r\n\u2028\u2029\x85")
    assert smtp_server.received[-1].rcpt_tos == (READER,)


def test_header_text_decodes_encoded_words_and_defuses_leftovers() -> None:
    assert header_text("=?utf-8?q?caf=C3=A9?= news") == "café news"
    assert "=?" not in header_text("=?utf-8?q?=3D=3Futf-8=3Fq=3Fx=3F=3D?=").replace("=\u2060?", "")
    assert header_text("tab\there\x00 and \u202eRTL") == "tab here and RTL"


def test_extra_headers_are_cleaned_and_bad_names_refused() -> None:
    message = build_message(PLAIN, sender=SENDER, recipient=READER, message_id_domain="a.example",
                            extra_headers={"X-Watch": "Welfare\r\nBcc: x@evil.example"})
    assert message["X-Watch"] == "Welfare Bcc: x@evil.example"
    with pytest.raises(ValueError, match="header name"):
        build_message(PLAIN, sender=SENDER, recipient=READER, message_id_domain="a.example",
                      extra_headers={"X-Bad\r\nBcc": "x"})


@pytest.mark.parametrize("url", [
    "https://alerts.example/u/1>, <mailto:x@evil.example",
    "https://alerts.example/u/1\r\nBcc: x@evil.example",
    "javascript:alert(1)",
    "https://alerts.example/u/ 1",
])
def test_an_unusable_unsubscribe_url_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="unsubscribe URL"):
        build_message(PLAIN, sender=SENDER, recipient=READER, message_id_domain="a.example",
                      unsubscribe_url=url)


def test_message_ids_default_to_the_senders_domain() -> None:
    message = build_message(PLAIN, sender=SENDER, recipient=READER)
    assert message["Message-ID"].endswith("@alerts.example>")
    with pytest.raises(ValueError, match="Message-ID"):
        build_message(PLAIN, sender=SENDER, recipient=READER, message_id_domain="example.org>")


def test_a_given_message_id_is_kept_for_resends() -> None:
    message = build_message(PLAIN, sender=SENDER, recipient=READER, message_id_domain="a.example",
                            message_id="<digest-2025-06-25-42@a.example>")
    assert message["Message-ID"] == "<digest-2025-06-25-42@a.example>"


@pytest.mark.parametrize(("stage", "code", "permanent"), [
    ("rcpt", 550, True), ("rcpt", 451, False), ("data", 554, True), ("data", 452, False),
])
def test_smtp_refusals_become_send_errors_permanent_only_for_5xx(
    smtp_server: SmtpServer, stage: Stage, code: int, permanent: bool
) -> None:
    smtp_server.fail_next(stage, code)
    with pytest.raises(SendError) as raised:
        deliver(smtp_server, digest_message())
    assert raised.value.permanent is permanent
    assert raised.value.recipient == READER
    assert str(code) in raised.value.reason
    assert smtp_server.messages == []


def test_a_server_that_is_not_there_is_a_temporary_failure() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(SendError) as raised:
        SmtpTransport("127.0.0.1", port, timeout=5).send(digest_message())
    assert raised.value.permanent is False


def test_one_connection_carries_several_messages(smtp_server: SmtpServer) -> None:
    with SmtpTransport(smtp_server.host, smtp_server.port, timeout=5) as transport:
        for number in range(3):
            transport.send(digest_message(recipient=f"reader{number}@example.org"))
    assert [m["To"] for m in smtp_server.messages] == [f"reader{n}@example.org" for n in range(3)]
    assert smtp_server.connections == 1


def test_without_a_with_block_each_message_has_its_own_connection(
    smtp_server: SmtpServer,
) -> None:
    transport = SmtpTransport(smtp_server.host, smtp_server.port, timeout=5)
    transport.send(digest_message())
    transport.send(digest_message())
    assert smtp_server.connections == 2


def test_a_refused_recipient_does_not_spoil_the_connection(smtp_server: SmtpServer) -> None:
    smtp_server.fail_next("rcpt", 550)
    with SmtpTransport(smtp_server.host, smtp_server.port, timeout=5) as transport:
        with pytest.raises(SendError):
            transport.send(digest_message(recipient="gone@example.org"))
        transport.send(digest_message())
    assert [m["To"] for m in smtp_server.messages] == [READER]


def test_a_dropped_connection_is_reopened_for_the_next_message(smtp_server: SmtpServer) -> None:
    with SmtpTransport(smtp_server.host, smtp_server.port, timeout=5) as transport:
        transport.send(digest_message(recipient="first@example.org"))
        smtp_server.restart()
        transport.send(digest_message(recipient="second@example.org"))
    assert [m["To"] for m in smtp_server.messages] == ["first@example.org", "second@example.org"]
    assert smtp_server.connections == 2


def test_outbox_writes_an_eml_that_parses_back_and_an_html_preview(tmp_path: Path) -> None:
    rendered = render_digest(make_environment(), welfare_digest())
    OutboxTransport(tmp_path / "outbox").send(digest_message(rendered))
    files = sorted((tmp_path / "outbox").iterdir())
    assert [f.suffix for f in files] == [".eml", ".html"]
    assert files[0].stem == files[1].stem
    assert "-reader@example.org-" in files[0].name
    parsed = message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert parsed["Subject"] == rendered.subject
    assert parsed.get_content_type() == "multipart/alternative"
    assert files[1].read_text() == rendered.html


def test_an_address_that_is_not_one_is_refused() -> None:
    with pytest.raises(ValueError):
        digest_message(recipient="../../etc/passwd@example.org")
    with pytest.raises(ValueError, match="not an email address"):
        digest_message(recipient="Reader <>")


def test_outbox_file_names_are_safe_for_any_address(tmp_path: Path) -> None:
    OutboxTransport(tmp_path).send(digest_message(recipient='"../../etc/passwd"@example.org'))
    names = [path.name for path in tmp_path.iterdir()]
    assert len(names) == 2
    assert all("/" not in name and not name.startswith(".") for name in names)


def test_outbox_that_cannot_be_written_is_a_temporary_failure(tmp_path: Path) -> None:
    blocker = tmp_path / "outbox"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(SendError) as raised:
        OutboxTransport(blocker).send(digest_message())
    assert raised.value.permanent is False


# TLS: a certificate for 127.0.0.1 made by the openssl command for this test run.


@dataclass(frozen=True)
class Certificate:
    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)
        return context

    def trusting_client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cert))


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
         "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    return Certificate(cert, key)


@pytest.fixture
def starttls_server(certificate: Certificate) -> Iterator[SmtpServer]:
    with SmtpServer(tls_context=certificate.server_context(),
                    logins={"digest": "s3cret"}) as server:
        yield server


def test_starttls_refuses_a_certificate_nobody_vouches_for(starttls_server: SmtpServer) -> None:
    transport = SmtpTransport(starttls_server.host, starttls_server.port, security="starttls",
                              username="digest", password="s3cret", timeout=5)
    with pytest.raises(SendError, match="CERTIFICATE_VERIFY_FAILED") as raised:
        transport.send(digest_message())
    assert raised.value.permanent is False
    assert starttls_server.messages == []


def test_starttls_with_a_trusted_certificate_logs_in_and_delivers(
    starttls_server: SmtpServer, certificate: Certificate
) -> None:
    transport = SmtpTransport(starttls_server.host, starttls_server.port, security="starttls",
                              username="digest", password="s3cret", timeout=5,
                              ssl_context=certificate.trusting_client_context())
    transport.send(digest_message())
    assert [m["To"] for m in starttls_server.messages] == [READER]


def test_a_wrong_password_is_not_blamed_on_the_recipient(
    starttls_server: SmtpServer, certificate: Certificate
) -> None:
    transport = SmtpTransport(starttls_server.host, starttls_server.port, security="starttls",
                              username="digest", password="wrong", timeout=5,
                              ssl_context=certificate.trusting_client_context())
    with pytest.raises(SendError, match="535") as raised:
        transport.send(digest_message())
    assert raised.value.permanent is False


def test_implicit_tls_verifies_the_certificate_too(certificate: Certificate) -> None:
    with SmtpServer(implicit_tls=certificate.server_context()) as server:
        untrusting = SmtpTransport(server.host, server.port, security="tls", timeout=5)
        with pytest.raises(SendError, match="CERTIFICATE_VERIFY_FAILED"):
            untrusting.send(digest_message())
        SmtpTransport(server.host, server.port, security="tls", timeout=5,
                      ssl_context=certificate.trusting_client_context()).send(digest_message())
        assert len(server.messages) == 1


# The fast wire-form builder: the same message as build_message, as bytes ready for SMTP.

WHEN = datetime(2025, 6, 25, 7, 0, tzinfo=UTC)
MESSAGE_ID = "<digest-2025-06-25-1@alerts.example>"


def wire(rendered: RenderedEmail = PLAIN, recipient: str = READER,
         unsubscribe_url: str = UNSUBSCRIBE) -> bytes:
    return message_bytes(rendered, sender=SENDER, recipient=recipient,
                         unsubscribe_url=unsubscribe_url, message_id=MESSAGE_ID, date=WHEN)


def read_back(data: bytes) -> EmailMessage:
    return message_from_bytes(data.replace(b"\r\n", b"\n"), policy=policy.default)


def test_wire_bytes_read_back_as_the_rendered_digest() -> None:
    rendered = render_digest(make_environment(), welfare_digest(), unsubscribe_url=UNSUBSCRIBE)
    message = read_back(wire(rendered))
    assert message.keys() == [
        "From", "To", "Subject", "Date", "Message-ID", "Auto-Submitted", "List-Unsubscribe",
        "List-Unsubscribe-Post", "MIME-Version", "Content-Type",
    ]
    assert (message["Subject"], message["From"]) == (rendered.subject, SENDER)
    assert message["To"] == READER
    assert message["Date"].datetime == WHEN
    assert message["Message-ID"] == MESSAGE_ID
    assert message.get_content_type() == "multipart/alternative"
    text = cast(EmailMessage, message.get_body(("plain",)))
    html = cast(EmailMessage, message.get_body(("html",)))
    assert (text.get_content(), html.get_content()) == (rendered.text, rendered.html)


def test_wire_bytes_end_every_line_with_crlf_and_stay_ascii() -> None:
    data = wire(RenderedEmail("Réforme ✓", "Texte ✓\n" + "long " * 40 + "\n", "<p>✓</p>"))
    assert data.isascii()
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b"\r" not in data.replace(b"\r\n", b"")
    assert max(len(line) for line in data.split(b"\r\n")) <= 78


def test_a_long_unsubscribe_link_stays_one_unencoded_header_line() -> None:
    url = "https://alerts.example/unsubscribe/" + "Zm9vYmFy" * 20
    head = wire(unsubscribe_url=url).split(b"\r\n\r\n")[0].decode()
    assert f"\r\nList-Unsubscribe: <{url}>\r\n" in head
    built = build_message(PLAIN, sender=SENDER, recipient=READER, unsubscribe_url=url)
    assert f"\nList-Unsubscribe: <{url}>\n" in built.as_string()


def test_each_wire_message_has_its_own_boundary() -> None:
    first, second = read_back(wire()), read_back(wire())
    assert first.get_boundary() != second.get_boundary()


@settings(max_examples=60, deadline=None)
@given(st.text(st.characters(exclude_categories=["Cs"]), max_size=400))
def test_any_body_text_survives_the_wire_form(text: str) -> None:
    expected = text.replace("\r\n", "\n").replace("\r", "\n")
    message = read_back(wire(RenderedEmail("s", text, "<p>" + text + "</p>")))
    assert cast(EmailMessage, message.get_body(("plain",))).get_content() == expected
    assert cast(EmailMessage, message.get_body(("html",))).get_content() == f"<p>{expected}</p>"


@pytest.mark.parametrize("subject", INJECTIONS)
def test_wire_bytes_resist_header_injection_too(subject: str) -> None:
    message = read_back(wire(RenderedEmail(subject, "t\n", "<p>h</p>")))
    assert "Bcc" not in message
    assert "victim@evil.example" in message["Subject"]


def test_wire_bytes_go_out_over_smtp_as_they_are(smtp_server: SmtpServer) -> None:
    data = wire()
    with SmtpTransport(smtp_server.host, smtp_server.port, timeout=5) as transport:
        transport.send_bytes(data, recipient=READER)
        transport.send_bytes(data, recipient="other@example.org", sender="bounces@alerts.example")
    first, second = smtp_server.received
    assert first.raw == second.raw == data
    assert (first.mail_from, first.rcpt_tos) == ("alerts@alerts.example", (READER,))
    assert (second.mail_from, second.rcpt_tos) == ("bounces@alerts.example", ("other@example.org",))
    assert smtp_server.connections == 1


def test_messages_stored_with_bare_newlines_are_sent_with_crlf(smtp_server: SmtpServer) -> None:
    stored = bytes(digest_message())
    assert b"\r\n" not in stored
    SmtpTransport(smtp_server.host, smtp_server.port, timeout=5).send_bytes(stored,
                                                                           recipient=READER)
    assert smtp_server.messages[0]["Subject"] == PLAIN.subject
    assert to_crlf(to_crlf(stored)) == to_crlf(stored) == stored.replace(b"\n", b"\r\n")


def test_a_refused_wire_message_is_a_send_error(smtp_server: SmtpServer) -> None:
    smtp_server.fail_next("rcpt", 550)
    with pytest.raises(SendError) as raised:
        SmtpTransport(smtp_server.host, smtp_server.port, timeout=5).send_bytes(
            wire(), recipient="gone@example.org")
    assert raised.value.permanent is True
    assert raised.value.recipient == "gone@example.org"


def test_outbox_takes_wire_bytes_too(tmp_path: Path) -> None:
    OutboxTransport(tmp_path).send_bytes(wire(), recipient=READER)
    (eml,) = tmp_path.glob("*.eml")
    assert read_back(eml.read_bytes())["Message-ID"] == MESSAGE_ID


# DKIM: a key made by the openssl command, checked by dkimpy with a DNS answer we hand it.


@dataclass(frozen=True)
class DkimKey:
    private_pem: bytes
    dns_record: bytes

    def lookup(self, name: bytes, timeout: int = 5) -> bytes:
        return self.dns_record if name == b"mail2025._domainkey.alerts.example." else b""


@pytest.fixture(scope="module")
def dkim_key(tmp_path_factory: pytest.TempPathFactory) -> DkimKey:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is needed to make a DKIM test key")
    key = tmp_path_factory.mktemp("dkim") / "key.pem"
    subprocess.run([openssl, "genrsa", "-out", str(key), "2048"], check=True, capture_output=True)
    public = subprocess.run([openssl, "rsa", "-in", str(key), "-pubout"], check=True,
                            capture_output=True).stdout
    body = b"".join(line for line in public.splitlines() if not line.startswith(b"-----"))
    return DkimKey(key.read_bytes(), b"v=DKIM1; k=rsa; p=" + body)


def test_a_dkim_signed_digest_verifies(dkim_key: DkimKey) -> None:
    signed = sign_dkim(wire(), "mail2025", "alerts.example", dkim_key.private_pem)
    assert signed.startswith(b"DKIM-Signature:")
    assert dkim.verify(signed, dnsfunc=dkim_key.lookup) is True


def test_the_dkim_signature_covers_the_unsubscribe_headers(dkim_key: DkimKey) -> None:
    signed = sign_dkim(wire(), "mail2025", "alerts.example", dkim_key.private_pem)
    signature = read_back(signed)["DKIM-Signature"].replace(" ", "")
    signed_names = signature.split("h=")[1].split(";")[0].split(":")
    for name in ("from", "to", "subject", "date", "message-id", "list-unsubscribe",
                 "list-unsubscribe-post"):
        assert name in signed_names


@pytest.mark.parametrize(("original", "forged"), [
    (b"List-Unsubscribe: <" + UNSUBSCRIBE.encode(), b"List-Unsubscribe: <https://evil.example/u"),
    (b"List-Unsubscribe-Post: List-Unsubscribe=One-Click", b"List-Unsubscribe-Post: nothing"),
    (b"Subject: Welfare bill", b"Subject: Wellfare bill"),
    (b"Plain words.", b"Plane words."),
])
def test_a_changed_header_or_body_fails_dkim(
    dkim_key: DkimKey, original: bytes, forged: bytes
) -> None:
    signed = sign_dkim(wire(), "mail2025", "alerts.example", dkim_key.private_pem)
    assert original in signed
    assert dkim.verify(signed.replace(original, forged), dnsfunc=dkim_key.lookup) is False
