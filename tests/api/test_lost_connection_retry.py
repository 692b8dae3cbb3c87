"""What is run again when a request's database connection is lost under it (api/ops/retry.py), and what never is:
reads, and requests with an Idempotency-Key to a route that reads it, are (their body read again); other writes,
answers already begun and other database errors are not (the same for a write lock SQLite refused); and a session
whose connection was lost after its answer closes without an error (api/deps.py). A small app loses its connection
on cue here; tests/api/test_connection_kills.py kills real ones on PostgreSQL."""

import sqlite3
from typing import Annotated

import httpx
import pytest
from fastapi import Body, FastAPI, Header
from fastapi.responses import StreamingResponse
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import Feedback, SupportCase
from api.ops.retry import ATTEMPTS, RetryOnLostConnection, database_busy, lost_connection
from tests.conftest import SERVICE_TOKEN
from tests.helpers import as_user

USER = 31_101


def _lost() -> DBAPIError:
    return DBAPIError("SELECT 1", None, ConnectionError("terminating connection"), connection_invalidated=True)


class Flaky:
    """Fails its first `losses` runs with `error`, then answers."""

    def __init__(self, losses: int, error: Exception | None = None) -> None:
        self.losses, self.error, self.runs = losses, error or _lost(), 0

    def run(self) -> None:
        self.runs += 1
        if self.runs <= self.losses:
            raise self.error


def _app(flaky: Flaky) -> FastAPI:
    app = FastAPI()
    app.add_middleware(RetryOnLostConnection)

    @app.api_route("/read", methods=["GET", "HEAD", "OPTIONS"])
    async def read() -> dict:
        flaky.run()
        return {"ok": True}

    @app.post("/keyed")
    async def keyed(body: Annotated[dict, Body()], key: Annotated[str, Header(alias="Idempotency-Key")]) -> dict:
        flaky.run()
        return body | {"key": key}

    @app.api_route("/unkeyed", methods=["POST", "PATCH", "PUT", "DELETE"])
    async def unkeyed() -> dict:
        flaky.run()
        return {"ok": True}

    @app.get("/streamed")
    async def streamed() -> StreamingResponse:
        async def chunks():
            yield b"begun"
            flaky.run()

        return StreamingResponse(chunks())

    return app


def _client(flaky: Flaky) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=_app(flaky)), base_url="http://api")


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS"])
async def test_a_read_is_run_again_on_a_new_connection(method):
    flaky = Flaky(losses=ATTEMPTS - 1)
    async with _client(flaky) as client:
        response = await client.request(method, "/read")
    assert (response.status_code, flaky.runs) == (200, ATTEMPTS)


async def test_a_keyed_request_is_run_again_with_its_body():
    flaky = Flaky(losses=1)
    async with _client(flaky) as client:
        response = await client.post("/keyed", json={"score": 5}, headers={"Idempotency-Key": "key-0001"})
    assert (response.status_code, response.json(), flaky.runs) == (200, {"score": 5, "key": "key-0001"}, 2)


@pytest.mark.parametrize("method", ["POST", "PATCH", "PUT", "DELETE"])
@pytest.mark.parametrize("key", [None, "key-0001"])
async def test_a_write_to_a_route_without_keys_is_never_run_again(method, key):
    """Not even with a key: a route that does not read one would store the repeat."""
    flaky = Flaky(losses=1)
    headers = {"Idempotency-Key": key} if key else {}
    async with _client(flaky) as client:
        with pytest.raises(DBAPIError):
            await client.request(method, "/unkeyed", json={"reason": "requested"}, headers=headers)
    assert flaky.runs == 1


async def test_an_answer_already_begun_is_not_run_again():
    flaky = Flaky(losses=1)
    async with _client(flaky) as client:
        with pytest.raises(DBAPIError):
            await client.get("/streamed")
    assert flaky.runs == 1


async def test_a_connection_lost_every_time_gives_up_after_the_last_attempt():
    flaky = Flaky(losses=99)
    async with _client(flaky) as client:
        with pytest.raises(DBAPIError):
            await client.get("/read")
    assert flaky.runs == ATTEMPTS


async def test_other_database_errors_are_not_run_again():
    flaky = Flaky(losses=1, error=IntegrityError("INSERT", None, ValueError("duplicate key")))
    async with _client(flaky) as client:
        with pytest.raises(IntegrityError):
            await client.get("/read")
    assert flaky.runs == 1


def test_a_lost_connection_is_found_under_what_was_raised_from_it():
    try:
        try:
            raise _lost()
        except DBAPIError as exc:
            raise RuntimeError("while loading the loan") from exc
    except RuntimeError as outer:
        assert lost_connection(outer)
        assert lost_connection(ExceptionGroup("tasks", [ValueError(), outer]))
    assert not lost_connection(DBAPIError("SELECT 1", None, ValueError("syntax error")))


