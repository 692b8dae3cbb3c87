"""Benchmark: due reminders pushed through the real sender to the limit-enforcing fake Bot API, and across a kill -9.

Usage: python -m bench.reminders [--borrowers 3000] [--seed N] [--skip-kill] [--per-row] [--database-url URL]
Each phase seeds a fresh database (SQLite in a temporary directory, or the existing PostgreSQL database given, emptied)
with linked borrowers who agreed to reminders at any hour of the day, one loan each and one payment reminder due now
each, one bulk INSERT per table. The loans' next look is weeks away, so the planning run each scheduler makes on start
passes over them: the outbox holds exactly the seeded rows. The backend runs in a uvicorn
process, the scheduler as `python -m ipoteka scheduler` in another, and the fake Bot API in this one.

Phase 1 waits until the outbox has nothing pending or claimed and prints messages/s sustained against Telegram's cap
of 30/s (the least-squares slope of the arrivals over time; delivered / (last − first) beside it, which a burst at
either end inflates), the time from a message to the 30th after it, the 429s the fake answered, duplicates, lost,
the outbox counts and each process's CPU. Phase 2 kills the scheduler with SIGKILL at a moment drawn between 10% and
70% of the run's expected length after the first delivery, starts another at once, and prints the same figures plus
how long the restart took to resume, the dead scheduler's leased rows, and the rows whose send it had started
("unconfirmed": never sent again by design, so each was delivered once or lost; the fake's log says which).

Each phase also prints the backend's cost per message: its CPU, and its calls by scheduler route (from its /metrics).
`--per-row` runs a baseline phase first with each sent row reported in a call of its own (SCHEDULER_REPORT_BATCH=1,
the shape before the batched report) and prints the two side by side.

SCHEDULER_* variables in the environment reach the scheduler; unless given there the bench sets
SCHEDULER_POLL_SECONDS=0.5 and SCHEDULER_LEASE_SECONDS=15 (so the restarted run waits 15 s, not 60, for the dead
scheduler's leases).
"""

import argparse
import asyncio
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal
from pathlib import Path
from typing import IO

import httpx
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from api.db import create_engine, create_sessionmaker
from api.migrate import upgrade
from api.models import Borrower, Loan, LoanStatus, Notification, NotificationKind, NotificationStatus
from api.outbox.delivery import UNCONFIRMED
from api.settings import Settings
from bench.api_balance import SERVICE_TOKEN, free_port
from fake_bot_api import OVERALL, FakeBotApi
from scheduler.settings import SchedulerSettings

ROOT = Path(__file__).resolve().parent.parent

CAP = OVERALL.count / OVERALL.seconds
GOAL = 0.98 * CAP
BOT_TOKEN = "42:BENCH"
#: Every borrower and loan the bench makes carries this prefix, so a PostgreSQL database holding others is refused.
PREFIX = "REM-"
#: Phase n's borrowers chat as Telegram users FIRST_CHAT * n + 1, + 2, ...
FIRST_CHAT = 8_100_000_000
SCHEDULER_DEFAULTS = {"SCHEDULER_POLL_SECONDS": "0.5", "SCHEDULER_LEASE_SECONDS": "15"}
AMOUNT = Decimal("49300.88")
PAYMENT_DAY = 15
#: The seeded loans' next look, so the planner passes over them during the run.
LOOK_LATER = timedelta(days=20)
KILL_BETWEEN = (0.1, 0.7)
#: A request the dead scheduler had sent may still land after the kill; a new scheduler takes longer than this to start.
IN_FLIGHT_SECONDS = 0.3
#: Slack over the expected run for start-up, leases and a slow machine before a phase is called stuck.
TIMEOUT_SLACK_SECONDS = 90
STATS_EVERY_SECONDS = 0.5
LOG_LINES_SHOWN = 3


# --- seeding ----------------------------------------------------------------------------------------------------


async def empty_postgres(session: AsyncSession) -> None:
    """Refuse a database holding borrowers the bench did not make; then empty the bench's tables."""
    foreign = await session.scalar(
        select(func.count()).select_from(Borrower).where(Borrower.external_id.not_like(f"{PREFIX}%"))
    )
    if foreign:
        raise SystemExit(f"the database holds {foreign} borrowers this bench did not make; refusing to empty it")
    await session.execute(text("TRUNCATE borrower, loan, notification RESTART IDENTITY CASCADE"))


