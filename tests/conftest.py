"""Fixtures shared by the whole suite: a loopback feed server, a loopback SMTP server, and
the databases (SQLite, and PostgreSQL when reachable)."""

pytest_plugins = ["tests.feedserver", "tests.smtpserver", "tests.databases"]