@pytest.fixture
def commit_lost_once(monkeypatch) -> list[int]:
    """The backend's next commit loses its connection instead (nothing committed); the commits tried, counted."""
    commit, tried = AsyncSession.commit, []

    async def losing(self) -> None:
        tried.append(1)
        if len(tried) == 1:
            raise _lost()
        await commit(self)

    monkeypatch.setattr(AsyncSession, "commit", losing)
    return tried


async def test_the_backends_keyed_write_is_run_again_and_stored_once(loan_id, client, engine, commit_lost_once):
    body = {"subject": "general", "score": 5}
    response = await client.post(
        "/api/v1/me/feedback", json=body, headers=as_user(USER) | {"Idempotency-Key": "rating-0001"}
    )
    assert response.status_code == 201, response.text
    assert len(commit_lost_once) == 2
    async with engine.connect() as conn:
        assert await conn.scalar(select(func.count()).select_from(Feedback)) == 1


async def test_the_backends_write_without_a_key_is_a_500_not_repeated(loan_id, app, engine, commit_lost_once):
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://api") as http:
        headers = {"Authorization": f"Bearer {SERVICE_TOKEN}"} | as_user(USER)
        response = await http.post("/api/v1/me/support-cases", json={"reason": "requested"}, headers=headers)
    assert response.status_code == 500 and response.json()["error"]["code"] == "internal_error"
    assert len(commit_lost_once) == 1
    async with engine.connect() as conn:
        assert await conn.scalar(select(func.count()).select_from(SupportCase)) == 0


async def test_a_session_closed_over_a_lost_connection_keeps_the_answer(client, monkeypatch):
    close = AsyncSession.close

    def closing_then(error: Exception):
        async def closed(self) -> None:
            await close(self)  # the connection goes back (or away); then the error its rollback met
            raise error

        return closed

    monkeypatch.setattr(AsyncSession, "close", closing_then(_lost()))
    response = await client.get("/api/v1/me", headers=as_user(987_654))
    assert response.status_code == 403 and response.json()["error"]["code"] == "not_linked"

    monkeypatch.setattr(AsyncSession, "close", closing_then(DBAPIError("ROLLBACK", None, ValueError("not lost"))))
    with pytest.raises(DBAPIError):
        await client.get("/api/v1/me", headers=as_user(987_654))


def _refused_write_lock(tmp_path) -> OperationalError:
    """SQLite's own error for a transaction that read, then found another had committed before it could write."""
    path = tmp_path / "busy.db"
    first, second = sqlite3.connect(path, timeout=0.05), sqlite3.connect(path, timeout=0.05)
    first.execute("PRAGMA journal_mode=WAL")
    first.execute("CREATE TABLE t (x)")
    first.commit()
    second.execute("BEGIN")
    second.execute("SELECT * FROM t").fetchall()
    first.execute("INSERT INTO t VALUES (1)")
    first.commit()
    try:
        second.execute("INSERT INTO t VALUES (2)")
    except sqlite3.OperationalError as refused:
        assert refused.sqlite_errorname == "SQLITE_BUSY_SNAPSHOT"
        return OperationalError("INSERT INTO t VALUES (?)", None, refused)
    finally:
        first.close()
        second.close()
    raise AssertionError("the write lock was not refused")


async def test_a_read_sqlite_refused_its_write_lock_is_run_again(tmp_path):
    flaky = Flaky(losses=1, error=_refused_write_lock(tmp_path))
    async with _client(flaky) as client:
        response = await client.get("/read")
    assert (response.status_code, flaky.runs) == (200, 2)
    assert database_busy(flaky.error) and not lost_connection(flaky.error)


async def test_a_keyed_write_sqlite_refused_is_run_again_and_an_unkeyed_one_never(tmp_path):
    refused = _refused_write_lock(tmp_path)
    keyed, unkeyed = Flaky(losses=1, error=refused), Flaky(losses=1, error=refused)
    async with _client(keyed) as client:
        response = await client.post("/keyed", json={"score": 4}, headers={"Idempotency-Key": "key-0002"})
    assert (response.status_code, keyed.runs) == (200, 2)
    async with _client(unkeyed) as client:
        with pytest.raises(OperationalError):
            await client.post("/unkeyed")
    assert unkeyed.runs == 1


def test_only_sqlites_busy_is_taken_for_a_refused_lock():
    assert not database_busy(OperationalError("SELECT 1", None, sqlite3.OperationalError("no such table: t")))
    assert not database_busy(IntegrityError("INSERT", None, ValueError("duplicate key")))
