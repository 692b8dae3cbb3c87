"""The Alembic migrations build exactly the schema the models describe, and go down again, on either database."""

import asyncio
import os
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from api.db import create_engine
from api.migrate import downgrade, upgrade
from api.models import Base
from api.settings import Settings
from tests.conftest import worker_database

CHECK_DB = "ipoteka_migration_check"


@pytest.fixture
def fresh_url(tmp_path) -> Iterator[str]:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield f"sqlite+aiosqlite:///{tmp_path}/migrations.db"
        return
    # A scratch database of this pytest-xdist worker's own, created and dropped through the test database.
    scratch = asyncio.run(worker_database(url, CHECK_DB, fresh=True))
    yield scratch
    _admin_sql(url, f"DROP DATABASE IF EXISTS {make_url(scratch).database}")


def _admin_sql(url: str, *statements: str) -> None:
    async def run() -> None:
        engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
        async with engine.connect() as conn:
            for statement in statements:
                await conn.execute(text(statement))
        await engine.dispose()

    asyncio.run(run())


def _diff(url: str) -> list:
    async def run() -> list:
        engine = create_engine(Settings(mode="test", database_url=url))
        async with engine.connect() as conn:
            diff = await conn.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"compare_type": True}), Base.metadata
                )
            )
        await engine.dispose()
        return diff

    return asyncio.run(run())


@pytest.mark.database
def test_migrations_match_models_and_reverse(fresh_url):
    settings = Settings(mode="test", database_url=fresh_url)
    upgrade(settings)
    assert _diff(fresh_url) == []
    downgrade(settings, "base")
    upgrade(settings)
    assert _diff(fresh_url) == []
