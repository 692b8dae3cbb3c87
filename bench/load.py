"""Benchmark: linked borrowers walking the bot through the real HTTP path under a rising load, against a bare aiogram
handler on a bare FastAPI endpoint on the same path and database, in one run.

Usage: python -m bench.load [--borrowers 1000] [--seconds 60] [--target run|topology|both] [--quick]
       [--stages 8] [--start-rate 20] [--factor 1.5] [--warmup 5] [--run-on sqlite|postgresql] [--admin-url URL]

`--borrowers` linked borrowers (one active loan each, its own principal, with three years of payments, one bulk
INSERT per table) each walk /menu → balance → certificates → interest paid → the year → the PDF → back to the menu,
and round again from the balance. Updates arrive open-loop, Poisson at the stage's rate, each taken by the borrower
idle longest (so the think time is the idle borrowers over the rate); a borrower acts only once the reply to their
last action has come. A turn is an update POSTed (with the secret header, as Telegram does) until the message that
ends its reply reaches the fake Bot API: the menu, the balance's text after its chart, the certificate kinds, the
years, the delivery question, the PDF. First each borrower walks on by a random number of legs (0–6, unmeasured, 16
at a time): at this load a borrower acts once in some 40 s, so without it a 60 s ramp would meet nearly all of them
at /menu and measure only the walk's first leg. The rate rises by `--factor` from `--start-rate` in `--stages` stages
over `--seconds`, after `--warmup` seconds unmeasured, and stops after the first saturated stage (p99 over 1 s, an
error, or no borrower idle).

The baseline runs first, on the same path, database and borrowers: a bare aiogram bot (`bench/bare_bot.py`: one GET
of one loan row from `bench/bare_app.py`, one message back). Its highest stage with p99 under 100 ms is the load the
bot's p99 is read at (the bot runs that stage too if its own ramp stopped below it); each side's best replies/s is
its throughput at saturation. Telegram's cap of 30 messages/s is lifted for both (the fake Bot API's and the bot's
budget, SCHEDULER_MESSAGES_PER_SECOND): what is measured is the software, not the cap.

Targets: `run`, one `ipoteka run` process (backend, bot in webhook mode and scheduler) against one bare process
(`python -m bench.bare_bot` serving the bare endpoint too), on SQLite (`--run-on`); `topology`, `bench/cluster.py`'s
processes (the backend with 2 workers on PostgreSQL, 2 bot replicas behind the alternating proxy, Redis, 2 schedulers)
against the bare endpoint with 2 uvicorn workers and 2 bare bots behind the same proxy. Each process's peak RSS and CPU
(psutil, children summed: the backend's workers, PostgreSQL's backends) are taken over each side's measured ramp.
`--quick` is a smoke run: 20 borrowers, two stages of 0.75 s after 0.5 s of warm-up.
"""

import argparse
import asyncio
import bisect
import contextlib
import itertools
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter, deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import aiohttp
import httpx
import psutil
from sqlalchemy import insert, select, update
from sqlalchemy.engine import make_url

from api.db import create_engine, create_sessionmaker
from api.engine import build_schedule
from api.loans.state import terms_of
from api.migrate import upgrade
from api.models import Borrower, Loan, Payment
from api.settings import Settings
from bench.api_balance import SERVICE_TOKEN, free_port
from bench.cluster import (
    DEFAULT_ADMIN_URL,
    REPLY_BURST,
    WEBHOOK_SECRET,
    Topology,
    create_database,
    drop_database,
    metric,
    ready,
    until,
)
from bench.reminders import FIRST_CHAT, PREFIX, Child, add_linked_borrowers, load_average
from bench.webhook_chat import SECRET_HEADER, Step, as_update, say, tap
from bot.app.runner import WEBHOOK_PATH
from bot.buttons import Nav
from dialogs.callbacks import CertificateDelivery, CertificateKind
from fake_bot_api import Delivery, FakeBotApi, Limit

BOT_TOKEN = "42:LOAD"
BOT_ID = 42
#: The borrowers chat as Telegram users FIRST_CHAT * PHASE + 1, + 2, ... (bench/reminders.py's numbering).
PHASE = 5
#: The topology's database holds the demo's borrowers too: the bench's take ids from here.
TOPOLOGY_FIRST_ID = 20_000
#: Telegram's 30 messages a second lifted, for the fake Bot API and for the bot's budget alike.
UNCAPPED = 100_000
#: The stage number of the turns that spread the borrowers over the walk before the warm-up (not measured).
SPREAD_STAGE = -2
#: Turns in flight while the borrowers are spread.
SPREAD_CONCURRENCY = 16
#: A turn with no reply by then is an error (and its borrower starts again from /menu).
REPLY_TIMEOUT = 60.0
#: Telegram's default for a webhook's simultaneous connections.
WEBHOOK_CONNECTIONS = 40
BARE_P99_BOUND = 0.100  # the load the bot is read at: the bare side's p99 under this
BOT_P99_GOAL = 0.250
THROUGHPUT_GOAL = 0.5
SATURATED_P99 = 1.0
PRINCIPAL_STEP = Decimal("1000.00")  # between one seeded loan's principal and the next
SAMPLE_SECONDS = 0.5
_UPDATE_IDS = itertools.count(1_000_000)
#: A group of processes watched as one, as they are at each look.
Processes = Callable[[], list[psutil.Process]]


# --- the walk -------------------------------------------------------------------------------------------------


def _buttons(delivery: Delivery) -> list[str]:
    rows = (delivery.reply_markup or {}).get("inline_keyboard", [])
    return [button.get("callback_data", "") for row in rows for button in row]


