"""The backend's operator routes through HTTP: `/healthz` asks nothing, `/readyz` answers 503 naming each failing
check (database, Redis, migrations), `/metrics` reads the queues from the database at each scrape and times the
answers by route template, and is served to the loopback or a token only; the request id is taken or made and
echoed."""

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import text

from api.app import create_app
from api.db import create_engine
from api.migrate import upgrade
from api.models import Notification, NotificationKind, NotificationStatus, RelayTask, RelayTaskKind
from api.models.support import CaseStatus
from api.ops.readiness import code_heads
from api.settings import Settings
from tests.api.outbox_helpers import add_record, case_row, linked_borrower
from tests.conftest import SERVICE_TOKEN, bind, worker_database
from tests.helpers import as_user
from tests.ops.scrape import value

REDIS_URL = "redis://127.0.0.1:6379/7"
UNREACHABLE_REDIS = "redis://127.0.0.1:9/0"  # the discard port: nothing answers Redis there


def _client(app, *, token: str | None = None, address: str = "127.0.0.1") -> httpx.AsyncClient:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    transport = httpx.ASGITransport(app=app, client=(address, 50123))
    return httpx.AsyncClient(transport=transport, base_url="http://api", headers=headers)


# --- /healthz and /readyz -------------------------------------------------------------------------------------


@pytest.fixture
async def migrated_url(tmp_path: Path, database_url: str) -> str:
    """A database of this test's own brought to head by the real migrations (SQLite file, or PostgreSQL beside the
    suite's)."""
    if database_url.startswith("postgresql"):
        url = await worker_database(database_url, "ops_ready", fresh=True)
    else:
        url = f"sqlite+aiosqlite:///{tmp_path}/ready.db"
    await asyncio.to_thread(upgrade, Settings(mode="test", database_url=url))
    return url


async def _readyz(url: str, clock, **settings) -> httpx.Response:
    app_settings = Settings(mode="test", database_url=url, service_token=SERVICE_TOKEN, **settings)
    engine = create_engine(app_settings)
    app = create_app(app_settings, engine=engine, clock=clock)
    bind(app, settings=app_settings, engine=engine, clock=clock)
    try:
        async with _client(app) as client:
            return await client.get("/readyz")
    finally:
        await engine.dispose()


async def test_healthz_answers_without_a_token_or_a_database(clock):
    app = create_app(Settings(mode="test", database_url="postgresql+asyncpg://nobody@127.0.0.1:9/none"), clock=clock)
    async with _client(app, address="10.1.2.3") as client:
        for path in ("/healthz", "/api/v1/healthz", "/health"):
            response = await client.get(path)
            assert response.status_code == 200, path
            assert response.json() == {"status": "ok"}


async def test_readyz_is_ready_on_a_migrated_database(migrated_url, clock):
    response = await _readyz(migrated_url, clock)

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "migrations": "ok"}, "failing": []}


async def test_readyz_names_an_unreachable_database(clock):
    response = await _readyz("postgresql+asyncpg://nobody@127.0.0.1:9/none", clock)

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert "database" in body["failing"]
    assert body["checks"]["database"].startswith("failed: ")
    assert "127.0.0.1" not in response.text  # the error's type, never its message with the address


async def test_readyz_names_a_database_never_migrated(client):
    """The suite's database is built from the models, without Alembic's version table."""
    response = await client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["failing"] == ["migrations"]
    assert response.json()["checks"]["migrations"] == "failed: not migrated: run `ipoteka db upgrade`"


async def test_readyz_names_migrations_behind_the_code(migrated_url, clock):
    engine = create_engine(Settings(mode="test", database_url=migrated_url))
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    await engine.dispose()

    response = await _readyz(migrated_url, clock)

    assert response.status_code == 503
    assert response.json()["failing"] == ["migrations"]
    [head] = code_heads()
    assert response.json()["checks"]["migrations"] == f"failed: at 0001, the code's head is {head}"


async def test_readyz_names_an_unreachable_redis(migrated_url, clock):
    response = await _readyz(migrated_url, clock, redis_url=UNREACHABLE_REDIS)

    assert response.status_code == 503
    assert response.json()["failing"] == ["redis"]
    assert response.json()["checks"]["database"] == "ok"


async def test_readyz_asks_a_reachable_redis(migrated_url, clock):
    redis = Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        await redis.ping()
    except (RedisError, OSError):
        pytest.skip("Redis is not reachable at 127.0.0.1:6379")
    finally:
        await redis.aclose()

    response = await _readyz(migrated_url, clock, redis_url=REDIS_URL)

    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "migrations": "ok", "redis": "ok"}


# --- /metrics --------------------------------------------------------------------------------------------------


@pytest.fixture
async def loopback(app) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(app) as client:
        yield client


async def test_metrics_are_served_to_the_loopback_only_without_a_token(app):
    async with _client(app, address="10.1.2.3") as outside:
        refused = await outside.get("/metrics")
    async with _client(app, address="::1") as inside:
        served = await inside.get("/metrics")

    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"
    assert served.status_code == 200
    assert served.headers["content-type"].startswith("text/plain")
    assert "ipoteka_outbox_depth" in served.text


async def test_metrics_need_the_token_when_one_is_set(app, settings):
    app.state.settings = settings.model_copy(update={"metrics_token": SecretStr("metrics-token-0123456789")})
    async with _client(app) as loopback_without:
        assert (await loopback_without.get("/metrics")).status_code == 401
    async with _client(app, token="wrong", address="10.1.2.3") as wrong:
        assert (await wrong.get("/metrics")).status_code == 401
    async with _client(app, token="metrics-token-0123456789", address="10.1.2.3") as scraper:
        assert (await scraper.get("/metrics")).status_code == 200


