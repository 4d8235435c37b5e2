"""Canonical URLs: one spelling for every link that leads to the same article. Pure functions."""

from __future__ import annotations

from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

# Query parameters that only say how a reader arrived (campaign, click and referral trackers).
_TRACKING_NAMES = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid",
    "mc_cid", "mc_eid", "ocid", "cmpid", "cmp", "ito", "taid", "_ga", "_gl", "mkt_tok", "s_cid",
    "wt.mc_id", "smid", "ref_src", "rss_source",
})
_TRACKING_PREFIXES = ("utm_", "at_", "ns_", "pk_")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: str) -> str:
    """The one form of ``url`` that every link to the same page shares.

    Lowercase scheme and host, https for http, no default port, no fragment, no tracking
    parameters, the other query parameters sorted. Anything that is not an http(s) URL comes
    back stripped of surrounding whitespace and otherwise untouched.
    """
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return url
    host = parts.hostname.rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = f"{userinfo}@{host}" if userinfo else host
    return urlunsplit(("https", netloc, parts.path or "/", _clean_query(parts.query), ""))


def _clean_query(query: str) -> str:
    pairs = parse_qsl(query, keep_blank_values=True)
    kept = sorted((name, value) for name, value in pairs if not is_tracking_parameter(name))
    return urlencode(kept, quote_via=quote)


def is_tracking_parameter(name: str) -> bool:
    """True for a query parameter that tracks a click rather than naming content."""
    lowered = name.lower()
    return lowered in _TRACKING_NAMES or lowered.startswith(_TRACKING_PREFIXES)