def shows(*data: str) -> Callable[[Delivery], bool]:
    """The reply ends with the message carrying buttons with every one of `data`."""
    return lambda delivery: set(data) <= set(_buttons(delivery))


def shows_prefix(prefix: str) -> Callable[[Delivery], bool]:
    return lambda delivery: any(button.startswith(prefix) for button in _buttons(delivery))


@dataclass(frozen=True)
class Leg:
    """One action of the walk and the message that ends the bot's reply to it."""

    name: str
    step: Step
    answered: Callable[[Delivery], bool]


YEAR_BUTTON = "certyear:"
WALK = (
    Leg("menu", say("/menu", None), shows(Nav(to="balance").pack())),
    Leg("balance", tap(Nav(to="balance").pack(), None), shows(Nav(to="pay").pack(), Nav(to="menu").pack())),
    Leg(
        "certificates",
        tap(Nav(to="certificates").pack(), None),
        shows(CertificateKind(kind="interest_paid").pack()),
    ),
    Leg("kind", tap(CertificateKind(kind="interest_paid").pack(), None), shows_prefix(YEAR_BUTTON)),
    Leg("year", tap(YEAR_BUTTON, None), shows(CertificateDelivery(signed=False).pack())),
    Leg("pdf", tap(CertificateDelivery(signed=False).pack(), None), lambda delivery: delivery.method == "sendDocument"),
    Leg("back", tap(Nav(to="menu").pack(), None), shows(Nav(to="balance").pack())),
)
AGAIN = 1  # after "back" the walk goes round from the balance


@dataclass
class Turn:
    leg: str
    stage: int  # -1: the warm-up, -2: the spread before it
    posted: float  # monotonic, the fake's clock
    replied: float | None = None
    failed: str | None = None

    def latency(self, now: float) -> float:
        """Seconds to the reply; a failure counts as the timeout, a turn still waiting as its age so far."""
        if self.replied is not None:
            return self.replied - self.posted
        if self.failed is not None:
            return REPLY_TIMEOUT
        return now - self.posted


@dataclass
class Chat:
    """A simulated borrower: where they are in the walk, the bot's latest buttons, the turn waiting for a reply."""

    user_id: int
    language: str
    leg: int = 0
    keyboard: int = 1  # the id of the latest message with buttons (a press is on it)
    buttons: list[str] = field(default_factory=list)
    turn: Turn | None = None

    def step(self) -> Step:
        step = WALK[self.leg].step
        if step.value == YEAR_BUTTON:  # the latest year offered (the bare bot offers none: this year)
            years = [data for data in self.buttons if data.startswith(YEAR_BUTTON)]
            return tap(years[0] if years else f"{YEAR_BUTTON}{datetime.now(UTC).year}", None)
        return step


def chats_for(borrowers: int) -> list[Chat]:
    """The seeded borrowers' chats (every tenth in English, as `add_linked_borrowers` seeds them)."""
    first = FIRST_CHAT * PHASE
    return [Chat(first + n, "en" if n % 10 == 0 else "ru") for n in range(1, borrowers + 1)]


# --- seeding --------------------------------------------------------------------------------------------------


async def seed(database_url: str, *, borrowers: int, first_id: int, migrate: bool) -> None:
    """`borrowers` linked borrowers (`bench/reminders.py`'s bulk rows, no reminders) each with their loan selected and
    every installment due before today paid on its day: one INSERT per table."""
    settings = Settings(mode="test", database_url=database_url)
    if migrate:
        await asyncio.to_thread(upgrade, settings)
    now = datetime.now(UTC)
    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine)() as session:
            await add_linked_borrowers(
                session, borrowers=borrowers, phase=PHASE, now=now, first_id=first_id, reminders=False
            )
            ids = range(first_id, first_id + borrowers)
            await session.execute(update(Borrower).where(Borrower.id.in_(ids)).values(selected_loan_id=Borrower.id))
            # each loan its own principal, so each borrower's schedule, chart and figures are their own (with one
            # loan for all, the bot's kept charts would serve every borrower the one chart drawn)
            await session.execute(
                update(Loan)
                .where(Loan.id.in_(ids))
                .values(principal=Loan.principal + (Loan.id - first_id) * PRINCIPAL_STEP)
            )
            payments = [
                {
                    "external_id": f"{PREFIX}P{PHASE}-{loan.id}-{row.number}",
                    "loan_id": loan.id,
                    "paid_on": row.due_date,
                    "amount": row.payment,
                    "created_at": now,
                }
                for loan in await session.scalars(select(Loan).where(Loan.id.in_(ids)))
                for row in build_schedule(terms_of(loan)).installments
                if row.due_date < now.date()
            ]
            await session.execute(insert(Payment), payments)
            await session.commit()
    finally:
        await engine.dispose()


# --- what each side is ----------------------------------------------------------------------------------------


@dataclass
class Side:
    """One contestant: where updates are POSTed, which processes are its (this one is always watched too, doing
    `here`), what ends a reply, its own count of updates that failed in a handler, and what puts it in place."""

    name: str
    url: str
    processes: dict[str, Processes]
    answered: Callable[[Leg, Delivery], bool]
    failures: Callable[[], Awaitable[int]]
    here: str = "load, fake Bot API"
    activate: Callable[[], None] = lambda: None


def bot_answered(leg: Leg, delivery: Delivery) -> bool:
    return leg.answered(delivery)


def bare_answered(leg: Leg, delivery: Delivery) -> bool:
    return True


def bot_failures(urls: list[str]) -> Callable[[], Awaitable[int]]:
    """Updates the bot's replicas counted as failed or unhandled (`ipoteka_bot_updates_total`, from /metrics)."""

    async def count() -> int:
        total = 0.0
        async with httpx.AsyncClient(timeout=10) as client:
            for url in urls:
                scrape = (await client.get(f"{url}/metrics")).text
                for outcome in ("error", "unhandled"):
                    total += metric(scrape, "ipoteka_bot_updates_total", outcome=outcome)
        return int(total)

    return count


