"""The production topology on one machine, every piece its own process started by the project's CLI: the backend
(`ipoteka api --workers N`) on a PostgreSQL database of its own, Redis (`redis-server` on a free port, nothing
saved), bot replicas in webhook mode (`ipoteka bot`) behind one address (`bench/proxy.py`), schedulers
(`ipoteka scheduler`, one leads on the advisory lock), and the fake Bot API in this process. Shared by
`bench/topology.py` and its test; every wait is on a condition with a deadline."""

import asyncio
import os
import shutil
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Self

import httpx
from prometheus_client.parser import text_string_to_metric_families
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from api.clock import local_date
from api.demo.service import seed_demo
from api.migrate import upgrade
from api.settings import Settings
from bench.api_balance import SERVICE_TOKEN, free_port
from bench.proxy import AlternatingProxy
from bench.reminders import Child
from bot.app.runner import WEBHOOK_PATH
from fake_bot_api import FakeBotApi, Limit
from ipoteka.database import command_session

BOT_TOKEN = "42:TOPOLOGY"
WEBHOOK_SECRET = "topology-webhook-secret"
#: Where the databases are made when no server is named: CI's and this machine's PostgreSQL (trust auth).
DEFAULT_ADMIN_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
#: Telegram tolerates a reply's few messages into one private chat, and the bot's answers do not wait for that chat's
#: one a second (`bot.limits.sending.Traffic.ANSWER`); the user here answers within milliseconds, so the fake's window
#: for one private chat is opened wide (as tests/bot/relay/conftest.py does), its 30 a second overall kept strict.
REPLY_BURST = Limit(10_000, 1.0)
#: The schedulers' lease on claimed rows: the shortest allowed, so a dead leader's claims are retaken soon.
LEASE_SECONDS = 10
START_SECONDS = 120  # seven Python processes importing at once on two busy cores
POLL_SECONDS = 0.05


async def until(check: Callable[[], Awaitable[object]], *, within: float, what: str, every: float = POLL_SECONDS):
    """`check()`'s first truthy value, polled until `within` seconds have passed; TimeoutError naming `what`."""
    deadline = time.monotonic() + within
    while True:
        found = await check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not within {within:g} s")
        await asyncio.sleep(every)


def metric(scrape: str, name: str, **labels: str) -> float:
    """The sum of a metric's samples over every label, or over those with `labels` (0 when absent)."""
    return sum(
        sample.value
        for family in text_string_to_metric_families(scrape)
        for sample in family.samples
        if sample.name == name and labels.items() <= sample.labels.items()
    )


@dataclass
class Replica:
    """A bot replica: its process and its webhook server's address."""

    child: Child
    url: str


@dataclass
class SchedulerProcess:
    """A scheduler: its process and its metrics port."""

    child: Child
    metrics_url: str

    async def leading(self, client: httpx.AsyncClient) -> bool | None:
        """Whether it leads, by its `ipoteka_scheduler_leading`; None when it does not answer."""
        try:
            scrape = (await client.get(self.metrics_url, timeout=2)).text
        except httpx.TransportError:
            return None
        return metric(scrape, "ipoteka_scheduler_leading") == 1