async def seed(database_url: str, *, borrowers: int, phase: int, now: datetime) -> None:
    """Migrate, then add `borrowers` linked borrowers with a loan and a payment reminder due now each."""
    settings = Settings(mode="test", database_url=database_url)
    await asyncio.to_thread(upgrade, settings)
    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine)() as session:
            if engine.dialect.name == "postgresql":
                await empty_postgres(session)
            await add_due_reminders(session, borrowers=borrowers, phase=phase, now=now)
            await session.commit()
    finally:
        await engine.dispose()


async def add_due_reminders(
    session: AsyncSession, *, borrowers: int, phase: int, now: datetime, first_id: int = 1
) -> None:
    """`borrowers` linked borrowers (ids from `first_id`, chats `FIRST_CHAT * phase + 1, + 2, ...`) who agreed to
    reminders at any hour, a loan each and a payment reminder due now each: one bulk INSERT per table, the id
    sequences moved to the last of them on PostgreSQL (so `first_id` lies past every id already taken)."""
    await add_linked_borrowers(session, borrowers=borrowers, phase=phase, now=now, first_id=first_id)
    due = now.date() + timedelta(days=1)
    numbers = range(1, borrowers + 1)
    notification_rows = [
        {
            "dedupe_key": f"payment_due:{first_id - 1 + n}:{due}:1",
            "borrower_id": first_id - 1 + n,
            "loan_id": first_id - 1 + n,
            "kind": NotificationKind.PAYMENT_DUE,
            "due_date": due,
            "payload": {
                "loan_id": first_id - 1 + n,
                "due_date": due.isoformat(),
                "amount": str(AMOUNT),
                "days_before": 1,
            },
            "not_before": now - timedelta(minutes=1),
            "status": NotificationStatus.PENDING,
            "attempts": 0,
            "created_at": now,
        }
        for n in numbers
    ]
    await session.execute(insert(Notification), notification_rows)


async def add_linked_borrowers(
    session: AsyncSession, *, borrowers: int, phase: int, now: datetime, first_id: int = 1, reminders: bool = True
) -> None:
    """`borrowers` borrowers linked to chats `FIRST_CHAT * phase + 1, + 2, ...` (ids from `first_id`), each with one
    active loan of the same id (no payments on record), who agreed to `reminders` at any hour: one bulk INSERT per
    table, the id sequences moved to the last of them on PostgreSQL (so `first_id` lies past every id taken)."""
    today = now.date()
    first_chat = FIRST_CHAT * phase
    numbers = range(1, borrowers + 1)
    borrower_rows = [
        {
            "id": first_id - 1 + n,
            "external_id": f"{PREFIX}B{phase}-{n}",
            "last_name": "Напоминаев",
            "first_name": "Борис",
            "phone": f"+79{phase}{n:08d}",
            "birth_date": date(1980, 1, 1) + timedelta(days=n % 7000),
            "language": "en" if n % 10 == 0 else "ru",
            "time_zone": "Europe/Moscow",
            "telegram_user_id": first_chat + n,
            "linked_at": now,
            "personal_data_consent_at": now,
            "reminders_enabled": reminders,
            "reminder_days_ahead": [3, 1],
            "daytime_start": clock_time(9),  # start == end: any time of day, so the bench runs at any hour
            "daytime_end": clock_time(9),
            "created_at": now,
        }
        for n in numbers
    ]
    loan_rows = [
        {
            "id": first_id - 1 + n,
            "external_id": f"{PREFIX}L{phase}-{n}",
            "borrower_id": first_id - 1 + n,
            "contract_number": f"{PREFIX}{phase}-{n}",
            "contract_date": date(today.year - 3, today.month, 1),
            "principal": Decimal("4000000.00"),
            "rate_percent": Decimal("12.5"),
            "term_months": 180,
            "first_payment_date": date(today.year - 3, today.month, PAYMENT_DAY),
            "payment_day": PAYMENT_DAY,
            "status": LoanStatus.ACTIVE,
            "property_address": "г. Москва, ул. Тестовая, д. 1",
            "property_is_only_home": True,
            "created_at": now,
            "reminders_next_on": today + LOOK_LATER,
        }
        for n in numbers
    ]
    for model, rows in ((Borrower, borrower_rows), (Loan, loan_rows)):
        await session.execute(insert(model), rows)
    if session.bind.dialect.name == "postgresql":
        for table in ("borrower", "loan"):
            await session.execute(text(f"SELECT setval('{table}_id_seq', {first_id - 1 + borrowers})"))


