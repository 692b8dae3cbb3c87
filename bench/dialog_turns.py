"""Benchmark: full dialog turns (/menu in, loan-summary call, reply out) against a bare aiogram handler, in one run.

Usage: python -m bench.dialog_turns [--seconds 8] [--concurrency 8] [--warmup 1] [--rounds 4]
The real backend (demo data on a fresh SQLite file) runs in its own uvicorn process on 127.0.0.1 and both bots reach
it over HTTP. The dialog side is the real dispatcher with every middleware and dialog; the baseline is a bare
Dispatcher with one Command("menu") handler making the same GET with httpx and answering with the body. Both use an
OfflineSession for Telegram, the same linked chats and the same number of concurrent turns. Prints turns/s, p50 and
p99 latency and this process's CPU time per turn for each, and the dialog/bare ratios. When the backend is the
bottleneck the throughputs converge; the CPU per turn still shows the bot's own overhead.
"""

import argparse
import asyncio
import gc
import itertools
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import httpx
from aiogram import Bot, Dispatcher
from aiogram.filters import Command
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.methods import GetMe, SendMessage
from aiogram.types import InlineKeyboardMarkup, Message, Update

from api.app import API_PREFIX
from api.db import create_engine, create_sessionmaker
from api.demo.service import DemoLine, seed_demo
from api.migrate import upgrade
from api.settings import Settings
from bench.api_balance import SERVICE_TOKEN, percentile, server
from bot.app.dispatcher import setup_dispatcher
from bot.backend import BackendClient, BackendError
from bot.connections import create_backend
from bot.offline import OfflineSession
from bot.settings import BotSettings

FIRST_USER_ID = 770_000  # demo borrower n chats as Telegram user FIRST_USER_ID + n
MENU = "/menu"


@dataclass(frozen=True)
class Chat:
    """A Telegram user linked to a demo borrower whose selected loan the menu summarises."""

    user_id: int
    loan_id: int
    language_code: str


@dataclass(frozen=True)
class Side:
    """One contestant: its dispatcher and what each of its replies must look like."""

    name: str
    dispatcher: Dispatcher
    reply_ok: Callable[[SendMessage], bool]


@dataclass
class Tally:
    """One side's offline Telegram and what its measured slices add up to."""

    side: Side
    session: OfflineSession = field(default_factory=OfflineSession)
    latencies: list[float] = field(default_factory=list)
    elapsed: float = 0.0
    cpu: float = 0.0
    bot: Bot = field(init=False)

    def __post_init__(self) -> None:
        self.bot = Bot("42:BENCH", session=self.session)

    @property
    def turns_per_second(self) -> float:
        return len(self.latencies) / self.elapsed

    @property
    def cpu_per_turn(self) -> float:
        return self.cpu / len(self.latencies)


async def seed(database_url: str) -> list[DemoLine]:
    """The schema and the demo borrowers laid out around today in the bank's time zone."""
    settings = Settings(mode="test", database_url=database_url, service_token=SERVICE_TOKEN)
    await asyncio.to_thread(upgrade, settings)
    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine)() as session:
            today = datetime.now(ZoneInfo(settings.bank_time_zone)).date()
            lines, _ = await seed_demo(session, settings=settings, today=today)
    finally:
        await engine.dispose()
    return lines


async def link_chats(backend: BackendClient, lines: list[DemoLine]) -> list[Chat]:
    """Link one chat per demo borrower; those with a selected loan whose summary the backend gives take part."""
    chats = []
    for line in lines:
        user_id = FIRST_USER_ID + line.number
        linked = await backend.link(user_id, phone=line.phone, second_factor=line.contract_digits, language=None)
        if linked.selected_loan_id is None:
            continue
        try:
            await backend.summary(user_id, linked.selected_loan_id)
        except BackendError as exc:
            print(f"demo borrower {line.number} left out: its summary fails with {exc}", file=sys.stderr)
            continue
        chats.append(Chat(user_id, linked.selected_loan_id, linked.language))
    if not chats:
        raise SystemExit("no demo borrower has a selected loan to summarise")
    return chats


def bare_dispatcher(http: httpx.AsyncClient, chats: list[Chat]) -> Dispatcher:
    """The baseline: one handler, the same GET the menu makes, the body sent back as the reply."""
    loans = {chat.user_id: chat.loan_id for chat in chats}
    dp = Dispatcher(storage=MemoryStorage())

    @dp.message(Command("menu"))
    async def menu(message: Message) -> None:
        user_id = message.from_user.id
        headers = {"X-Telegram-User-Id": str(user_id)}
        response = await http.get(f"me/loans/{loans[user_id]}/summary", headers=headers)
        response.raise_for_status()
        await message.answer(response.text)

    return dp


UPDATE_IDS = itertools.count(1)


def menu_update(bot: Bot, chat: Chat, update_id: int) -> Update:
    """What Telegram delivers when the user sends /menu."""
    user = {"id": chat.user_id, "is_bot": False, "first_name": "Bench", "language_code": chat.language_code}
    message = {
        "message_id": update_id,
        "date": datetime.now(UTC),
        "chat": {"id": chat.user_id, "type": "private", "first_name": "Bench"},
        "from": user,
        "text": MENU,
        "entities": [{"type": "bot_command", "offset": 0, "length": len(MENU)}],
    }
    return Update.model_validate({"update_id": update_id, "message": message}, context={"bot": bot})


