"""alerts: a daily news-alert service.

Polls news feeds, keeps the articles it knows, finds what is new for each watch (articles,
rebel counts, quoted statements) and emails each subscriber one digest a day.
"""

import sys

__version__ = "0.1.0"
USER_AGENT = f"alerts/{__version__} (news-alert service; +https://github.com/alerts/alerts)"

# httpx loads its own command-line client (click, rich and pygments: ~60 ms at every poll's
# start) whenever those are installed, as they are here for other reasons. alerts never runs
# it; a None entry makes that import fail at once, and httpx falls back to a stub `httpx.main`.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