@dataclass(frozen=True)
class Row:
    chat_id: int
    status: str
    attempts: int
    last_error: str | None


async def outbox_rows(database_url: str) -> list[Row]:
    """Every outbox row with its borrower's chat, read straight from the database."""
    engine = create_engine(Settings(mode="test", database_url=database_url))
    try:
        async with create_sessionmaker(engine)() as session:
            rows = await session.execute(
                select(Borrower.telegram_user_id, Notification.status, Notification.attempts, Notification.last_error)
                .join(Borrower, Borrower.id == Notification.borrower_id)
                .order_by(Notification.id)
            )
            return [Row(chat, status.value, attempts, error) for chat, status, attempts, error in rows]
    finally:
        await engine.dispose()


# --- processes --------------------------------------------------------------------------------------------------


class Child:
    """A process the bench started, its log, and the CPU time it has used (from /proc, while it lives)."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], log_path: Path) -> None:
        self.name = name
        self.log_path = log_path
        self._log: IO[bytes] = log_path.open("wb")
        self.started = time.monotonic()
        self.process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT)

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime, all threads

    def alive(self) -> bool:
        return self.process.poll() is None

    async def stop(self) -> None:
        """SIGTERM and wait (off the event loop: a scheduler finishing its sends talks to the fake in this loop)."""
        if self.alive():
            self.process.terminate()
            try:
                await asyncio.to_thread(self.process.wait, 20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                await asyncio.to_thread(self.process.wait)
        self._log.close()

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self._log.close()

    def log_lines(self) -> list[str]:
        return self.log_path.read_text(errors="replace").splitlines()

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_lines()[-lines:])


async def start_backend(database_url: str, tmp: Path) -> tuple[Child, str]:
    port = free_port()
    env = os.environ | {
        "DATABASE_URL": database_url,
        "SERVICE_TOKEN": SERVICE_TOKEN,
        "MODE": "test",
    }
    command = [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory", "--port", str(port)]
    child = Child("backend", [*command, "--log-level", "warning"], env, tmp / f"backend-{port}.log")
    url = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient() as client:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and child.alive():
            try:
                await client.get(f"{url}/health", timeout=1)
                return child, url
            except httpx.TransportError:
                await asyncio.sleep(0.2)
    await child.stop()
    raise SystemExit(f"the backend did not start:\n{child.log_tail()}")


def limit_margin() -> float:
    given = scheduler_env().get("SCHEDULER_LIMIT_MARGIN_SECONDS")
    return float(given) if given else SchedulerSettings.model_fields["limit_margin_seconds"].default


def scheduler_env() -> dict[str, str]:
    """The SCHEDULER_* settings the scheduler gets: the bench's defaults, overridden by the environment's."""
    given = {key: value for key, value in os.environ.items() if key.startswith("SCHEDULER_")}
    given.pop("SCHEDULER_DATABASE_URL", None)
    return SCHEDULER_DEFAULTS | given


def start_scheduler(
    name: str, *, tmp: Path, phase: int, fake_url: str, backend_url: str, settings: dict[str, str] | None = None
) -> Child:
    env = (
        os.environ
        | scheduler_env()
        | (settings or {})
        | {
            "BOT_TOKEN": BOT_TOKEN,
            "TELEGRAM_API_URL": fake_url,
            "BACKEND_URL": f"{backend_url}/api/v1",
            "SERVICE_TOKEN": SERVICE_TOKEN,
            "SCHEDULER_DATABASE_URL": f"sqlite:///{tmp}/jobs-{phase}.db",
        }
    )
    return Child(name, [sys.executable, "-m", "ipoteka", "scheduler"], env, tmp / f"{name}.log")


class ThisProcess:
    """The bench's own process, which hosts the fake Bot API, measured like a child."""

    name = "bench (fake Bot API)"

    def cpu_seconds(self) -> float:
        return time.process_time()


