"""Shared fixtures: a migrated database (SQLite by default, PostgreSQL with TEST_DATABASE_URL), the app, a clock."""

import asyncio
import functools
import os
import socket
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import uvicorn
from argon2 import PasswordHasher, profiles
from fastapi import FastAPI
from hypothesis import settings as hypothesis_settings
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from starlette.datastructures import State

from api.app import create_app
from api.certificates.drawing import Drawing
from api.console.auth import passwords
from api.db import checks_replanning, create_engine, create_sessionmaker
from api.events.factory import create_bus
from api.models import Base
from api.settings import Settings
from tests import resets
from tests.helpers import eventually

# CI explores the same examples on every run, so a red run is the code's change, never the dice.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

pytest_plugins = ["tests.database_only", "tests.slow_first", "tests.gc_tuning"]

SERVICE_TOKEN = "test-service-token"
INTEGRATION_TOKEN = "test-integration-token"


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashes() -> Iterator[None]:
    """argon2 at its cheapest parameters: staff passwords check the same way, a second faster each on a busy CPU."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))
        yield


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The test database, created from the models (tests/test_migrations.py holds the migrations to them).

    SQLite: a file of this process's own. PostgreSQL: TEST_DATABASE_URL's database, or under pytest-xdist a
    database per worker beside it (`test_gw0`, `test_gw1`, ...), created on the same server.
    """
    server = os.environ.get("TEST_DATABASE_URL")
    url = (
        asyncio.run(worker_database(server))
        if server
        else f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db')}/test.db"
    )
    asyncio.run(_create_schema(url))
    return url


def worker_suffix() -> str:
    """This pytest-xdist worker's name (`gw0`, ...), or "" outside xdist."""
    return os.environ.get("PYTEST_XDIST_WORKER", "")


async def worker_database(url: str, name: str | None = None, *, fresh: bool = False) -> str:
    """The PostgreSQL database `name` (by default `url`'s own) with this worker's suffix, created through `url`
    if missing (dropped first when `fresh`); `url` itself outside xdist unless `name` is given."""
    base = make_url(url)
    database = (name or base.database) + (f"_{worker_suffix()}" if worker_suffix() else "")
    if database == base.database:
        return url
    admin = create_async_engine(url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        if fresh:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        exists = await conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": database})
        if not exists:
            await conn.execute(text(f'CREATE DATABASE "{database}"'))
    await admin.dispose()
    return base.set(database=database).render_as_string(hide_password=False)


async def _create_schema(url: str) -> None:
    engine = create_engine(Settings(mode="test", database_url=url))
    async with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
        await conn.run_sync(Base.metadata.create_all)
        await resets.install_tracking(conn)
    resets.forget()
    await engine.dispose()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        mode="test",
        database_url=database_url,
        service_token=SERVICE_TOKEN,
        integration_token=INTEGRATION_TOKEN,
    )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))


#: One engine a process for each database (and echo setting). Its pool is emptied after every test, whose event loop
#: its connections belong to, but its cache of compiled statements is kept: with a new engine for each test, every
#: statement a test ran was compiled anew, about a tenth of a dialog test's time.
_ENGINES: dict[tuple[str, bool], AsyncEngine] = {}


@pytest.fixture
async def engine(request: pytest.FixtureRequest, settings: Settings) -> AsyncIterator[AsyncEngine]:
    """An engine on the test database, emptied, or holding just the demo rows when the test asks for `demo`."""
    key = (settings.database_url, settings.database_echo)
    engine = _ENGINES.get(key)
    if engine is None:
        engine = _ENGINES[key] = create_engine(settings)
    await resets.reset(engine, demo="demo" in request.fixturenames and bool(resets.DEMO_ROWS))
    yield engine
    await engine.dispose()


#: Apps built so far, by the settings they were built with: building one costs ~60 ms (FastAPI reads every route),
#: so each kind is built once a session and handed this test's settings, clock and engine.
_APPS: dict[str, FastAPI] = {}


@pytest.fixture
async def app(settings: Settings, engine: AsyncEngine, clock: FakeClock) -> AsyncIterator[FastAPI]:
    """The backend app on this test's settings, clock and engine (the routes and middleware shared by the session)."""
    key = settings.model_dump_json()
    app = _APPS.get(key)
    if app is None:
        app = _APPS[key] = create_app(settings, engine=engine, clock=clock)
    bind(app, settings=settings, engine=engine, clock=clock)
    yield app
    await app.state.events.close()
    app.state = State()  # nothing of this test's is left for the next


def bind(app: FastAPI, *, settings: Settings, engine: AsyncEngine, clock: FakeClock) -> None:
    """What create_app and its lifespan give app.state when an engine is passed in (tests/test_app_fixture.py
    holds the two to each other)."""
    app.state.settings = settings
    app.state.clock = clock
    app.state.engine = engine
    app.state.sessionmaker = create_sessionmaker(engine, check_replanning=checks_replanning(settings))
    app.state.events = create_bus(settings, engine)
    app.state.drawing = shared_drawing(settings.certificate_processes)


@functools.cache
def shared_drawing(processes: int) -> Drawing:
    """One per test process: its drawing processes start once, with the first certificate, and end with the run."""
    return Drawing(processes)


def _client(app, token: str | None) -> httpx.AsyncClient:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://api", headers=headers)


@pytest.fixture
async def client(app) -> AsyncIterator[httpx.AsyncClient]:
    """The bot's view: the service token."""
    async with _client(app, SERVICE_TOKEN) as c:
        yield c


@pytest.fixture
async def bank(app) -> AsyncIterator[httpx.AsyncClient]:
    """The bank's systems: the integration token."""
    async with _client(app, INTEGRATION_TOKEN) as c:
        yield c


@pytest.fixture
async def anonymous(app) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(app, None) as c:
        yield c


@pytest.fixture
async def backend_url(app) -> AsyncIterator[str]:
    """The test app served over real HTTP, as the bot and the scheduler reach the backend through BACKEND_URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, lifespan="off", log_level="warning"))
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    await eventually(lambda: server.started)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/api/v1"
    server.should_exit = True
    await serving
    sock.close()
