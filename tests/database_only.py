"""The suite on a second database holds only the tests that reach the database under test.

CI runs the suite on SQLite and on PostgreSQL at once; a test that never touches the database under test (the
engine's arithmetic, the phrase sets, the wheel, the topology on a PostgreSQL database of its own) runs the same in
both, so with `DATABASE_TESTS_ONLY=1` it is deselected from the second. A test reaches the database when it uses the
`database_url` fixture (the app, the engine and every dialog fixture stand on it) or is marked `database` (it reads
TEST_DATABASE_URL itself)."""

import os

import pytest

ENVIRONMENT = "DATABASE_TESTS_ONLY"


def reaches_the_database(item: pytest.Item) -> bool:
    return "database_url" in getattr(item, "fixturenames", ()) or item.get_closest_marker("database") is not None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not os.environ.get(ENVIRONMENT):
        return
    kept = [item for item in items if reaches_the_database(item)]
    left = [item for item in items if not reaches_the_database(item)]
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept
