"""Only one scheduler leads: a PostgreSQL advisory lock held by a session, or on SQLite an exclusive lock on a file
beside the job store. Either is freed the moment its process dies, so a waiting scheduler takes over."""

import contextlib
import fcntl
import logging
from pathlib import Path
from typing import IO, Protocol

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

log = logging.getLogger(__name__)
#: The advisory lock's two keys ("IPOT", "SCHD" as integers).
LOCK_KEYS = {"a": 0x49504F54, "b": 0x53434844}


class LeaderLock(Protocol):
    def try_acquire(self) -> bool: ...
    def held(self) -> bool: ...
    def release(self) -> None: ...


class AdvisoryLock:
    """A session-level advisory lock on a connection of its own (autocommit, so it never idles in a transaction)."""

    def __init__(self, url: str) -> None:
        self._engine = create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
        self._connection = None

    def try_acquire(self) -> bool:
        try:
            connection = self._engine.connect()
        except SQLAlchemyError as exc:
            log.warning("the leader lock's database is unreachable: %s", type(exc).__name__)
            return False
        if connection.execute(text("SELECT pg_try_advisory_lock(:a, :b)"), LOCK_KEYS).scalar():
            self._connection = connection
            return True
        connection.close()
        return False

    def held(self) -> bool:
        if self._connection is None:
            return False
        try:
            return bool(
                self._connection.execute(
                    text(
                        "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
                        " AND pid = pg_backend_pid() AND classid = :a AND objid = :b AND objsubid = 2)"
                    ),
                    LOCK_KEYS,
                ).scalar()
            )
        except SQLAlchemyError:
            return False

    def release(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(SQLAlchemyError):  # a connection that is gone took the lock with it
                connection.execute(text("SELECT pg_advisory_unlock(:a, :b)"), LOCK_KEYS)
            connection.close()


class FileLock:
    """An exclusive `flock` on a file: the equivalent for one machine, which is what SQLite serves anyway."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._handle: IO[str] | None = None

    def try_acquire(self) -> bool:
        handle = self._path.open("a+")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._handle = handle
        return True

    def held(self) -> bool:
        return self._handle is not None

    def release(self) -> None:
        handle, self._handle = self._handle, None
        if handle is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
            handle.close()


def leader_lock(database_url: str) -> LeaderLock:
    """The lock that goes with the job store's database."""
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        return AdvisoryLock(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return FileLock(Path(f"{url.database}.leader"))
    raise ValueError("SCHEDULER_DATABASE_URL must be PostgreSQL or an SQLite file")
