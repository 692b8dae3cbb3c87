"""The package boundaries of SPEC §2, read from the imports: the backend knows no Telegram, the bot no database."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "api": {"aiogram", "bot", "dialogs", "scheduler", "ipoteka"},
    "bot": {"api", "sqlalchemy", "alembic", "scheduler", "ipoteka"},
    "dialogs": {"api", "sqlalchemy", "alembic", "scheduler", "ipoteka", "httpx"},
    # SQLAlchemy only for its own job store and leader lock, never the backend's database
    "scheduler": {"api", "alembic", "ipoteka", "asyncpg", "aiosqlite"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_stay_inside_their_boundary(package):
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, f"no sources found in {package}/"
    crossings = {
        str(path.relative_to(ROOT)): sorted(_imports(path) & FORBIDDEN[package])
        for path in files
        if _imports(path) & FORBIDDEN[package]
    }
    assert not crossings


def test_the_engine_is_pure():
    for path in (ROOT / "api" / "engine").rglob("*.py"):
        modules = {
            node.module
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0
        }
        outside = {m for m in modules if m.startswith("api.") and not m.startswith("api.engine")}
        assert not outside and not _imports(path) & {"sqlalchemy", "fastapi", "httpx"}, path