def bare_failures(urls: list[str]) -> Callable[[], Awaitable[int]]:
    async def count() -> int:
        async with httpx.AsyncClient(timeout=10) as client:
            return sum([(await client.get(f"{url}/errors")).json()["errors"] for url in urls])

    return count


@dataclass
class Deployment:
    """A target started: what it is, and its two sides."""

    title: str
    bare: Side
    bot: Side


# --- the load -------------------------------------------------------------------------------------------------


class Walkers:
    """The borrowers of one side, driven open-loop: `stage(rate, seconds, index)` posts Poisson arrivals, each to the
    borrower idle longest; a borrower's turn ends at the delivery that answers it."""

    def __init__(self, side: Side, chats: list[Chat], session: aiohttp.ClientSession, rng: random.Random) -> None:
        self.side = side
        self.session = session
        self.rng = rng
        self.by_id = {chat.user_id: chat for chat in chats}
        for chat in chats:  # each side walks from the start
            chat.leg, chat.keyboard, chat.buttons, chat.turn = 0, 1, [], None
        self.idle: deque[Chat] = deque(chats)
        self.turns: list[Turn] = []
        self.replies: list[float] = []  # the moments replies ended, in order
        self.skipped: Counter[int] = Counter()  # arrivals by stage that found every borrower waiting
        self._posting: set[asyncio.Task[None]] = set()
        self._spreading: dict[int, asyncio.Event] = {}  # by borrower: the turn `spread` waits for has ended

    # the fake Bot API's listener: in its request handler, so nothing here awaits
    def on_delivery(self, delivery: Delivery) -> None:
        chat = self.by_id.get(delivery.chat_id)
        if chat is None:
            return
        buttons = _buttons(delivery)
        if buttons:
            chat.keyboard, chat.buttons = delivery.message_id, buttons
        turn = chat.turn
        if turn is None or not self.side.answered(WALK[chat.leg], delivery):
            return
        turn.replied = delivery.at
        self.replies.append(delivery.at)
        chat.turn = None
        chat.leg = chat.leg + 1 if chat.leg + 1 < len(WALK) else AGAIN
        self.idle.append(chat)
        self._ended(chat)

    def _ended(self, chat: Chat) -> None:
        if (answered := self._spreading.pop(chat.user_id, None)) is not None:
            answered.set()

    def _fail(self, chat: Chat, turn: Turn, why: str) -> None:
        if turn.replied is not None or turn.failed is not None:
            return
        turn.failed = why
        if chat.turn is turn:
            chat.turn, chat.leg = None, 0  # lost: start again from /menu
            self.idle.append(chat)
            self._ended(chat)

    async def _post(self, chat: Chat, stage: int) -> None:
        update_id = next(_UPDATE_IDS)
        body = as_update(
            chat.step(),
            update_id=update_id,
            user_id=chat.user_id,
            bot_id=BOT_ID,
            keyboard_message_id=chat.keyboard,
            first_name="Борис",
            language_code=chat.language,
        )
        turn = Turn(WALK[chat.leg].name, stage, time.monotonic())
        chat.turn = turn
        self.turns.append(turn)
        try:
            async with self.session.post(self.side.url, json=body, headers=SECRET_HEADER) as answer:
                await answer.read()
                if answer.status != 200:
                    self._fail(chat, turn, f"webhook answered {answer.status}")
        except (aiohttp.ClientError, TimeoutError) as exc:
            self._fail(chat, turn, f"webhook: {type(exc).__name__}")

    def expire(self) -> None:
        now = time.monotonic()
        for chat in self.by_id.values():
            if chat.turn is not None and now - chat.turn.posted > REPLY_TIMEOUT:
                self._fail(chat, chat.turn, "no reply")

    async def stage(self, rate: float, seconds: float, index: int) -> None:
        begun = time.monotonic()
        end, at, last_expiry = begun + seconds, begun, begun
        while True:
            at += self.rng.expovariate(rate)
            if at >= end:
                break
            if (wait := at - time.monotonic()) > 0:
                await asyncio.sleep(wait)
            if at - last_expiry > 1:
                self.expire()
                last_expiry = at
            if not self.idle:
                self.skipped[index] += 1
                continue
            task = asyncio.create_task(self._post(self.idle.popleft(), index))
            self._posting.add(task)
            task.add_done_callback(self._posting.discard)
        if (wait := end - time.monotonic()) > 0:
            await asyncio.sleep(wait)

    async def spread(self, concurrency: int) -> int:
        """Walk each borrower on by a random number of legs (unmeasured, `concurrency` turns at a time), so the ramp
        meets them spread over the walk as a steady state would, not every one at /menu; returns the turns taken."""
        legs = {chat.user_id: self.rng.randrange(len(WALK)) for chat in self.idle}
        slots = asyncio.Semaphore(concurrency)
        ended: dict[int, float] = {}

        async def walk(chat: Chat) -> None:
            for _ in range(legs[chat.user_id]):
                async with slots:
                    answered = self._spreading[chat.user_id] = asyncio.Event()
                    await self._post(chat, SPREAD_STAGE)
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(answered.wait(), REPLY_TIMEOUT)
                    ended[chat.user_id] = time.monotonic()

        await asyncio.gather(*(walk(chat) for chat in self.by_id.values()))
        self.expire()
        # the replies put each borrower back at every leg: idle once each, the one whose walk ended first first
        self.idle = deque(sorted(self.by_id.values(), key=lambda chat: ended.get(chat.user_id, 0.0)))
        return sum(legs.values())

    def waiting(self) -> int:
        return sum(chat.turn is not None for chat in self.by_id.values())

    async def drain(self) -> None:
        """Until every turn has its reply or has timed out."""
        deadline = time.monotonic() + REPLY_TIMEOUT + 1
        while (self.waiting() or self._posting) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
            self.expire()

    def replied_between(self, start: float, end: float) -> int:
        return bisect.bisect_left(self.replies, end) - bisect.bisect_left(self.replies, start)


# --- what was measured ----------------------------------------------------------------------------------------


def quantile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=1000, method="inclusive")[round(q * 1000) - 1]


@dataclass
class Stage:
    index: int
    rate: float  # offered, updates/s
    started: float
    seconds: float
    turns: list[Turn]
    replied: int  # replies that ended within the stage's window
    skipped: int

    def latencies(self, now: float) -> list[float]:
        return [turn.latency(now) for turn in self.turns]

    def p50(self, now: float | None = None) -> float:
        return quantile(self.latencies(now or time.monotonic()), 0.5)

    def p99(self, now: float | None = None) -> float:
        return quantile(self.latencies(now or time.monotonic()), 0.99)

    @property
    def posted_per_second(self) -> float:
        return len(self.turns) / self.seconds

    @property
    def replied_per_second(self) -> float:
        return self.replied / self.seconds

    @property
    def errors(self) -> int:
        return sum(turn.failed is not None for turn in self.turns)

    def saturated(self, now: float | None = None) -> bool:
        """Open loop, the queue of a side that cannot keep up grows through the stage: its p99 passes a second."""
        return self.p99(now) > SATURATED_P99 or self.skipped > 0 or self.errors > 0

    def by_leg(self) -> dict[str, float]:
        """p50 by leg of the walk, seconds."""
        legs: dict[str, list[float]] = {}
        for turn in self.turns:
            if turn.replied is not None:
                legs.setdefault(turn.leg, []).append(turn.replied - turn.posted)
        return {leg.name: statistics.median(legs[leg.name]) for leg in WALK if leg.name in legs}


@dataclass
class Usage:
    """One process (its children summed) over a side's measured time."""

    name: str
    count: int = 0  # processes seen at the peak
    peak_rss: int = 0
    cpu_seconds: float = 0.0
    peak_percent: float = 0.0  # of one core, over a sampling interval
    seconds: float = 0.0

    @property
    def mean_percent(self) -> float:
        return 100 * self.cpu_seconds / self.seconds if self.seconds else 0.0


def tree(*children: Child) -> Processes:
    """The children's processes and all of theirs (a uvicorn supervisor's workers), as they are at each look."""
    roots = [psutil.Process(child.process.pid) for child in children]

    def members() -> list[psutil.Process]:
        found = []
        for root in roots:
            with contextlib.suppress(psutil.Error):
                found += [root, *root.children(recursive=True)]
        return found

    return members


def this_process() -> Processes:
    """This process alone (its children are the targets')."""
    return lambda: [psutil.Process()]


def postgres_backends(database_url: str) -> Processes:
    """The PostgreSQL server's backends serving `database_url`'s database (by their process titles): the server is
    shared, so only these are this target's. Every process is read to find them, so only every tenth look does."""
    title = f" {make_url(database_url).database} "
    found: list[psutil.Process] = []
    looks = itertools.count()

    def members() -> list[psutil.Process]:
        if next(looks) % 10 == 0:
            found[:] = [
                process
                for process in psutil.process_iter(["name", "cmdline"])
                if process.info["name"] == "postgres" and title in " ".join(process.info["cmdline"] or []) + " "
            ]
        return found

    return members


class Sampler:
    """Every SAMPLE_SECONDS: each watched group's RSS and CPU, for the peak RSS, the CPU used and its peak rate. CPU
    is counted per process from when it is first seen (from its start, if it started after the sampler), so a
    connection opened or closed meanwhile neither loses nor doubles its share."""

    def __init__(self, processes: dict[str, Processes]) -> None:
        self.processes = processes
        self.usage = {name: Usage(name) for name in processes}
        self._cpu: dict[int, float] = {}  # by pid: its CPU seconds at the last look
        self._task: asyncio.Task[None] | None = None
        self._began = self._wall_began = 0.0
        self._last = 0.0

    def _sample(self) -> None:
        now = time.monotonic()
        for name, members in self.processes.items():
            usage, used, rss, count = self.usage[name], 0.0, 0, 0
            for process in members():
                try:
                    with process.oneshot():
                        times, memory, created = process.cpu_times(), process.memory_info(), process.create_time()
                except psutil.Error:
                    continue
                cpu = times.user + times.system
                known = self._cpu.get(process.pid)
                if known is None:
                    known = 0.0 if created > self._wall_began and self._last else cpu
                used += max(cpu - known, 0.0)
                self._cpu[process.pid] = cpu
                rss += memory.rss
                count += 1
            if rss > usage.peak_rss:
                usage.peak_rss, usage.count = rss, count
            usage.cpu_seconds += used
            if self._last and now > self._last:
                usage.peak_percent = max(usage.peak_percent, 100 * used / (now - self._last))
            usage.seconds = now - self._began
        self._last = now

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(SAMPLE_SECONDS)
            self._sample()

    def start(self) -> None:
        self._began, self._wall_began = time.monotonic(), time.time()
        self._sample()
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> list[Usage]:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        self._sample()
        return list(self.usage.values())


@dataclass
class SideResult:
    name: str
    stages: list[Stage]
    usage: list[Usage]
    errors: Counter[str]
    saturated: bool
    sampled: int  # replies while the processes were watched (the ramp and its drain)

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    @property
    def throughput(self) -> float:
        return max((stage.replied_per_second for stage in self.stages), default=0.0)

    @property
    def replies(self) -> int:
        return sum(stage.replied for stage in self.stages)

    def at(self, index: int) -> Stage | None:
        return next((stage for stage in self.stages if stage.index == index), None)


@dataclass
class TargetResult:
    title: str
    rates: list[float]
    bare: SideResult
    bot: SideResult
    #: the bare side's highest stage with p99 under BARE_P99_BOUND (None: not even the first)
    read_at: int | None

    @property
    def throughput_ratio(self) -> float:
        return self.bot.throughput / self.bare.throughput if self.bare.throughput else float("nan")

    @property
    def bot_p99_at_load(self) -> float | None:
        stage = self.bot.at(self.read_at) if self.read_at is not None else None
        return stage.p99() if stage else None

    @property
    def bare_p99_at_load(self) -> float | None:
        stage = self.bare.at(self.read_at) if self.read_at is not None else None
        return stage.p99() if stage else None


def ladder(args: argparse.Namespace) -> list[float]:
    return [args.start_rate * args.factor**k for k in range(args.stages)]


def bare_read_at(bare: SideResult) -> int | None:
    """The bare side's highest stage (before saturation) with p99 under BARE_P99_BOUND and no error."""
    found = None
    for stage in bare.stages:
        if stage.saturated() or stage.p99() >= BARE_P99_BOUND:
            break
        found = stage.index
    return found


async def measure_side(
    side: Side,
    fake: FakeBotApi,
    chats: list[Chat],
    rates: list[float],
    args: argparse.Namespace,
    *,
    also_at: int | None = None,
) -> SideResult:
    """Warm-up, then the ramp until saturation (and the stage `also_at` if the ramp stopped below it)."""
    seconds = args.seconds / args.stages
    connector = aiohttp.TCPConnector(limit=WEBHOOK_CONNECTIONS)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        side.activate()
        walkers = Walkers(side, chats, session, random.Random(args.seed))
        fake.listeners.append(walkers.on_delivery)
        try:
            began = time.monotonic()
            taken = await walkers.spread(SPREAD_CONCURRENCY)
            print(f"\n{side.name}: spread over the walk in {taken} turns, {time.monotonic() - began:.1f} s", flush=True)
            if args.warmup > 0:
                await walkers.stage(rates[0], args.warmup, -1)
                await walkers.drain()
            failed_before, refused_before = await side.failures(), len(fake.rejections)
            sampler = Sampler(side.processes | {f"this one ({side.here})": this_process()})
            sampler.start()
            sampler_began = time.monotonic()
            stages: list[Stage] = []
            print(f"  {'offered/s':>9} {'posted/s':>9} {'replied/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6}")

            async def run(index: int) -> Stage:
                started, count = time.monotonic(), len(walkers.turns)
                await walkers.stage(rates[index], seconds, index)
                stage = Stage(index, rates[index], started, seconds, walkers.turns[count:], 0, walkers.skipped[index])
                stage.replied = walkers.replied_between(started, started + seconds)
                stages.append(stage)
                _show_stage(stage)
                return stage

            saturated = False
            for index in range(len(rates)):
                if (await run(index)).saturated():
                    saturated = True
                    break
            if also_at is not None and also_at > stages[-1].index:
                await walkers.drain()
                print(f"  and at the load where the bare side's p99 is under {BARE_P99_BOUND * 1000:.0f} ms:")
                await run(also_at)
            await walkers.drain()
            for stage in stages:
                stage.replied = walkers.replied_between(stage.started, stage.started + stage.seconds)
            usage = await sampler.stop()
            sampled = walkers.replied_between(sampler_began, time.monotonic())
        finally:
            fake.listeners.remove(walkers.on_delivery)
    errors = Counter(turn.failed for turn in walkers.turns if turn.failed is not None and turn.stage >= 0)
    if failed := await side.failures() - failed_before:
        errors["failed in the handler"] += failed
    if refused := len(fake.rejections) - refused_before:
        errors["refused by the fake Bot API"] += refused
    return SideResult(side.name, stages, usage, errors, saturated, sampled)


def _ms(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds * 1000:.0f}"


def _show_stage(stage: Stage) -> None:
    mark = "  saturated" if stage.saturated() else ""
    mark += f", {stage.skipped} arrivals found no borrower idle" if stage.skipped else ""
    print(
        f"  {stage.rate:9.1f} {stage.posted_per_second:9.1f} {stage.replied_per_second:9.1f} "
        f"{_ms(stage.p50()):>8} {_ms(stage.p99()):>8} {stage.errors:6d}{mark}",
        flush=True,
    )


def show_usage(result: SideResult) -> None:
    print(f"  {'process':34} {'peak RSS':>9} {'CPU s':>7} {'CPU % mean/peak':>16} {'CPU ms/reply':>13}")
    for usage in result.usage:
        name = f"{usage.name} ×{usage.count}" if usage.count > 1 else usage.name
        per_reply = 1000 * usage.cpu_seconds / result.sampled if result.sampled else float("nan")
        print(
            f"  {name:34} {usage.peak_rss / 2**20:6.0f} MB {usage.cpu_seconds:7.1f} "
            f"{usage.mean_percent:8.0f} /{usage.peak_percent:5.0f} {per_reply:13.2f}"
        )


async def measure(deployment: Deployment, fake: FakeBotApi, chats: list[Chat], args) -> TargetResult:
    rates = ladder(args)
    bare = await measure_side(deployment.bare, fake, chats, rates, args)
    show_usage(bare)
    read_at = bare_read_at(bare)
    bot = await measure_side(deployment.bot, fake, chats, rates, args, also_at=read_at)
    if bot.stages and read_at is not None:
        by_leg = (bot.at(read_at) or bot.stages[-1]).by_leg()
        print("  p50 by leg at that load: " + ", ".join(f"{leg} {s * 1000:.0f} ms" for leg, s in by_leg.items()))
    show_usage(bot)
    result = TargetResult(deployment.title, rates, bare, bot, read_at)
    report(result)
    return result


def report(result: TargetResult) -> None:
    def verdict(ok: bool) -> str:
        return "met" if ok else "MISSED"

    print(f"\ngoals, {result.title}")

    def why(side: SideResult) -> str:
        errors = ", ".join(f"{why} {n}" for why, n in side.errors.items())
        return f" ({errors})" if errors else ""

    # The goal is the bot's: the bare side is the yardstick, and its errors come in its saturated stage.
    print(
        f"  errors                 bot {result.bot.error_count}{why(result.bot)}, "
        f"bare {result.bare.error_count}{why(result.bare)}   goal 0 (the bot's): {verdict(result.bot.error_count == 0)}"
    )
    if result.read_at is None:
        print("  p99                    the bare side's p99 was over 100 ms even at the first stage: not read")
    else:
        rate, bot_p99, bare_p99 = result.rates[result.read_at], result.bot_p99_at_load, result.bare_p99_at_load
        ratio = f" (×{bot_p99 / bare_p99:.1f} bare)" if bot_p99 is not None and bare_p99 else ""
        print(
            f"  p99 at {rate:.0f} updates/s      bot {_ms(bot_p99)} ms, bare {_ms(bare_p99)} ms{ratio}   "
            f"goal < 250 ms: {verdict(bot_p99 is not None and bot_p99 < BOT_P99_GOAL)}"
        )

    def saturation(side: SideResult) -> str:
        return f"{side.throughput:.1f}/s" + ("" if side.saturated else " (not saturated: at least)")

    print(
        f"  throughput             bot {saturation(result.bot)}, bare {saturation(result.bare)}: "
        f"{result.throughput_ratio:.2f} of bare   goal ≥ 0.5: {verdict(result.throughput_ratio >= THROUGHPUT_GOAL)}",
        flush=True,
    )


# --- the targets ----------------------------------------------------------------------------------------------


def _bot_env(fake: FakeBotApi, port: int) -> dict[str, str]:
    """The bot's variables in webhook mode on `port`, Telegram's cap lifted (the budget reads the scheduler's limit)."""
    return {
        "BOT_TOKEN": BOT_TOKEN,
        "TELEGRAM_API_URL": fake.url,
        "SERVICE_TOKEN": SERVICE_TOKEN,
        "WEBHOOK_URL": f"http://127.0.0.1:{port}{WEBHOOK_PATH}",
        "WEBHOOK_SECRET": WEBHOOK_SECRET,
        "WEBHOOK_HOST": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
        "FLOOD_LIMIT": "1000",  # as the topology's: the bench's borrowers act faster than people
        "SCHEDULER_MESSAGES_PER_SECOND": str(UNCAPPED),
        "LOG_FORMAT": "text",
    }


def _bare_env(fake: FakeBotApi, port: int, first_id: int) -> dict[str, str]:
    return {
        "BOT_TOKEN": BOT_TOKEN,
        "TELEGRAM_API_URL": fake.url,
        "WEBHOOK_SECRET": WEBHOOK_SECRET,
        "WEBHOOK_HOST": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
        "BARE_LOAN_OFFSET": str(loan_offset(first_id)),
    }


def loan_offset(first_id: int) -> int:
    """Borrower n chats as FIRST_CHAT * PHASE + n and has loan first_id - 1 + n: the loan is the chat + this."""
    return first_id - 1 - FIRST_CHAT * PHASE


