"""`/readyz`'s checks: the database answers, Redis answers when `REDIS_URL` is set, and the database's migrations
are at the head of the code's. Each check is bounded in time and names what failed, never a secret."""

import asyncio
from collections.abc import Awaitable
from functools import cache

from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.migrate import alembic_config
from api.settings import Settings

CHECK_SECONDS = 2.0


class NotReady(Exception):
    """A check failed; the message says how, in words safe to show unauthenticated."""


@cache
def code_heads() -> frozenset[str]:
    """The head revisions of the migrations shipped with this code (read once per process). Reading them imports
    the revision files, some of which name constraints with `op.f` as they load: a context stands behind `op`."""
    with Operations.context(MigrationContext.configure(dialect_name="sqlite")):
        return frozenset(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


async def database(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))


async def migrations(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        current = frozenset(await conn.run_sync(lambda sync: MigrationContext.configure(sync).get_current_heads()))
    if not current:
        raise NotReady("not migrated: run `ipoteka db upgrade`")
    if current != code_heads():
        raise NotReady(f"at {', '.join(sorted(current))}, the code's head is {', '.join(sorted(code_heads()))}")


async def redis(url: str) -> None:
    client = Redis.from_url(url, socket_connect_timeout=CHECK_SECONDS, socket_timeout=CHECK_SECONDS)
    try:
        await client.ping()
    finally:
        await client.aclose()


async def outcome(check: Awaitable[None]) -> str:
    """`ok`, or why not: the check's own words, or the error's type (its message may hold an address or a URL)."""
    try:
        async with asyncio.timeout(CHECK_SECONDS):
            await check
    except NotReady as exc:
        return f"failed: {exc}"
    except TimeoutError:
        return f"failed: no answer within {CHECK_SECONDS:g} s"
    except Exception as exc:
        return f"failed: {type(exc).__name__}"
    return "ok"


async def checks(settings: Settings, engine: AsyncEngine) -> dict[str, str]:
    """Every check's outcome by name, run at once."""
    named: dict[str, Awaitable[None]] = {"database": database(engine), "migrations": migrations(engine)}
    if settings.redis_url:
        named["redis"] = redis(settings.redis_url)
    results = await asyncio.gather(*(outcome(check) for check in named.values()))
    return dict(zip(named, results, strict=True))
