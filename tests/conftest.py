"""Fixtures shared by the whole suite: a loopback feed server, a loopback SMTP server, the
databases (SQLite, and PostgreSQL when reachable) and a headless Chromium."""

pytest_plugins = ["tests.feedserver", "tests.smtpserver", "tests.databases", "tests.browser"]
