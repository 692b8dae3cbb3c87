"""The test database as a CLI command sees it: emptied, counted and queried through an engine of its own."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.db import create_engine, create_sessionmaker
from api.models import Base
from api.settings import Settings
from tests.resets import reset

ResultT = TypeVar("ResultT")


def cli_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment a command reads its Settings from."""
    return {"DATABASE_URL": database_url, "MODE": "test", **extra}


def run_query(database_url: str, query: Callable[[AsyncSession], Awaitable[ResultT]]) -> ResultT:
    """Run `query` in a fresh session from a sync test (the commands under test call asyncio.run too)."""

    async def main() -> ResultT:
        engine = create_engine(Settings(mode="test", database_url=database_url))
        try:
            async with create_sessionmaker(engine)() as session:
                return await query(session)
        finally:
            await engine.dispose()

    return asyncio.run(main())


def empty_database(database_url: str) -> None:
    async def main() -> None:
        engine = create_engine(Settings(mode="test", database_url=database_url))
        await reset(engine, demo=False)
        await engine.dispose()

    asyncio.run(main())


async def _counts(session: AsyncSession) -> dict[str, int]:
    return {
        table.name: await session.scalar(select(func.count()).select_from(table))
        for table in Base.metadata.sorted_tables
    }


def row_counts(database_url: str) -> dict[str, int]:
    """Rows per table, the audit log included."""
    return run_query(database_url, _counts)
