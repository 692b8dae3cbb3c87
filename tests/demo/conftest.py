"""Fixtures for the demo, staff and api commands: an emptied database and the environment pointing at it."""

from datetime import UTC, datetime

import pytest

from api.integration.schemas import BorrowerUpsert
from api.integration.service import upsert_borrower
from tests.importer.cli_database import cli_env, empty_database, run_query


@pytest.fixture
def env(database_url: str) -> dict[str, str]:
    empty_database(database_url)
    return cli_env(database_url)


@pytest.fixture
def write_real_borrower(database_url: str):
    """Load a borrower the way the bank would, outside the demo's external ids."""

    def write(body: dict) -> None:
        data = BorrowerUpsert.model_validate(body)
        now = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
        run_query(database_url, lambda session: upsert_borrower(session, external_id="BANK-1", data=data, now=now))

    return write
