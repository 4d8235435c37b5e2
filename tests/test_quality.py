"""Lint, types and docs are part of the test command: ruff, mypy --strict, README coverage."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from alerts.cli import COMMANDS

ROOT = Path(__file__).resolve().parents[1]


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


def tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: pip install -e '.[test]'")
    return found


def test_ruff_finds_nothing() -> None:
    done = run(tool("ruff"), "check", "alerts", "tests")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict_finds_nothing() -> None:
    done = run(tool("mypy"))
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_is_documented_in_the_readme(command: str) -> None:
    assert f"alerts {command}" in (ROOT / "README.md").read_text("utf-8")


def test_pure_modules_import_no_network_smtp_or_database_library() -> None:
    pure = ["models", "errors", "text", "rules", "novelty", "render", "parse", "urls",
            "extract/counts", "extract/statements"]
    banned = ("httpx", "smtplib", "sqlalchemy", "socket", "aiosmtpd", "urllib.request")
    for name in pure:
        source = (ROOT / "alerts" / f"{name}.py").read_text("utf-8")
        for library in banned:
            assert f"import {library}" not in source, f"{name} imports {library}"
            assert f"from {library} " not in source, f"{name} imports {library}"
