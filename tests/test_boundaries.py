"""The package boundaries of SPEC §2 and the layers inside the bot, read from the imports: the backend knows no
Telegram, the bot no database; the bot's toolkit knows no dialog, the dialogs know no application above them."""

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: The development-only packages: never imported by the product, which is installed without them.
DEV_ONLY = {"tests", "bench", "fake_bot_api"}
FORBIDDEN = {
    "api": {"aiogram", "bot", "dialogs", "scheduler", "ipoteka", *DEV_ONLY},
    "bot": {"api", "sqlalchemy", "alembic", "scheduler", "ipoteka", *DEV_ONLY},
    "dialogs": {"api", "sqlalchemy", "alembic", "scheduler", "ipoteka", "httpx", *DEV_ONLY},
    # SQLAlchemy only for its own job store and leader lock, never the backend's database
    "scheduler": {"api", "alembic", "ipoteka", "asyncpg", "aiosqlite", *DEV_ONLY},
    "ipoteka": DEV_ONLY,
    # the benchmarks use the product and the fake Bot API, never the tests' helpers
    "bench": {"tests"},
    # a stand-in for Telegram, knowing nothing of the product
    "fake_bot_api": {"api", "bot", "dialogs", "scheduler", "ipoteka", "tests", "bench"},
}
#: The bot's application layer (the dispatcher with every dialog, the runner): above the dialogs, so only it and the
#: composition root (`ipoteka/`) may import them.
APP = "bot.app"
#: Inside a package: which modules may not import what, both ways across the toolkit, the dialogs and the app layer.
LAYERS = {
    "the toolkit (bot/ without bot/app/)": (
        lambda module: module.startswith("bot.") and not _within(module, APP),
        {"dialogs", APP},
    ),
    "the dialogs": (lambda module: _within(module, "dialogs"), {APP}),
    "the scheduler": (lambda module: _within(module, "scheduler"), {"dialogs", APP}),
}


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(path: Path) -> set[str]:
    """Every module `path` imports, by its full name; `from a.b import c` counts as both `a.b` and `a.b.c`, since
    `c` may be a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def _imports(path: Path) -> set[str]:
    return {name.split(".")[0] for name in _imported(path)}


def _sources(*packages: str) -> list[Path]:
    return sorted(path for package in packages for path in (ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_stay_inside_their_boundary(package):
    files = _sources(package)
    assert files, f"no sources found in {package}/"
    crossings = {
        str(path.relative_to(ROOT)): sorted(_imports(path) & FORBIDDEN[package])
        for path in files
        if _imports(path) & FORBIDDEN[package]
    }
    assert not crossings


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_layers_import_only_downwards(layer):
    belongs, forbidden = LAYERS[layer]
    files = [path for path in _sources("bot", "dialogs", "scheduler") if belongs(_module_name(path))]
    assert files, f"no sources found for {layer}"
    crossings = {
        str(path.relative_to(ROOT)): sorted(
            name for name in _imported(path) if any(_within(name, upper) for upper in forbidden)
        )
        for path in files
    }
    assert not {path: names for path, names in crossings.items() if names}


def test_the_app_layer_exists_and_assembles_the_dialogs():
    """The check above would pass on an empty `bot/app/`: the dialogs must really be assembled there."""
    app = [path for path in _sources("bot") if _within(_module_name(path), APP)]
    assert any(any(_within(name, "dialogs") for name in _imported(path)) for path in app)


def test_dialogs_modules_import_no_cycle():
    """Dialogs lead into each other; a cycle of imports among them would make one half-built when the other runs."""
    files = _sources("dialogs")
    modules = {_module_name(path) for path in files}
    graph = {_module_name(path): {name for name in _imported(path) if name in modules} for path in files}
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        pytest.fail(f"import cycle among dialogs modules: {' -> '.join(exc.args[1])}")


def test_the_engine_is_pure():
    for path in (ROOT / "api" / "engine").rglob("*.py"):
        modules = {
            node.module
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0
        }
        outside = {m for m in modules if m.startswith("api.") and not m.startswith("api.engine")}
        assert not outside and not _imports(path) & {"sqlalchemy", "fastapi", "httpx"}, path