class Children:
    """The processes a target starts, each logging to a file of `tmp`; all stopped at the end."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.started: list[Child] = []

    def spawn(self, name: str, command: list[str], env: dict[str, str]) -> Child:
        child = Child(name, command, os.environ | env, self.tmp / f"{name}.log")
        self.started.append(child)
        return child

    async def stop(self) -> None:
        for child in reversed(self.started):
            await child.stop()


def _python(*args: str) -> list[str]:
    return [sys.executable, *args]


@asynccontextmanager
async def run_target(tmp: Path, fake: FakeBotApi, args: argparse.Namespace) -> AsyncIterator[Deployment]:
    """`ipoteka run` (one process) against one bare process, on one database."""
    on_postgres = args.run_on == "postgresql"
    database_url = await create_database(args.admin_url) if on_postgres else f"sqlite+aiosqlite:///{tmp}/load.db"
    children = Children(tmp)
    try:
        began = time.monotonic()
        await seed(database_url, borrowers=args.borrowers, first_id=1, migrate=True)
        print(f"seeded {args.borrowers} borrowers in {time.monotonic() - began:.1f} s", flush=True)
        common = {"DATABASE_URL": database_url, "MODE": "demo", "DATA_DIR": str(tmp)}
        api_port, bot_port, bare_port, bare_api_port = free_port(), free_port(), free_port(), free_port()
        bot = children.spawn(
            "ipoteka-run",
            _python("-m", "ipoteka", "run"),
            common | _bot_env(fake, bot_port) | {"API_PORT": str(api_port)},
        )
        bare_env = common | _bare_env(fake, bare_port, first_id=1) | {"BARE_API_PORT": str(bare_api_port)}
        bare = children.spawn("bare", _python("-m", "bench.bare_bot"), bare_env)
        bot_url, bare_url = f"http://127.0.0.1:{bot_port}", f"http://127.0.0.1:{bare_port}"
        async with httpx.AsyncClient() as client:
            await ready(client, f"{bare_url}/healthz", bare)
            await ready(client, f"http://127.0.0.1:{bare_api_port}/health", bare)
            await ready(client, f"{bot_url}/readyz", bot)
        print(f"started in {time.monotonic() - began:.1f} s", flush=True)
        database = (
            {"PostgreSQL (its backends for this database)": postgres_backends(database_url)} if on_postgres else {}
        )
        yield Deployment(
            f"ipoteka run (one process, webhook) on {'PostgreSQL' if on_postgres else 'SQLite'}",
            Side(
                "bare: an aiogram handler → the bare FastAPI endpoint (one row), in one process",
                f"{bare_url}{WEBHOOK_PATH}",
                {"bare bot + endpoint": tree(bare)} | database,
                bare_answered,
                bare_failures([bare_url]),
            ),
            Side(
                "bot: ipoteka run (backend, bot, scheduler in one process)",
                f"{bot_url}{WEBHOOK_PATH}",
                {"ipoteka run": tree(bot)} | database,
                bot_answered,
                bot_failures([bot_url]),
            ),
        )
    finally:
        await children.stop()
        if on_postgres:
            await drop_database(args.admin_url, database_url)


@asynccontextmanager
async def topology_target(tmp: Path, fake: FakeBotApi, args: argparse.Namespace) -> AsyncIterator[Deployment]:
    """`bench/cluster.py`'s topology against the bare endpoint (as many workers) and as many bare bots as replicas,
    behind the same proxy."""
    began = time.monotonic()
    topology = Topology(
        tmp,
        admin_url=args.admin_url,
        fake=fake,
        scheduler_settings={"POLL_SECONDS": "2"},  # the default: the idle leader's polls stay out of the way
        environment={"SCHEDULER_MESSAGES_PER_SECOND": str(UNCAPPED)},
    )
    async with topology:
        print(f"the topology started in {time.monotonic() - began:.1f} s", flush=True)
        await seed(topology.database_url, borrowers=args.borrowers, first_id=TOPOLOGY_FIRST_ID, migrate=False)
        children = Children(tmp)
        try:
            api_port = free_port()
            api_url = f"http://127.0.0.1:{api_port}"
            bare_api = children.spawn(
                "bare-api",
                _python(
                    *("-m", "uvicorn", "bench.bare_app:create_bare_app", "--factory", "--port", str(api_port)),
                    *("--workers", str(topology.workers), "--log-level", "warning"),
                ),
                {"DATABASE_URL": topology.database_url, "MODE": "demo"},
            )
            bare_bots: dict[str, Child] = {}
            for number in range(1, topology.replicas + 1):
                port = free_port()
                env = _bare_env(fake, port, first_id=TOPOLOGY_FIRST_ID) | {"BARE_API_URL": api_url}
                bare_bots[f"http://127.0.0.1:{port}"] = children.spawn(
                    f"bare-bot-{number}", _python("-m", "bench.bare_bot"), env
                )
            async with httpx.AsyncClient() as client:
                await ready(client, f"{api_url}/health", bare_api)
                for url, child in bare_bots.items():
                    await ready(client, f"{url}/healthz", child)
            replicas = [replica.url for replica in topology.bots]
            started = topology.children()
            database = {"PostgreSQL (its backends for this database)": postgres_backends(topology.database_url)}
            bot_processes = {"backend (ipoteka api --workers 2)": tree(started["backend"])}
            bot_processes |= {replica.child.name: tree(replica.child) for replica in topology.bots}
            bot_processes |= {"redis-server": tree(started["redis"])}
            bot_processes |= {timetable.child.name: tree(timetable.child) for timetable in topology.timetables}
            bare_processes = {"bare endpoint (uvicorn --workers 2)": tree(bare_api)}
            bare_processes |= {child.name: tree(child) for child in bare_bots.values()}

            def behind_proxy(upstreams: list[str]) -> Callable[[], None]:
                def activate() -> None:
                    topology.proxy.upstreams = upstreams

                return activate

            here = "load, fake Bot API, proxy"
            yield Deployment(
                f"the topology (backend ×{topology.workers} workers on PostgreSQL, {topology.replicas} replicas behind "
                f"the proxy, Redis, {topology.schedulers} schedulers)",
                Side(
                    f"bare: aiogram handler → the bare FastAPI endpoint (one row); {topology.replicas} bare bots, the "
                    f"endpoint with {topology.workers} workers",
                    f"{topology.proxy.url}{WEBHOOK_PATH}",
                    bare_processes | database,
                    bare_answered,
                    bare_failures(list(bare_bots)),
                    here,
                    behind_proxy(list(bare_bots)),
                ),
                Side(
                    f"bot: the topology's {topology.replicas} replicas",
                    f"{topology.proxy.url}{WEBHOOK_PATH}",
                    bot_processes | database,
                    bot_answered,
                    bot_failures(replicas),
                    here,
                    behind_proxy(replicas),
                ),
            )
        finally:
            await children.stop()


@asynccontextmanager
async def in_process_target(tmp: Path, fake: FakeBotApi, args: argparse.Namespace) -> AsyncIterator[Deployment]:
    """Both sides in this process (the smoke test's): the backend and the bare endpoint under uvicorn, the real bot
    (`run_bot`, webhook mode, no scheduler) and the bare bot, on one SQLite file."""
    import uvicorn

    from api.app import create_app
    from bench.bare_bot import BareBot, serve_bare_api, serve_bare_bot
    from bot.app.runner import run_bot
    from bot.limits import Limits
    from bot.settings import BotSettings
    from ipoteka.commands.run import _EmbeddedServer

    database_url = f"sqlite+aiosqlite:///{tmp}/load.db"
    await seed(database_url, borrowers=args.borrowers, first_id=1, migrate=True)
    api_port, bot_port, bare_port, bare_api_port = free_port(), free_port(), free_port(), free_port()
    settings = Settings(mode="demo", database_url=database_url, service_token=SERVICE_TOKEN, data_dir=tmp)
    backend = _EmbeddedServer(
        uvicorn.Config(create_app(settings), port=api_port, access_log=False, log_config=None, log_level="warning")
    )
    bot_url, bare_url = f"http://127.0.0.1:{bot_port}", f"http://127.0.0.1:{bare_port}"
    bot_settings = BotSettings(
        bot_token=BOT_TOKEN,
        telegram_api_url=fake.url,
        backend_url=f"http://127.0.0.1:{api_port}/api/v1",
        service_token=SERVICE_TOKEN,
        webhook_url=f"{bot_url}{WEBHOOK_PATH}",
        webhook_secret=WEBHOOK_SECRET,
        webhook_port=bot_port,
        flood_limit=1000,
    )
    bare_api_url = f"http://127.0.0.1:{bare_api_port}"
    bare = BareBot(BOT_TOKEN, fake.url, WEBHOOK_SECRET, "127.0.0.1", bare_port, bare_api_url, loan_offset(1))
    stop = asyncio.Event()
    serving = asyncio.create_task(backend.serve())
    tasks = [
        asyncio.create_task(serve_bare_api(settings, "127.0.0.1", bare_api_port, stop)),
        asyncio.create_task(serve_bare_bot(bare, stop)),
    ]
    try:
        await asyncio.wait_for(backend.listening.wait(), 60)
        tasks.append(asyncio.create_task(run_bot(bot_settings, stop=stop, limits=Limits(per_second=UNCAPPED))))

        async def answers(url: str) -> bool:
            if failed := [task for task in [serving, *tasks] if task.done()]:
                await failed[0]  # raises what stopped it
                raise RuntimeError("a server stopped")
            try:
                async with httpx.AsyncClient() as client:
                    return (await client.get(url, timeout=2)).status_code == 200
            except httpx.TransportError:
                return False

        for url in (f"{bare_url}/healthz", f"{bare_api_url}/health", f"{bot_url}/readyz"):
            await until(lambda url=url: answers(url), within=60, what=f"{url} ready")
        here = "load, fake Bot API, both sides"
        yield Deployment(
            "in this process (SQLite)",
            Side("bare", f"{bare_url}{WEBHOOK_PATH}", {}, bare_answered, bare_failures([bare_url]), here),
            Side("bot", f"{bot_url}{WEBHOOK_PATH}", {}, bot_answered, bot_failures([bot_url]), here),
        )
    finally:
        stop.set()
        backend.should_exit = True
        await asyncio.gather(serving, *tasks, return_exceptions=True)


TARGETS = {"run": run_target, "topology": topology_target, "inprocess": in_process_target}


async def bench(args: argparse.Namespace, tmp: Path) -> list[TargetResult]:
    """Every target asked for, one after the other; the figures of each."""
    names = ["run", "topology"] if args.target == "both" else [args.target]
    results = []
    for name in names:
        fake = FakeBotApi(overall=Limit(UNCAPPED, 1.0), per_chat=REPLY_BURST)
        async with fake:
            print(
                f"\n=== {name}: {args.borrowers} borrowers; {os.cpu_count()} cores, load {load_average()}; "
                f"logs in {tmp}",
                flush=True,
            )
            chats = chats_for(args.borrowers)
            (tmp / name).mkdir(parents=True, exist_ok=True)
            async with TARGETS[name](tmp / name, fake, args) as deployment:
                rates = ", ".join(f"{rate:.0f}" for rate in ladder(args))
                print(
                    f"{deployment.title}\nstages of {args.seconds / args.stages:g} s at {rates} updates/s (until "
                    f"saturated) after {args.warmup:g} s of warm-up; Telegram's 30 messages/s lifted for both sides",
                    flush=True,
                )
                results.append(await measure(deployment, fake, chats, args))
        print(f"load average at the end: {load_average()}", flush=True)
    return results


QUICK = {"borrowers": 20, "seconds": 1.5, "stages": 2, "start_rate": 6.0, "warmup": 0.5}


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--borrowers", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=60.0, help="each side's ramp, at most (default 60)")
    parser.add_argument("--target", choices=["run", "topology", "both", "inprocess"], default="both")
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run: " + ", ".join(f"{k} {v:g}" for k, v in QUICK.items())
    )
    parser.add_argument("--stages", type=int, default=8, help="the ramp's stages (default 8)")
    parser.add_argument("--start-rate", type=float, default=20.0, help="updates/s of the first stage (default 20)")
    parser.add_argument("--factor", type=float, default=1.5, help="each stage's rate over the last's (default 1.5)")
    parser.add_argument("--warmup", type=float, default=5.0, help="unmeasured seconds at the first rate first")
    parser.add_argument("--run-on", choices=["sqlite", "postgresql"], default="sqlite", help="`run`'s database")
    parser.add_argument("--admin-url", default=DEFAULT_ADMIN_URL, help="a PostgreSQL server to make databases on")
    parser.add_argument("--seed", type=int, default=7, help="the arrivals' random seed")
    return parser


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    args = parser().parse_args(argv)
    if args.quick:
        for name, value in QUICK.items():
            setattr(args, name, value)
    return args


def main() -> None:
    args = parse()
    tmp = Path(tempfile.mkdtemp(prefix="bench-load-"))
    try:
        import uvloop
    except ImportError:  # uvicorn[standard] brings it; without it the load costs this process more
        asyncio.run(bench(args, tmp))
    else:
        uvloop.run(bench(args, tmp))


if __name__ == "__main__":
    main()
