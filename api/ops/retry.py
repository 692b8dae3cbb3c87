"""A request whose database connection was lost under it (the server restarted, a failover, an operator's
`pg_terminate_backend`) is run again on a new connection, when running it again is safe: a read (GET, HEAD,
OPTIONS), or a request sent with an `Idempotency-Key` to a route that reads one (which stores it once however often
it comes). Any other write is answered 500 as before, never repeated blindly: its first attempt may have committed.

`pool_pre_ping` (api/db.py) already replaces the connections that died while idle in the pool; this covers the ones
that die while a request holds them. A request is run again only while nothing of its answer has been sent, at most
`ATTEMPTS` times in all; its body, read by the first attempt, is read again from what was kept of it. Each one is
counted in `ipoteka_api_lost_connection_requests_total` and logged (method and route template, never the path).

The same holds for a request SQLite refused its write lock ("database is locked"): in WAL mode a transaction that
read before it writes cannot take the lock once another has committed since its read began (`SQLITE_BUSY_SNAPSHOT`,
no busy timeout waits for it), so under a burst of writes on the embedded database some fail at once; their
transaction is rolled back, and a new one reads afresh. Counted in `ipoteka_api_database_busy_requests_total`.
"""

import logging
import sqlite3
from collections.abc import Callable

from sqlalchemy.exc import DBAPIError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.ops.metrics import DB_BUSY_RETRIES, DB_RETRIES
from api.ops.timing import route_template

log = logging.getLogger(__name__)

ATTEMPTS = 3  # a connection lost again on the second try (a burst of kills) gets one more
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
IDEMPOTENCY_HEADER = b"idempotency-key"


def lost_connection(exc: BaseException) -> bool:
    """Whether `exc` (or one it was raised from, or grouped with) is SQLAlchemy's "the connection is gone"."""
    return _raised_with(exc, lambda each: isinstance(each, DBAPIError) and each.connection_invalidated)


def database_busy(exc: BaseException) -> bool:
    """Whether `exc` (or one it was raised from, or grouped with) is SQLite's busy: its write lock refused."""
    return _raised_with(
        exc,
        lambda each: (
            isinstance(each, sqlite3.OperationalError)
            and getattr(each, "sqlite_errorcode", 0) & 0xFF == sqlite3.SQLITE_BUSY
        ),
    )


def _raised_with(exc: BaseException, found: Callable[[BaseException], bool]) -> bool:
    seen: set[int] = set()
    todo = [exc]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if found(current):
            return True
        if isinstance(current, BaseExceptionGroup):
            todo.extend(current.exceptions)
        if isinstance(current, DBAPIError) and isinstance(current.orig, BaseException):
            todo.append(current.orig)  # the driver's own error
        todo.extend(e for e in (current.__cause__, current.__context__) if e is not None)
    return False


def repeatable(scope: Scope) -> bool:
    """A read, or a request with a key for the route it reached (routing leaves the route in the scope)."""
    if scope["method"] in SAFE_METHODS:
        return True
    keyed = any(name == IDEMPOTENCY_HEADER for name, _ in scope["headers"])
    return keyed and honours_key(scope.get("route"))


def honours_key(route: object) -> bool:
    """Whether the route (or a dependency of its) reads the `Idempotency-Key` header."""
    todo = [getattr(route, "dependant", None)]
    while todo:
        dependant = todo.pop()
        if dependant is None:
            continue
        if any(field.alias.lower() == IDEMPOTENCY_HEADER.decode() for field in dependant.header_params):
            return True
        todo.extend(dependant.dependencies)
    return False


class RetryOnLostConnection:
    """Pure ASGI middleware, inside the error handler (which turns what is still raised into the 500)."""

    def __init__(self, app: ASGIApp, *, attempts: int = ATTEMPTS) -> None:
        self.app = app
        self.attempts = attempts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body: list[Message] = []  # the request's body messages as the first attempt read them
        started = False

        async def noting_start(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        for attempt in range(1, self.attempts + 1):
            try:
                await self.app(scope, _replaying(body, receive), noting_start)
                return
            except Exception as exc:
                if lost_connection(exc):
                    counter, what = DB_RETRIES, "database connection lost"
                elif database_busy(exc):
                    counter, what = DB_BUSY_RETRIES, "database busy"
                else:
                    raise
                route, method = route_template(scope), scope["method"]
                again = not started and repeatable(scope) and attempt < self.attempts
                counter.labels(method, route, "retried" if again else "gave_up").inc()
                if not again:
                    why = "answer begun" if started else "not safe to repeat" if not repeatable(scope) else "last try"
                    log.warning("%s %s: %s, not run again (%s)", method, route, what, why)
                    raise
                log.warning("%s %s: %s, run again (attempt %d)", method, route, what, attempt)


def _replaying(body: list[Message], receive: Receive) -> Receive:
    """`receive` for one attempt: the body messages an earlier attempt read first, then the client's own (kept)."""
    kept = iter(list(body))

    async def receive_again() -> Message:
        message = next(kept, None)
        if message is None:
            message = await receive()
            if message["type"] == "http.request":
                body.append(message)
        return message

    return receive_again