async def drive(dp: Dispatcher, bot: Bot, chats: list[Chat], *, seconds: float, concurrency: int) -> list[float]:
    """`concurrency` turns at a time, as polling runs updates as tasks, the chats taken in turn; the latencies."""
    pick = itertools.cycle(chats)
    update_ids = UPDATE_IDS  # one rising sequence for every round, as Telegram's (the bot takes an id once)
    latencies: list[float] = []
    stop_at = time.perf_counter() + seconds

    async def worker() -> None:
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            await dp.feed_update(bot, menu_update(bot, next(pick), next(update_ids)))
            latencies.append(time.perf_counter() - started)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies


def check_replies(tally: Tally, turns: int) -> None:
    """Every turn answered once, as the side answers, and no other Bot API call than getMe; then the log is emptied
    (kept, it would grow the heap that the garbage collector walks, which a bot in production does not do)."""
    log, name = tally.session.log, tally.side.name
    replies = [call.method for call in log if isinstance(call.method, SendMessage)]
    others = {type(call.method).__name__ for call in log if not isinstance(call.method, SendMessage | GetMe)}
    bad = sum(not tally.side.reply_ok(reply) for reply in replies)
    if len(replies) != turns or others or bad:
        raise SystemExit(
            f"{name}: {turns} turns but {len(replies)} replies, {bad} of them wrong; other calls: {others or '-'}"
        )
    log.clear()


async def play(tally: Tally, chats: list[Chat], *, seconds: float, concurrency: int, measured: bool) -> None:
    cpu, started = time.process_time(), time.perf_counter()
    latencies = await drive(tally.side.dispatcher, tally.bot, chats, seconds=seconds, concurrency=concurrency)
    if measured:
        tally.elapsed += time.perf_counter() - started
        tally.cpu += time.process_time() - cpu
        tally.latencies += latencies
    check_replies(tally, len(latencies))


async def contest(sides: tuple[Side, ...], chats: list[Chat], args: argparse.Namespace) -> list[Tally]:
    """A warm-up for each side, then the sides take turns in short rounds, so load from elsewhere hits both alike.

    What set-up left on the heap (the backend's modules imported for seeding among it) is frozen out of the
    garbage collector's way first: the bot process in production never holds it."""
    tallies = [Tally(side) for side in sides]
    for tally in tallies:
        await play(tally, chats, seconds=args.warmup, concurrency=args.concurrency, measured=False)
    gc.collect()
    gc.freeze()
    for _ in range(args.rounds):
        for tally in tallies:
            await play(tally, chats, seconds=args.seconds / args.rounds, concurrency=args.concurrency, measured=True)
    return tallies


async def measure(base_url: str, lines: list[DemoLine], args: argparse.Namespace) -> tuple[int, list[Tally]]:
    settings = BotSettings(service_token=SERVICE_TOKEN, backend_url=base_url, flood_limit=10**9)
    backend = create_backend(settings)
    http = httpx.AsyncClient(base_url=base_url + "/", headers={"Authorization": f"Bearer {SERVICE_TOKEN}"})
    try:
        chats = await link_chats(backend, lines)
        known = {chat.user_id for chat in chats}
        sides = (
            Side(
                "bare aiogram handler",
                bare_dispatcher(http, chats),
                lambda reply: reply.chat_id in known and reply.text.startswith("{"),
            ),
            Side(
                "dialog turn (/menu)",
                setup_dispatcher(backend=backend, settings=settings, storage=MemoryStorage()),
                lambda reply: reply.chat_id in known and isinstance(reply.reply_markup, InlineKeyboardMarkup),
            ),
        )
        return len(chats), await contest(sides, chats, args)
    finally:
        await backend.aclose()
        await http.aclose()


def report(chat_count: int, tallies: list[Tally], args: argparse.Namespace) -> None:
    print(
        f"Python {platform.python_version()} on {os.cpu_count()} cores (shared by the backend and this load); "
        f"backend: one uvicorn process, SQLite"
    )
    print(
        f"{args.seconds:g} s per side in {args.rounds} alternating rounds after {args.warmup:g} s warm-up, "
        f"{args.concurrency} concurrent turns, {chat_count} linked chats"
    )
    for tally in tallies:
        print(
            f"{tally.side.name:22} {tally.turns_per_second:8.1f} turns/s   "
            f"p50 {percentile(tally.latencies, 50):6.2f} ms   p99 {percentile(tally.latencies, 99):6.2f} ms   "
            f"bot CPU {tally.cpu_per_turn * 1000:5.2f} ms/turn   ({len(tally.latencies)} turns)"
        )
    bare, dialog = tallies
    print(
        f"ratio dialog/bare: {dialog.turns_per_second / bare.turns_per_second:.2f} of the bare handler's throughput, "
        f"{dialog.cpu_per_turn / bare.cpu_per_turn:.2f}× its CPU per turn in this process"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="measured time per side")
    parser.add_argument("--concurrency", type=int, default=8, help="turns in flight at once")
    parser.add_argument("--warmup", type=float, default=1.0, help="unmeasured time per side first")
    parser.add_argument("--rounds", type=int, default=4, help="alternating slices the measured time is cut into")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        database_url = f"sqlite+aiosqlite:///{tmp}/bench.db"
        lines = asyncio.run(seed(database_url))
        with server("api.app:create_app", database_url) as url:
            chat_count, tallies = asyncio.run(measure(url + API_PREFIX, lines, args))
    report(chat_count, tallies, args)


if __name__ == "__main__":
    main()