@dataclass
class Topology:
    """`async with Topology(tmp) as topology:` everything started and ready; stopped and the database dropped after."""

    tmp: Path
    admin_url: str = DEFAULT_ADMIN_URL
    workers: int = 2
    replicas: int = 2
    schedulers: int = 2
    #: SCHEDULER_* settings for the schedulers (names without the prefix), over the defaults below.
    scheduler_settings: dict[str, str] = field(default_factory=dict)
    leader_check_seconds: float = 1.0
    #: Variables for every process started, over the topology's own (a bench lifts Telegram's cap with them).
    environment: dict[str, str] = field(default_factory=dict)
    database_url: str = ""
    redis_url: str = ""
    backend_url: str = ""
    fake: FakeBotApi = field(default_factory=lambda: FakeBotApi(per_chat=REPLY_BURST))
    proxy: AlternatingProxy = field(default_factory=lambda: AlternatingProxy([]))
    bots: list[Replica] = field(default_factory=list)
    timetables: list[SchedulerProcess] = field(default_factory=list)
    seeded_at: datetime | None = None  # the demo data's moment (its day is the demo's today)
    _children: list[Child] = field(default_factory=list)
    _ports: set[int] = field(default_factory=set)

    async def __aenter__(self) -> Self:
        try:
            await self._start()
        except BaseException:
            await self._stop()
            raise
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._stop()

    # --- starting ---------------------------------------------------------------------------------------------

    async def _start(self) -> None:
        if shutil.which("redis-server") is None:
            raise RuntimeError("the topology needs redis-server on PATH (apt-get install redis-server)")
        self.database_url = await create_database(self.admin_url)
        redis_port = self._port()
        self.redis_url = f"redis://127.0.0.1:{redis_port}/0"
        redis = self._spawn(
            "redis",
            ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            {},
        )
        settings = Settings(mode="demo", database_url=self.database_url, service_token=SERVICE_TOKEN)
        await asyncio.to_thread(upgrade, settings)
        now = datetime.now(UTC)
        async with command_session(settings) as session:
            await seed_demo(session, settings=settings, today=local_date(now, settings.bank_time_zone))
        self.seeded_at = now
        await self.fake.__aenter__()
        await self.proxy.__aenter__()
        await _wait_redis(self.redis_url, redis)
        backend = self._start_backend()
        bot_ports = [self._port() for _ in range(self.replicas)]
        self.bots = [self._start_bot(n, port) for n, port in enumerate(bot_ports, start=1)]
        self.proxy.upstreams = [replica.url for replica in self.bots]
        self.timetables = [self._start_scheduler(n) for n in range(1, self.schedulers + 1)]
        async with httpx.AsyncClient() as client:
            await ready(client, f"{self.backend_url}/readyz", backend)
            await until(
                lambda: _log_count(backend, "Application startup complete", self.workers),
                within=START_SECONDS,
                what="the backend's workers",
            )
            for replica in self.bots:
                await ready(client, f"{replica.url}/readyz", replica.child)
            await until(
                lambda: self._one_leads(client), within=START_SECONDS, what="one scheduler leading, the others waiting"
            )

    def _port(self) -> int:
        """A free port not handed out before: the processes bind theirs only once started, so the kernel may offer
        the same free port twice meanwhile."""
        port = free_port()
        while port in self._ports:
            port = free_port()
        self._ports.add(port)
        return port

    def _spawn(self, name: str, command: list[str], env: dict[str, str]) -> Child:
        environment = os.environ | {"LOG_FORMAT": "text"} | env | self.environment
        child = Child(name, command, environment, self.tmp / f"{name}.log")
        self._children.append(child)
        return child

    def _common(self) -> dict[str, str]:
        return {"SERVICE_TOKEN": SERVICE_TOKEN, "REDIS_URL": self.redis_url}

    def _bot_env(self) -> dict[str, str]:
        return self._common() | {
            "BOT_TOKEN": BOT_TOKEN,
            "TELEGRAM_API_URL": self.fake.url,
            "BACKEND_URL": f"{self.backend_url}/api/v1",
            "FLOOD_LIMIT": "1000",  # the bench's user answers in milliseconds, no person does
        }

    def _start_backend(self) -> Child:
        port = self._port()
        self.backend_url = f"http://127.0.0.1:{port}"
        env = self._common() | {
            "MODE": "demo",
            "DATABASE_URL": self.database_url,
            "API_PORT": str(port),
            "PROMETHEUS_MULTIPROC_DIR": str(self.tmp / "api-metrics"),
        }
        return self._spawn("backend", [*_ipoteka(), "api", "--workers", str(self.workers)], env)

    def _start_bot(self, number: int, port: int) -> Replica:
        env = self._bot_env() | {
            "WEBHOOK_URL": f"{self.proxy.url}{WEBHOOK_PATH}",
            "WEBHOOK_SECRET": WEBHOOK_SECRET,
            "WEBHOOK_HOST": "127.0.0.1",
            "WEBHOOK_PORT": str(port),
        }
        child = self._spawn(f"bot-{number}", [*_ipoteka(), "bot"], env)
        return Replica(child, f"http://127.0.0.1:{port}")

    def _start_scheduler(self, number: int) -> SchedulerProcess:
        port = self._port()
        given = {
            "LEADER_CHECK_SECONDS": str(self.leader_check_seconds),
            "POLL_SECONDS": "0.2",
            "LEASE_SECONDS": str(LEASE_SECONDS),
        } | self.scheduler_settings
        jobs = make_url(self.database_url).set(drivername="postgresql+psycopg")
        env = (
            self._bot_env()
            | {f"SCHEDULER_{name}": value for name, value in given.items()}
            | {
                "SCHEDULER_DATABASE_URL": jobs.render_as_string(hide_password=False),
                "SCHEDULER_METRICS_PORT": str(port),
            }
        )
        child = self._spawn(f"scheduler-{number}", [*_ipoteka(), "scheduler"], env)
        return SchedulerProcess(child, f"http://127.0.0.1:{port}/metrics")

    async def _one_leads(self, client: httpx.AsyncClient) -> bool:
        states = [await timetable.leading(client) for timetable in self.timetables]
        return None not in states and states.count(True) == 1

    # --- watching ---------------------------------------------------------------------------------------------

    async def leader(self, client: httpx.AsyncClient) -> SchedulerProcess | None:
        for timetable in self.timetables:
            if timetable.child.alive() and await timetable.leading(client):
                return timetable
        return None

    def children(self) -> dict[str, Child]:
        """Every process started (Redis, the backend, the replicas, the schedulers), by name."""
        return {child.name: child for child in self._children}

    def logs(self) -> dict[str, str]:
        """Every process's log so far, by name."""
        return {child.name: child.log_path.read_text(errors="replace") for child in self._children}

    # --- stopping ---------------------------------------------------------------------------------------------

    async def _stop(self) -> None:
        for child in reversed(self._children):
            await child.stop()
        await self.proxy.__aexit__(None, None, None)
        await self.fake.__aexit__(None, None, None)
        if self.database_url:
            await drop_database(self.admin_url, self.database_url)


def _ipoteka() -> list[str]:
    return [sys.executable, "-m", "ipoteka"]


async def _wait_redis(url: str, child: Child) -> None:
    redis = Redis.from_url(url)

    async def answers() -> bool:
        if not child.alive():
            raise RuntimeError(f"redis-server exited:\n{child.log_tail()}")
        try:
            return bool(await redis.ping())
        except (RedisError, OSError):  # not listening yet, or loading
            return False

    try:
        await until(answers, within=20, what="redis-server")
    finally:
        await redis.aclose()


async def ready(client: httpx.AsyncClient, url: str, child: Child) -> None:
    """Until `url` answers 200 (within START_SECONDS); RuntimeError with its log if `child` exits meanwhile."""

    async def answers() -> bool:
        if not child.alive():
            raise RuntimeError(f"{child.name} exited:\n{child.log_tail()}")
        try:
            return (await client.get(url, timeout=2)).status_code == 200
        except httpx.TransportError:
            return False

    await until(answers, within=START_SECONDS, what=f"{child.name} ready")


async def _log_count(child: Child, line: str, count: int) -> bool:
    if not child.alive():
        raise RuntimeError(f"{child.name} exited:\n{child.log_tail()}")
    return child.log_path.read_text(errors="replace").count(line) >= count


async def _admin_execute(admin_url: str, statement: str) -> None:
    """One statement on `admin_url`'s server, outside a transaction (CREATE and DROP DATABASE need that)."""
    admin = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(statement))
    finally:
        await admin.dispose()


async def create_database(admin_url: str) -> str:
    """A new, empty PostgreSQL database on `admin_url`'s server; its URL (asyncpg)."""
    name = f"topology_{uuid.uuid4().hex[:12]}"
    await _admin_execute(admin_url, f'CREATE DATABASE "{name}"')
    return make_url(admin_url).set(drivername="postgresql+asyncpg", database=name).render_as_string(hide_password=False)


async def drop_database(admin_url: str, database_url: str) -> None:
    await _admin_execute(admin_url, f'DROP DATABASE IF EXISTS "{make_url(database_url).database}" WITH (FORCE)')
