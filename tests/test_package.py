"""The wheel is the product: built from the project, installed in a fresh virtualenv, it migrates, seeds the demo
data and runs the whole system (`ipoteka run`) against a fake Bot API, answering /start in Russian from its own
compiled catalogs, with nothing read from the source tree."""

import ast
import asyncio
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest

from tests.bot.telegram_fake import USER, FakeTelegram, free_port, serving, start_update
from tests.helpers import eventually

ROOT = Path(__file__).resolve().parent.parent
#: One worker builds the wheel once for the module (the first, as it takes tens of seconds).
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("wheel")]
_NOT_SOURCE = (".git", ".venv", "build", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis", "*.db", "*.mo")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv holding only the wheel; the dependencies come from this one's site-packages."""
    work = tmp_path_factory.mktemp("wheel")
    # a copy, so the build's own build/ and egg-info (and anything stale in them) stay out of the working tree
    source = shutil.copytree(ROOT, work / "source", ignore=shutil.ignore_patterns(*_NOT_SOURCE))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    # built with this environment's setuptools and babel (the build requirements, checked against setup.py below),
    # not in an isolated environment fetched from the index for every run
    wheel = [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", work / "dist", source]
    subprocess.run(wheel, check=True, cwd=work)  # noqa: S603
    [wheel] = (work / "dist").glob("ipoteka_assistant-*.whl")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)  # noqa: S603
    python = venv / "bin" / "python"
    site = subprocess.run(  # noqa: S603
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # a plain path line: this environment's packages become importable, its .pth files (the editable install of
    # the project) are not run
    Path(site, "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([*pip, "--python", python, "install", "--no-deps", wheel], check=True)  # noqa: S603
    return venv


def _environment(data: Path, **more: str) -> dict[str, str]:
    keep = {"PATH", "HOME", "LANG", "TMPDIR"}
    return {k: v for k, v in os.environ.items() if k in keep} | {"DATA_DIR": str(data), "MODE": "demo"} | more


@pytest.fixture(scope="module")
def probed(installed, tmp_path_factory) -> dict[str, str]:
    """What the installed wheel's own interpreter finds: where the packages come from, the catalogs, the phrase
    sets and a typed request read with them (one interpreter, as importing them is most of the cost)."""
    probe = (
        "import datetime, json, api, bot.i18n, locales, bot.intents.phrases as p; from pathlib import Path; "
        "from bot.intents.reader import IntentReader; "
        "r = IntentReader.build().read('скока мне ещё платить', 'ru', today=datetime.date.today()); "
        "print(json.dumps({'api': api.__file__, 'phrases': p.__file__, 'read': f'{r.best.intent} {r.sure}', "
        "'catalogs': ' '.join(sorted(f.name for f in Path(locales.__file__).parent.rglob('*.mo')))}))"
    )
    out = subprocess.run(  # noqa: S603
        [installed / "bin" / "python", "-c", probe],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path_factory.mktemp("probe"),
    ).stdout
    return json.loads(out)


def test_the_wheel_holds_the_compiled_catalogs_and_the_migrations(installed, probed):
    assert probed["api"].startswith(str(installed))  # not the source tree
    assert probed["catalogs"] == "messages.mo messages.mo"


def test_the_wheel_carries_the_phrase_sets_and_reads_typed_requests(installed, probed):
    assert probed["phrases"].startswith(str(installed))  # the packaged phrase sets, not the source tree's
    assert probed["read"] == "balance True"


def test_the_build_requirements_cover_what_the_build_hook_imports():
    """The wheel above is built without isolation; this keeps what an isolated build would check: every module
    setup.py imports is a declared build requirement."""
    tree = ast.parse((ROOT / "setup.py").read_text())
    imported = {
        alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    }
    imported |= {
        node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    imported -= set(sys.stdlib_module_names)
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["build-system"]["requires"]
    names = {re.split(r"[<>=!~\[ ;]", requirement, maxsplit=1)[0].lower() for requirement in declared}
    assert imported == {"setuptools", "babel"}
    assert imported <= names


@pytest.fixture
def seeded(installed, tmp_path) -> dict[str, str]:
    """The installed commands' environment, its data directory migrated and seeded by them."""
    env = _environment(tmp_path / "data")
    (tmp_path / "data").mkdir()
    ipoteka = installed / "bin" / "ipoteka"
    for command in (["db", "upgrade"], ["demo-data"]):
        subprocess.run([ipoteka, *command], check=True, env=env, cwd=tmp_path, capture_output=True)  # noqa: S603
    return env


async def test_the_installed_system_migrates_seeds_and_answers(installed, seeded, tmp_path):
    ipoteka, env = installed / "bin" / "ipoteka", seeded
    async with serving(FakeTelegram(updates=[start_update()])) as telegram:
        running = await asyncio.create_subprocess_exec(
            ipoteka,
            "run",
            cwd=tmp_path,
            env=env | {"BOT_TOKEN": "42:TEST", "TELEGRAM_API_URL": telegram.url, "API_PORT": str(free_port())},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            await eventually(lambda: "sendMessage" in telegram.methods(), seconds=60)
        finally:
            running.send_signal(signal.SIGTERM)
            _, errors = await asyncio.wait_for(running.communicate(), timeout=30)

    assert running.returncode == 0, errors.decode()
    [greeting] = telegram.params("sendMessage")
    assert greeting["chat_id"] == str(USER)
    assert "152-ФЗ" in greeting["text"]  # the Russian catalog, compiled into the wheel
    assert (tmp_path / "data" / "ipoteka.db").is_file()
    assert (tmp_path / "data" / "ipoteka-scheduler.db").is_file()  # the job store beside it, not in the cwd
    assert not list(tmp_path.glob("*.db"))
