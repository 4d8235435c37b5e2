"""Fixtures shared by the whole suite: a loopback feed server and a loopback SMTP server."""

pytest_plugins = ["tests.feedserver", "tests.smtpserver"]