async def test_metrics_read_the_queues_from_the_database(app, bank, client, engine, clock, loopback):
    borrower_id, loan_id = await linked_borrower(bank, client, engine, telegram_user_id=700_600_001)
    now = clock()
    for minutes_late, status in ((90, NotificationStatus.PENDING), (5, NotificationStatus.CLAIMED)):
        await add_record(engine, _notification(borrower_id, now - timedelta(minutes=minutes_late), status))
    await add_record(engine, _notification(borrower_id, now + timedelta(hours=3), NotificationStatus.PENDING))
    await add_record(engine, _notification(borrower_id, now - timedelta(days=1), NotificationStatus.SENT))
    waiting = await add_record(engine, case_row(borrower_id, loan_id, created_at=now - timedelta(hours=2)))
    await add_record(
        engine, RelayTask(case_id=waiting, kind=RelayTaskKind.JOINED, created_at=now - timedelta(seconds=40))
    )
    other, _ = await linked_borrower(bank, client, engine, telegram_user_id=700_600_002, number=2)
    await add_record(
        engine, case_row(other, None, created_at=now - timedelta(days=4), status=CaseStatus.TAKEN, assigned_to=None)
    )

    scrape = (await loopback.get("/metrics")).text

    assert value(scrape, "ipoteka_queues_read") == 1
    assert value(scrape, "ipoteka_outbox_depth", status="pending") == 2
    assert value(scrape, "ipoteka_outbox_depth", status="claimed") == 1
    assert value(scrape, "ipoteka_outbox_due") == 2
    assert value(scrape, "ipoteka_outbox_oldest_due_age_seconds") == 90 * 60
    assert value(scrape, "ipoteka_relay_queue_depth", status="pending") == 1
    assert value(scrape, "ipoteka_relay_queue_oldest_age_seconds") == 40
    assert value(scrape, "ipoteka_support_cases_active", status="open", age="1h_4h") == 1
    assert value(scrape, "ipoteka_support_cases_active", status="taken", age="gt_3d") == 1
    assert value(scrape, "ipoteka_support_cases_active", status="open", age="lt_1h") == 0

    clock.advance(hours=3)  # read anew at each scrape, never kept
    later = (await loopback.get("/metrics")).text
    assert value(later, "ipoteka_outbox_due") == 3
    assert value(later, "ipoteka_support_cases_active", status="open", age="4h_1d") == 1
    assert value(later, "ipoteka_support_cases_active", status="open", age="1h_4h") == 0


async def test_metrics_without_the_database_still_give_the_process_figures(clock):
    app = create_app(Settings(mode="test", database_url="postgresql+asyncpg://nobody@127.0.0.1:9/none"), clock=clock)
    engine = create_engine(app.state.settings)
    bind(app, settings=app.state.settings, engine=engine, clock=clock)
    try:
        async with _client(app) as loopback:
            response = await loopback.get("/metrics")
    finally:
        await engine.dispose()
    assert response.status_code == 200
    assert value(response.text, "ipoteka_queues_read") == 0
    assert "ipoteka_outbox_depth" not in response.text and "ipoteka_api_request_duration_seconds" in response.text


async def test_metrics_time_answers_by_route_template(bank, client, engine, loopback):
    _, loan_id = await linked_borrower(bank, client, engine, telegram_user_id=700_600_003)
    name = "ipoteka_api_request_duration_seconds_count"
    route = "/api/v1/me/loans/{loan_id}/summary"
    before = value((await loopback.get("/metrics")).text, name, method="GET", route=route, status="200")

    for _ in range(3):
        assert (await client.get(f"/api/v1/me/loans/{loan_id}/summary", headers=as_user(700_600_003))).is_success
    missing = await client.get("/api/v1/no/such/route")

    scrape = (await loopback.get("/metrics")).text
    assert value(scrape, name, method="GET", route=route, status="200") == before + 3
    assert missing.status_code == 404
    assert value(scrape, name, method="GET", route="unmatched", status="404") >= 1
    assert f"/me/loans/{loan_id}/" not in scrape  # never the path with its ids
    assert "/metrics" not in scrape and "/readyz" not in scrape  # the probes and the scrape are not timed


def _notification(borrower_id: int, not_before, status: NotificationStatus) -> Notification:
    return Notification(
        dedupe_key=f"test:{borrower_id}:{not_before.isoformat()}:{status}",
        borrower_id=borrower_id,
        kind=NotificationKind.HOLIDAY_DECIDED,
        payload={},
        not_before=not_before,
        status=status,
    )


# --- the request id --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "kept"), [("987654321", True), ("req-1.a:b_c", True), ("bad id with spaces", False), ("x" * 65, False)]
)
async def test_the_request_id_is_taken_when_it_looks_like_one(loopback, sent, kept):
    response = await loopback.get("/healthz", headers={"X-Request-Id": sent})

    echoed = response.headers["X-Request-Id"]
    assert (echoed == sent) is kept
    if not kept:
        assert len(echoed) == 32 and echoed.isalnum()


async def test_each_request_without_an_id_gets_a_new_one(loopback):
    first, second = (await loopback.get("/healthz")).headers, (await loopback.get("/healthz")).headers
    assert first["X-Request-Id"] != second["X-Request-Id"]
