"""alerts: a daily news-alert service.

Polls news feeds, keeps the articles it knows, finds what is new for each watch (articles,
rebel counts, quoted statements) and emails each subscriber one digest a day.
"""

__version__ = "0.1.0"
USER_AGENT = f"alerts/{__version__} (news-alert service; +https://github.com/alerts/alerts)"
