"""Fixtures for the CSV load: an emptied database for the command, and CSV files written in tmp_path."""

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.importer.cli_database import cli_env, empty_database


@pytest.fixture
def env(database_url: str) -> dict[str, str]:
    """An empty database and the environment pointing the CLI at it."""
    empty_database(database_url)
    return cli_env(database_url)


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    """Write `lines` (already delimited) to tmp_path/name, UTF-8 unless told otherwise."""

    def write(name: str, *lines: str, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
        return path

    return write
