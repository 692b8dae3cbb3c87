"""The database for a one-shot command: the engine from the settings, a schema check, one session."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from api.db import checks_replanning, create_engine, create_sessionmaker
from api.models import Base
from api.settings import Settings


class SchemaMissingError(Exception):
    """The database has not been migrated: `ipoteka db upgrade` must run first."""


async def _missing_tables(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as conn:
        present = set(await conn.run_sync(lambda sync: inspect(sync).get_table_names()))
    return sorted(set(Base.metadata.tables) - present)


async def _check_schema(engine: AsyncEngine) -> None:
    missing = await _missing_tables(engine)
    if missing:
        shown = ", ".join(missing[:3]) + (", ..." if len(missing) > 3 else "")
        raise SchemaMissingError(
            f"The database schema is missing or out of date (no table {shown}); run `ipoteka db upgrade` first."
        )


async def check_schema(settings: Settings) -> None:
    """`SchemaMissingError` unless `ipoteka db upgrade` has run on `settings.database_url`."""
    engine = create_engine(settings)
    try:
        await _check_schema(engine)
    finally:
        await engine.dispose()


@asynccontextmanager
async def command_session(settings: Settings) -> AsyncIterator[AsyncSession]:
    """A session on `settings.database_url`; `SchemaMissingError` when any table is missing."""
    engine = create_engine(settings)
    try:
        await _check_schema(engine)
        async with create_sessionmaker(engine, check_replanning=checks_replanning(settings))() as session:
            yield session
    finally:
        await engine.dispose()
