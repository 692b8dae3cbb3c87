"""The deployment examples in deploy/ hold together: the compose file describes the topology of issue 18 (the backend
with 2 workers on PostgreSQL, 2 bot replicas in webhook mode behind one proxy, Redis, 2 schedulers), every variable
the env files and units set is one a process reads, and the compose file passes `docker compose config` where a
compose is installed (else its YAML is read and checked here)."""

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from api.settings import Settings
from bot.settings import BotSettings
from ipoteka.logs import LogSettings
from scheduler.settings import SchedulerSettings

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
#: Read by something other than the settings classes: prometheus-client, and the proxy's own file.
OTHER_VARIABLES = {"PROMETHEUS_MULTIPROC_DIR", "BOT_DOMAIN"}


def known_variables() -> set[str]:
    names = set(OTHER_VARIABLES)
    for settings, prefix in ((Settings, ""), (BotSettings, ""), (LogSettings, ""), (SchedulerSettings, "SCHEDULER_")):
        for name, field in settings.model_fields.items():
            alias = field.validation_alias
            choices = getattr(alias, "choices", None) or ([alias] if isinstance(alias, str) else [])
            names |= {str(choice).upper() for choice in choices} | {f"{prefix}{name}".upper()}
            if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel):  # BANK__PHONE
                names |= {f"{prefix}{name}__{part}".upper() for part in field.annotation.model_fields}
    return names


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))


def env_file(path: Path) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in path.read_text(encoding="utf-8").splitlines() if "=" in line)
    return {name.strip(): value for name, value in pairs if not name.lstrip().startswith("#")}


def test_the_compose_file_describes_the_topology():
    services = compose()["services"]

    api = services["api"]
    assert api["command"][:1] == ["api"] and api["command"][api["command"].index("--workers") + 1] == "2"
    assert "PROMETHEUS_MULTIPROC_DIR" in api["environment"]
    assert "readyz" in " ".join(api["healthcheck"]["test"])
    bots = [name for name, service in services.items() if service.get("command") == ["bot"]]
    schedulers = [name for name, service in services.items() if service.get("command") == ["scheduler"]]
    assert sorted(bots) == ["bot-1", "bot-2"] and sorted(schedulers) == ["scheduler-1", "scheduler-2"]
    for name in bots:
        assert "env/bot.env" in services[name]["env_file"]
        assert services[name]["environment"]["WEBHOOK_HOST"] == "0.0.0.0"  # noqa: S104 (inside its container)
    for name in schedulers:
        assert services[name]["environment"]["SCHEDULER_METRICS_PORT"] == "9100"
    assert {"postgres", "redis", "migrate", "proxy"} <= set(services)
    assert services["migrate"]["command"] == ["db", "upgrade"]
    assert set(services["proxy"]["depends_on"]) == {"bot-1", "bot-2"}
    caddy = (DEPLOY / "Caddyfile").read_text(encoding="utf-8")
    assert "reverse_proxy bot-1:8080 bot-2:8080" in caddy and "handle /telegram/webhook" in caddy
    for paths in (service.get("env_file", []) for service in services.values()):
        for path in paths:
            assert (DEPLOY / f"{path}.example").is_file(), path


def test_env_examples_set_only_variables_a_process_reads():
    known = known_variables()
    for example in sorted((DEPLOY / "env").glob("*.env.example")):
        unknown = set(env_file(example)) - known
        assert not unknown, f"{example.name}: {sorted(unknown)}"
    for service in compose()["services"].values():
        if service.get("image") == "ipoteka-assistant":
            assert set(service.get("environment", {})) <= known


def test_env_examples_are_valid_settings_once_filled_in():
    """The production settings accept the examples with their placeholders replaced by real-looking secrets."""
    values = {}
    for example in (DEPLOY / "env").glob("*.env.example"):
        values |= env_file(example)
    filled = {name: value.replace("CHANGE-ME", "Zq8vX2kLp9Rt4Wm7Yb3Nc6Hd1Fg5Js0Aa") for name, value in values.items()}
    lowered = {name.lower(): value for name, value in filled.items()}
    assert Settings(**{k: v for k, v in lowered.items() if k in Settings.model_fields}).mode == "production"
    bot = BotSettings(**{k: v for k, v in lowered.items() if k in BotSettings.model_fields})
    assert bot.webhook_url and bot.redis_url and bot.metrics_token
    scheduler = SchedulerSettings(
        **{k.removeprefix("scheduler_"): v for k, v in lowered.items() if k.startswith("scheduler_")}
    )
    assert scheduler.database_url.startswith("postgresql+psycopg://")


@pytest.mark.parametrize("unit", sorted(path.name for path in (DEPLOY / "systemd").glob("*.service")))
def test_systemd_units_start_an_ipoteka_command_with_known_variables(unit):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    text = (DEPLOY / "systemd" / unit).read_text(encoding="utf-8")
    parser.read_string(text)
    command = parser["Service"]["ExecStart"].split()
    assert command[0] == "/opt/ipoteka/.venv/bin/ipoteka" and command[1] in {"api", "bot", "scheduler"}
    variables = {line.split("=", 2)[1] for line in text.splitlines() if line.startswith("Environment=")}
    assert variables <= known_variables()
    assert parser["Service"]["Restart"] == "on-failure"


def test_docker_compose_accepts_the_file(tmp_path):
    """`docker compose config` (or docker-compose's) on a copy with the examples as the env files."""
    command = _compose_command()
    if command is None:
        pytest.skip("no docker compose here: the YAML checks above stand in")
    copy = tmp_path / "deploy"
    shutil.copytree(DEPLOY, copy)
    for example in (copy / "env").glob("*.example"):
        shutil.copy(example, example.with_suffix(""))
    result = subprocess.run(  # noqa: S603 (a fixed command)
        [*command, "-f", str(copy / "docker-compose.yml"), "config", "-q"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def _compose_command() -> list[str] | None:
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True, check=False).returncode == 0:  # noqa: S603
        return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None
