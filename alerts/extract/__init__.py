"""Claims in article text: counts of rebels and direct statements. Pure.

``extract`` cleans the text (HTML or plain, mojibake, related-links boilerplate) and runs both
extractors. ``extraction_record`` is the one JSON shape outside tools score us through
(``alerts extract --json``). Counts of the government's supporters ("five of his MPs praised the
plans") are included in its ``counts`` in the same shape as rebel counts: they are claims the
reporting makes, the hand annotations list them, and the ``rebel`` flag stays on the model for
the digest to keep them apart.
"""

from __future__ import annotations

from alerts.extract.counts import find_counts
from alerts.extract.statements import find_statements
from alerts.models import Extraction
from alerts.text import clean_article

__all__ = ["extract", "extraction_record", "find_counts", "find_statements"]


def extract(text: str) -> Extraction:
    """Counts and statements of an article given as HTML or plain text."""
    clean = clean_article(text)
    return Extraction(tuple(find_counts(clean)), tuple(find_statements(clean)))


def extraction_record(path: str, ex: Extraction) -> dict[str, object]:
    """The JSON record of one input, exactly as ``alerts extract --json`` prints it."""
    return {
        "path": path,
        "counts": [
            {"count": c.count, "qualifier": c.qualifier, "group": c.group, "action": c.action,
             "span": c.span}
            for c in ex.counts
        ],
        "statements": [
            {"speaker": s.speaker, "text": s.text, "fragment": s.fragment} for s in ex.statements
        ],
    }
