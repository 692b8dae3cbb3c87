"""The async engine and session factory; nothing is built at import time."""

from sqlalchemy import event, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from api.outbox.replanning_check import ReplanningCheckedSession
from api.settings import DEV_MODES, Settings


def create_engine(settings: Settings) -> AsyncEngine:
    """An engine for `settings.database_url`; SQLite gets foreign keys and a busy timeout. A statement's parameters
    (names, phones, contract numbers) never reach an error message or the echo log. A server's connections are
    pinged as they leave the pool (one that died idle is replaced); a SQLite file has no connection to lose, and the
    ping would cost each request a round trip through aiosqlite's thread."""
    sqlite = make_url(settings.database_url).get_backend_name() == "sqlite"
    engine = create_async_engine(
        settings.database_url, echo=settings.database_echo, pool_pre_ping=not sqlite, hide_parameters=True
    )
    if sqlite:
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def create_sessionmaker(engine: AsyncEngine, *, check_replanning: bool = False) -> async_sessionmaker[AsyncSession]:
    """Sessions for `engine`; `check_replanning` (dev, demo and test mode: `checks_replanning`) refuses a commit
    that changed what reminders depend on without replanning them (api/outbox/replanning_check.py)."""
    if check_replanning:
        return async_sessionmaker(engine, expire_on_commit=False, sync_session_class=ReplanningCheckedSession)
    return async_sessionmaker(engine, expire_on_commit=False)


def checks_replanning(settings: Settings) -> bool:
    """Whether sessions check that every change to what reminders depend on is replanned: outside production."""
    return settings.mode in DEV_MODES