class CpuMeter:
    """CPU each process used from `begin` to `end`, against the wall time and the messages delivered meanwhile;
    begun at a first delivery, it leaves out the start-up."""

    def __init__(self, fake: FakeBotApi) -> None:
        self._fake = fake
        self._begun: dict[str, tuple[float, float, int]] = {}
        self.lines: list[str] = []
        self.per_message: dict[str, float] = {}  # ms of CPU, by process

    def begin(self, *processes: Child | ThisProcess) -> None:
        for process in processes:
            self._begun[process.name] = (process.cpu_seconds(), time.monotonic(), len(self._fake.deliveries))

    def end(self, *processes: Child | ThisProcess) -> None:
        for process in processes:
            cpu, wall, delivered = self._begun.pop(process.name)
            cpu = process.cpu_seconds() - cpu
            wall = time.monotonic() - wall
            messages = max(len(self._fake.deliveries) - delivered, 1)
            self.per_message[process.name] = cpu / messages * 1000
            self.lines.append(
                f"{process.name} {cpu:.1f} s in {wall:.0f} s ({cpu / wall:.0%} of a core, {cpu / messages * 1000:.1f}"
                f" ms per message)"
            )


# --- watching ---------------------------------------------------------------------------------------------------


SCHEDULER_ROUTES = "/api/v1/scheduler/outbox/"
BENCH_ROUTE = "/api/v1/scheduler/outbox/stats"


async def scheduler_calls(client: httpx.AsyncClient) -> Counter[str]:
    """The backend's answers so far to the scheduler's outbox routes, by route template (its /metrics); the bench's
    own look at the counts left out."""
    response = await client.get("/metrics")
    response.raise_for_status()
    calls: Counter[str] = Counter()
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            route = sample.labels.get("route", "")
            if sample.name.endswith("_count") and route.startswith(SCHEDULER_ROUTES) and route != BENCH_ROUTE:
                calls[route.removeprefix(SCHEDULER_ROUTES)] += int(sample.value)
    return calls


def show_calls(before: Counter[str], after: Counter[str], messages: int) -> float:
    """Prints the backend's calls per message from the scheduler, by route; returns the total per message."""
    calls = after - before
    per_message = calls.total() / max(messages, 1)
    routes = ", ".join(f"{route} {count / max(messages, 1):.2f}" for route, count in sorted(calls.items()))
    show("backend calls per message", f"{per_message:.2f}", f"({routes})")
    return per_message


async def outbox_stats(client: httpx.AsyncClient) -> dict[str, int]:
    response = await client.get("/api/v1/scheduler/outbox/stats")
    response.raise_for_status()
    return response.json()


async def wait_settled(client: httpx.AsyncClient, schedulers: Iterable[Child], *, within: float) -> dict[str, int]:
    """Wait until the outbox holds nothing pending or claimed (every row sent or failed, so the fake has had every
    send it will get); the last stats, also on timeout or when the scheduler died."""
    deadline = time.monotonic() + within
    while True:
        stats = await outbox_stats(client)
        if stats["pending"] == 0 and stats["claimed"] == 0:
            return stats
        dead = [child for child in schedulers if not child.alive()]
        if dead or time.monotonic() > deadline:
            why = f"{dead[0].name} exited:\n{dead[0].log_tail()}" if dead else f"timed out after {within:.0f} s"
            print(f"  !! {why}; figures below are as things stood", flush=True)
            return stats
        await asyncio.sleep(STATS_EVERY_SECONDS)


async def first_delivery(fake: FakeBotApi, scheduler: Child, *, after: int = 0) -> float:
    """The fake's clock time of delivery number `after` + 1 (waiting for it)."""
    while len(fake.deliveries) <= after:
        if not scheduler.alive():
            raise SystemExit(f"{scheduler.name} exited before sending:\n{scheduler.log_tail()}")
        await asyncio.sleep(0.02)
    return fake.deliveries[after].at


# --- figures ----------------------------------------------------------------------------------------------------


def verdict(met: bool) -> str:
    return "goal met" if met else "goal MISSED"


def show(label: str, value: object, note: str = "") -> None:
    print(f"  {label:24} {value}{'   ' + note if note else ''}")


def sustained(times: list[float]) -> float:
    """Messages per second as the least-squares slope of the message count over arrival time: the steady pace, which
    neither the first second's burst nor a straggler at the end sways (0 for fewer than two messages)."""
    if len(times) < 2 or times[-1] == times[0]:
        return 0.0
    return statistics.linear_regression(times, range(len(times))).slope


def simple_rate(times: list[float]) -> float:
    return len(times) / (times[-1] - times[0]) if len(times) > 1 and times[-1] > times[0] else 0.0


