"""Signed tokens for the links we email: confirm a subscription, unsubscribe. Pure: no I/O.

A token is ``<payload>.<signature>``, both base64url without padding. The payload is compact JSON
naming the purpose, the lower-cased address, the watches (confirm tokens) and the issue time; the
signature is HMAC-SHA256 over the payload under a key derived from the secret. Reading checks the
signature in constant time, then the purpose, then the age: a token made for one address or
purpose can never act for another, and only confirm tokens expire.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, cast

from alerts.errors import AlertsError

Purpose = Literal["confirm", "unsubscribe"]
CONFIRM_LIFETIME = timedelta(days=7)
LIFETIMES: dict[str, timedelta | None] = {"confirm": CONFIRM_LIFETIME, "unsubscribe": None}
_KEY_LABEL = b"alerts token v1"
_CLOCK_SKEW = timedelta(minutes=5)


class TokenError(AlertsError):
    """A token that is malformed, forged, made for another purpose, or expired."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class TokenData:
    purpose: Purpose
    email: str
    watches: tuple[str, ...]
    issued: datetime


def make_token(secret: str, purpose: Purpose, email: str, watches: Sequence[str] = (),
               now: datetime | None = None) -> str:
    """A signed token binding ``purpose``, the address (lower-cased) and ``watches``."""
    issued = int((now or datetime.now(UTC)).timestamp())
    body = {"p": purpose, "e": email.strip().lower(), "w": list(watches), "t": issued}
    payload = _encode(json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode())
    return f"{payload}.{_encode(_sign(secret, payload))}"


def read_token(secret: str, purpose: Purpose, token: str,
               now: datetime | None = None) -> TokenData:
    """The data of a genuine, unexpired ``purpose`` token; TokenError otherwise."""
    payload, dot, signature = token.strip().partition(".")
    if not dot or not payload or not signature:
        raise TokenError("the link is incomplete")
    given = _decode(signature)
    if _encode(given) != signature:  # one spelling per token: no variants in the spare bits
        raise TokenError("the link is malformed")
    if not hmac.compare_digest(given, _sign(secret, payload)):
        raise TokenError("the link's signature does not match")
    data = _fields(json.loads(_decode(payload)))
    if data.purpose != purpose:
        raise TokenError(f"this link is for {data.purpose}, not {purpose}")
    _check_age(data, now or datetime.now(UTC))
    return data


def _check_age(data: TokenData, now: datetime) -> None:
    lifetime = LIFETIMES[data.purpose]
    if lifetime is None:
        return
    if data.issued > now + _CLOCK_SKEW:
        raise TokenError("the link was issued in the future")
    if now - data.issued > lifetime:
        raise TokenError("the link has expired")


def _fields(body: Any) -> TokenData:
    try:
        purpose, email, watches, issued = body["p"], body["e"], body["w"], body["t"]
    except (TypeError, KeyError):
        raise TokenError("the link is malformed") from None
    if (purpose not in LIFETIMES or not isinstance(email, str) or not isinstance(issued, int)
            or not isinstance(watches, list) or not all(isinstance(w, str) for w in watches)):
        raise TokenError("the link is malformed")
    return TokenData(cast(Purpose, purpose), email, tuple(watches),
                     datetime.fromtimestamp(issued, UTC))


def _sign(secret: str, payload: str) -> bytes:
    key = hmac.new(secret.encode(), _KEY_LABEL, hashlib.sha256).digest()
    return hmac.new(key, payload.encode(), hashlib.sha256).digest()


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _decode(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise TokenError("the link is malformed") from None