def ten_second_rates(times: list[float]) -> tuple[float, float] | None:
    """The lowest and highest rate over the run's whole 10-second slices, or None for a run shorter than two."""
    slices = int((times[-1] - times[0]) // 10) if times else 0
    if slices < 2:
        return None
    counts = Counter(int((at - times[0]) // 10) for at in times)
    rates = [counts[index] / 10 for index in range(slices)]
    return min(rates), max(rates)


def show_rate(label: str, times: list[float]) -> None:
    rate = sustained(times)
    span = times[-1] - times[0] if len(times) > 1 else 0.0
    show(label, f"{rate:.2f}", f"{verdict(rate >= GOAL)} (≥ {GOAL:.1f}); least-squares slope of {len(times)} arrivals")
    show("", f"{simple_rate(times):.2f}", f"delivered / (last − first), {len(times)} over {span:.1f} s")
    if extremes := ten_second_rates(times):
        show("", f"{extremes[0]:.1f} – {extremes[1]:.1f}", "lowest – highest over whole 10 s slices")
    periods = [later - earlier for earlier, later in zip(times, times[OVERALL.count :], strict=False)]
    if len(periods) >= 10:
        deciles = statistics.quantiles(periods, n=10)
        show(
            "",
            f"{statistics.median(periods):.3f} s, p90 {deciles[-1]:.3f} s",
            f"from a message to the {OVERALL.count}th after it (at the cap: the limiter's window, "
            f"1 s + {limit_margin():.3f} s margin)",
        )


def show_delivery(fake: FakeBotApi, expected: set[int], stats: dict[str, int]) -> Counter[int]:
    """The figures common to both phases; returns deliveries per chat."""
    per_chat = Counter(delivery.chat_id for delivery in fake.deliveries)
    duplicates = sum(count - 1 for chat, count in per_chat.items() if count > 1)
    lost = len(expected - per_chat.keys())
    strangers = sum(count for chat, count in per_chat.items() if chat not in expected)
    show("delivered", f"{len(expected & per_chat.keys())} of {len(expected)} chats")
    show("429s received", fake.count_429, verdict(fake.count_429 == 0))
    refusals = len(fake.rejections) - fake.count_429
    if refusals:
        show("other refusals", refusals)
    show("duplicates", duplicates, verdict(duplicates == 0) + " (extra messages to a chat already told)")
    show("lost", lost, verdict(lost == 0) + " (chats never told)")
    if strangers:
        show("to unknown chats", strangers)
    rows = sum(stats[status.value] for status in NotificationStatus)
    show(
        "outbox",
        f"{stats['sent']} sent, {stats['failed']} failed ({stats['unconfirmed']} unconfirmed), "
        f"{stats['pending']} pending, {stats['claimed']} claimed, {stats['cancelled']} cancelled; {rows} rows",
    )
    return per_chat


def show_start_up(scheduler: Child, first: float) -> None:
    show(
        "first delivery",
        f"{first - scheduler.started:.1f} s after {scheduler.name} started "
        f"({scheduler.cpu_seconds():.1f} s CPU: imports, leadership, the planning run, the first claim)",
    )


def show_cpu(cpu: CpuMeter) -> None:
    show("CPU from first delivery", cpu.lines[0])
    for line in cpu.lines[1:]:
        show("", line)


def show_log(scheduler: Child) -> None:
    """The scheduler's warnings and errors: how many, and the first few."""
    lines = scheduler.log_lines()
    troubles = [line for line in lines if " WARNING " in line or " ERROR " in line or line.startswith("Traceback")]
    show(f"{scheduler.name} log", f"{len(troubles)} warnings or errors in {len(lines)} lines")
    for line in troubles[:LOG_LINES_SHOWN]:
        show("", line[:200])


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# --- phases -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bench:
    borrowers: int
    tmp: Path
    postgres_url: str | None

    def database_url(self, phase: int) -> str:
        return self.postgres_url or f"sqlite+aiosqlite:///{self.tmp}/phase{phase}.db"

    def expected_chats(self, phase: int) -> set[int]:
        return {FIRST_CHAT * phase + n for n in range(1, self.borrowers + 1)}

    @property
    def expected_seconds(self) -> float:
        return self.borrowers / CAP

    async def prepare(self, phase: int) -> tuple[Child, str]:
        started = time.perf_counter()
        await seed(self.database_url(phase), borrowers=self.borrowers, phase=phase, now=datetime.now(UTC))
        print(f"  seeded {self.borrowers} borrowers, loans and due reminders in {time.perf_counter() - started:.1f} s")
        return await start_backend(self.database_url(phase), self.tmp)


@dataclass(frozen=True)
class BackendCost:
    cpu_ms: float
    calls: float


async def undisturbed(
    bench: Bench, *, phase: int = 1, title: str = "one scheduler, undisturbed", settings: dict[str, str] | None = None
) -> BackendCost:
    print(f"\nphase {phase}: {title}", flush=True)
    backend, backend_url = await bench.prepare(phase)
    try:
        async with FakeBotApi() as fake, httpx.AsyncClient(base_url=backend_url, headers=_service()) as client:
            cpu = CpuMeter(fake)
            scheduler = start_scheduler(
                f"scheduler-{phase}",
                tmp=bench.tmp,
                phase=phase,
                fake_url=fake.url,
                backend_url=backend_url,
                settings=settings,
            )
            first = await first_delivery(fake, scheduler)
            show_start_up(scheduler, first)
            cpu.begin(backend, scheduler, ThisProcess())
            calls, delivered = await scheduler_calls(client), len(fake.deliveries)
            stats = await wait_settled(client, [scheduler], within=bench.expected_seconds + TIMEOUT_SLACK_SECONDS)
            cpu.end(backend, scheduler, ThisProcess())
            calls_per_message = show_calls(calls, await scheduler_calls(client), len(fake.deliveries) - delivered)
            await scheduler.stop()
            show_delivery(fake, bench.expected_chats(phase), stats)
            show_rate("messages/s sustained", [delivery.at for delivery in fake.deliveries])
            show_cpu(cpu)
            show_log(scheduler)
            return BackendCost(cpu_ms=cpu.per_message[backend.name], calls=calls_per_message)
    finally:
        await backend.stop()


async def killed(bench: Bench, rng: random.Random) -> None:
    print("\nphase 2: the scheduler killed (SIGKILL) at a random moment, a new one started at once", flush=True)
    backend, backend_url = await bench.prepare(2)
    try:
        async with FakeBotApi() as fake, httpx.AsyncClient(base_url=backend_url, headers=_service()) as client:
            cpu = CpuMeter(fake)
            doomed = start_scheduler("scheduler-2a", tmp=bench.tmp, phase=2, fake_url=fake.url, backend_url=backend_url)
            first = await first_delivery(fake, doomed)
            show_start_up(doomed, first)
            cpu.begin(backend, doomed, ThisProcess())
            share = rng.uniform(*KILL_BETWEEN)
            await asyncio.sleep(max(first + share * bench.expected_seconds - time.monotonic(), 0))
            cpu.end(doomed)
            doomed.kill()
            killed_at = time.monotonic()
            successor = start_scheduler(
                "scheduler-2b", tmp=bench.tmp, phase=2, fake_url=fake.url, backend_url=backend_url
            )
            await asyncio.sleep(IN_FLIGHT_SECONDS)
            before = len(fake.deliveries)
            show(
                "killed",
                f"{killed_at - first:.1f} s after the first delivery ({share:.0%} of the expected "
                f"{bench.expected_seconds:.0f} s), {before} delivered by then",
            )
            resumed = await first_delivery(fake, successor, after=before)
            show("resumed", f"{resumed - killed_at:.1f} s after the kill (the new scheduler's first delivery)")
            cpu.begin(successor)
            timeout = bench.expected_seconds + TIMEOUT_SLACK_SECONDS + int(scheduler_env()["SCHEDULER_LEASE_SECONDS"])
            stats = await wait_settled(client, [successor], within=timeout)
            cpu.end(backend, successor, ThisProcess())
            await successor.stop()
            per_chat = show_delivery(fake, bench.expected_chats(2), stats)
            await show_restart_figures(bench, fake, per_chat, killed_at=killed_at)
            times = [delivery.at for delivery in fake.deliveries]
            show_rate("messages/s before kill", times[:before])
            show_rate("messages/s after resume", times[before:])
            show_cpu(cpu)
            show_log(doomed)
            show_log(successor)
    finally:
        await backend.stop()


async def show_restart_figures(bench: Bench, fake: FakeBotApi, per_chat: Counter[int], *, killed_at: float) -> None:
    """What became of the dead scheduler's rows: leased but not started (sent again after the lease), and started
    but not reported (unconfirmed: delivered once, or lost)."""
    rows = await outbox_rows(bench.database_url(2))
    lease = scheduler_env()["SCHEDULER_LEASE_SECONDS"]
    again = {row.chat_id for row in rows if row.attempts > 1}
    if again:
        arrivals = [delivery.at - killed_at for delivery in fake.deliveries if delivery.chat_id in again]
        show(
            "claimed twice",
            f"{len(again)} rows the dead scheduler had leased but not started",
            f"sent {min(arrivals):.1f} – {max(arrivals):.1f} s after the kill (SCHEDULER_LEASE_SECONDS={lease})",
        )
    else:
        show("claimed twice", 0, f"(SCHEDULER_LEASE_SECONDS={lease})")
    unconfirmed = [
        row.chat_id for row in rows if row.status == NotificationStatus.FAILED and row.last_error == UNCONFIRMED
    ]
    told = sum(per_chat[chat] == 1 for chat in unconfirmed)
    show(
        "unconfirmed",
        len(unconfirmed),
        f"send started when the process died, never repeated: {told} delivered once, "
        f"{sum(per_chat[chat] == 0 for chat in unconfirmed)} lost",
    )


def _service() -> dict[str, str]:
    return {"Authorization": f"Bearer {SERVICE_TOKEN}"}


async def run(bench: Bench, *, seed_value: int, skip_kill: bool, per_row: bool) -> None:
    database = make_url(bench.postgres_url).database if bench.postgres_url else "SQLite, a fresh file per phase"
    print(f"reminders bench: {bench.borrowers} borrowers; database: {database}; seed {seed_value}")
    print(
        f"baseline: Telegram's cap {CAP:.0f} msg/s (the fake enforces it in a strict {OVERALL.seconds:.0f} s sliding "
        f"window) → goal ≥ {GOAL:.1f} msg/s (98%), the run ≈ {bench.expected_seconds:.0f} s at the cap"
    )
    settings = " ".join(f"{key}={value}" for key, value in sorted(scheduler_env().items()))
    print(f"scheduler settings: {settings} (the rest default); {os.cpu_count()} cores, load {load_average()}")
    baseline = None
    if per_row:
        title = "baseline, each sent row reported on its own (SCHEDULER_REPORT_BATCH=1)"
        baseline = await undisturbed(bench, phase=3, title=title, settings={"SCHEDULER_REPORT_BATCH": "1"})
    batched = await undisturbed(bench)
    if baseline:
        show(
            "backend per message",
            f"CPU {baseline.cpu_ms:.1f} → {batched.cpu_ms:.1f} ms (×{batched.cpu_ms / baseline.cpu_ms:.2f}), "
            f"calls {baseline.calls:.2f} → {batched.calls:.2f}",
            "(reported one by one → in batches)",
        )
    if not skip_kill:
        await killed(bench, random.Random(seed_value))
    print(f"\nload average at the end: {load_average()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--borrowers", type=int, default=3000, help="reminders to push per phase (default 3000)")
    parser.add_argument("--seed", type=int, default=None, help="seed for the kill moment (default: drawn, printed)")
    parser.add_argument("--skip-kill", action="store_true", help="run phase 1 only")
    parser.add_argument("--per-row", action="store_true", help="first a baseline phase reporting each sent row alone")
    parser.add_argument(
        "--database-url",
        default=None,
        help="a PostgreSQL database of the bench's own (postgresql+asyncpg://...), emptied each phase; default SQLite",
    )
    args = parser.parse_args()
    if args.borrowers < 1:
        parser.error("--borrowers must be at least 1")
    if args.database_url:
        url = make_url(args.database_url)
        if url.get_backend_name() != "postgresql" or url.database in (None, "", "test", "postgres"):
            parser.error("--database-url must name a PostgreSQL database of the bench's own (not test or postgres)")
    seed_value = args.seed if args.seed is not None else random.randrange(1_000_000)
    with tempfile.TemporaryDirectory(prefix="bench-reminders-") as tmp:
        bench = Bench(borrowers=args.borrowers, tmp=Path(tmp), postgres_url=args.database_url)
        asyncio.run(run(bench, seed_value=seed_value, skip_kill=args.skip_kill, per_row=args.per_row))


if __name__ == "__main__":
    main()
