"""Benchmark: one bot token's budget shared by every sender, against the limit-enforcing fake Bot API.

Usage: python -m bench.shared_budget [--pushes 450] [--copies 60] [--group 20] [--redis-url URL]
Two schedulers' worth of pushes (each its own Bot session, Pump and Sender, the real ones) and, three seconds in, a
relay burst from the bot (copies to borrowers and lines into the staff group through the real `StaffRoom.limited`),
all at once, in two phases of the same run:
- baseline, today's shape: each of the three senders with its own in-process limiter;
- shared: each with its own `SharedRateLimiter` (its own Redis connection, one key), as three processes would be.
Each phase prints the 429s the fake answered, the messages delivered, the sustained rate (least-squares slope of the
arrivals) as a share of Telegram's 30/s cap, how long the relay burst took, and the pushes sent twice.

The backend's outbox is stood in for by an in-memory one (claims, the "sending" mark, outcomes, a 429's retry after
its retry_after), so what is measured is the senders and their budget; `bench/reminders.py` measures the backend's
side. Redis: `--redis-url`, else REDIS_URL, else redis://127.0.0.1:6379/5 (its keys carry a prefix of this run and
are deleted after).
"""

import argparse
import asyncio
import logging
import os
import time
import uuid
from collections import Counter, deque
from datetime import UTC, datetime, timedelta

from aiogram import Bot
from redis.asyncio import Redis

from bench.reminders import CAP, GOAL, sustained
from bot.backend.outbox import Claim, Claimed, SentReported
from bot.connections import create_bot
from bot.i18n import create_i18n
from bot.limits import Limiter, Limits, RateLimiter, SharedRateLimiter
from bot.limits.sending import Traffic, budget_sends
from bot.settings import BotSettings
from bot.staff_room import StaffRoom
from fake_bot_api import FakeBotApi
from scheduler.pump import Pump
from scheduler.sender import Sender

BOT_TOKEN = "42:BENCH"
STAFF_GROUP = -1_009_000_000_001
FIRST_BORROWER = 8_300_000_000
FIRST_RELAYED = 8_400_000_000
BURST_AFTER_SECONDS = 3.0
PAYLOAD = {"amount": "49300.88", "due_date": "2026-12-10", "days_before": 1}


class Outbox:
    """The backend's outbox as the senders see it: rows claimed in order, a failed one due again after its wait."""

    def __init__(self, first_id: int, chats: range) -> None:
        self.pending: deque[Claimed] = deque(
            Claimed.model_validate(
                {
                    "id": first_id + n,
                    "kind": "payment_due",
                    "chat_id": chat,
                    "language": "ru",
                    "time_zone": "Europe/Moscow",
                    "dedupe_key": f"bench:{first_id + n}",
                    "payload": PAYLOAD,
                    "loan_id": n + 1,
                    "due_date": "2026-12-10",
                    "attempts": 1,
                }
            )
            for n, chat in enumerate(chats)
        )
        self.items = {item.id: item for item in self.pending}
        self.later: list[tuple[float, Claimed]] = []
        self.sent: Counter[int] = Counter()
        self.total = len(chats)

    @property
    def finished(self) -> bool:
        return len(self.sent) == self.total

    async def claim_notifications(self, *, limit: int, lease_seconds: int) -> Claim:
        now = time.monotonic()
        due = [item for at, item in self.later if at <= now]
        self.later = [(at, item) for at, item in self.later if at > now]
        self.pending.extend(due)
        items = [self.pending.popleft() for _ in range(min(limit, len(self.pending)))]
        return Claim(items=items, lease_until=datetime.now(UTC) + timedelta(seconds=lease_seconds))

    async def start_sending(self, notification_id: int, *, attempt: int) -> bool:
        return True

    async def mark_sent(self, notification_ids: list[int]) -> SentReported:
        self.sent.update(notification_ids)
        return SentReported(sent=notification_ids, refused=[])

    async def mark_failed(self, notification_id: int, *, error: str, retry_after: int | None = None, **_: object):
        item = self.items[notification_id]
        self.items[notification_id] = again = item.model_copy(update={"attempts": item.attempts + 1})
        self.later.append((time.monotonic() + (retry_after or 1), again))

    async def release_notifications(self, claimed: list[Claimed]) -> int:
        self.pending.extendleft(reversed(claimed))
        return len(claimed)


async def relay_burst(bot: Bot, limiter: Limiter, *, copies: int, group: int) -> float:
    """Staff replies copied to borrowers and lines into the staff group, all at once; seconds until the last went."""
    room = StaffRoom(None, limiter, chat_id=STAFF_GROUP, card=None)  # only its limited sends are used
    began = time.monotonic()
    sends = [
        room.limited(chat, lambda chat=chat: bot.send_message(chat, "Ответ сотрудника"))
        for chat in range(FIRST_RELAYED, FIRST_RELAYED + copies)
    ]
    sends += [
        room.limited(STAFF_GROUP, lambda n=n: bot.send_message(STAFF_GROUP, f"Сообщение заёмщика {n}"))
        for n in range(group)
    ]
    await asyncio.gather(*sends)
    return time.monotonic() - began


async def phase(name: str, make_limiter, *, pushes: int, copies: int, group: int) -> None:
    async with FakeBotApi() as fake:
        settings = BotSettings(bot_token=BOT_TOKEN, telegram_api_url=fake.url)
        i18n = create_i18n()
        bots = [create_bot(settings) for _ in range(3)]
        limiters = [make_limiter() for _ in range(3)]
        outboxes = [
            Outbox(1_000_000 * (n + 1), range(FIRST_BORROWER + n * 100_000, FIRST_BORROWER + n * 100_000 + pushes))
            for n in range(2)
        ]
        pumps = []
        for bot, limiter, outbox in zip(bots[:2], limiters[:2], outboxes, strict=True):
            budget_sends(bot, limiter, Traffic.PUSH)
            pumps.append(Pump(outbox, Sender(bot, outbox, limiter, i18n), poll_seconds=0.05))
        budget_sends(bots[2], limiters[2], Traffic.ANSWER)
        stop = asyncio.Event()
        began = time.monotonic()
        running = [asyncio.create_task(pump.run(stop)) for pump in pumps]
        await asyncio.sleep(BURST_AFTER_SECONDS)
        burst_began = time.monotonic()
        burst = await relay_burst(bots[2], limiters[2], copies=copies, group=group)
        while not all(outbox.finished for outbox in outboxes):  # noqa: ASYNC110 (the stand-in outbox signals nothing)
            await asyncio.sleep(0.05)
        stop.set()
        await asyncio.gather(*running)
        took = time.monotonic() - began
        for bot in bots:
            await bot.session.close()
        for limiter in limiters:
            await limiter.aclose()
    times = sorted(d.at for d in fake.deliveries)
    last_push = max(d.at for d in fake.deliveries if d.chat_id < FIRST_RELAYED and d.chat_id > 0)
    busy = [t for t in times if t <= last_push]  # while pushes waited: the budget had work for every slot
    rate, whole = sustained(busy), sustained(times)
    copies_took = max(d.at for d in fake.deliveries if d.chat_id >= FIRST_RELAYED) - burst_began
    twice = sum(1 for outbox in outboxes for count in outbox.sent.values() if count > 1)
    print(f"--- {name}")
    print(f"  429 answered by the fake:        {fake.count_429}")
    print(f"  messages delivered:              {len(times)} ({2 * pushes} pushes, {copies + group} relayed)")
    print(f"  all sent after:                  {took:.1f} s")
    print(f"  sustained while pushes waited:   {rate:.2f}/s = {rate / CAP:.1%} of the cap of {CAP:.0f}/s")
    print(f"  sustained over the whole run:    {whole:.2f}/s (the group's 1/s lines trail at the end)")
    print(f"  relay burst: copies to borrowers {copies_took:.2f} s; all, with the group's lines {burst:.2f} s")
    print("               (pushes waiting meanwhile; a group takes one message a second)")
    print(f"  pushes sent twice:               {twice}")
    if name.startswith("shared"):
        met = fake.count_429 == 0 and rate >= GOAL and twice == 0
        print(f"  goal (0 429s, >= {GOAL:.1f}/s):       {'met' if met else 'NOT met'}")


async def run(args: argparse.Namespace) -> None:
    key = f"ipoteka-bench-limits-{uuid.uuid4().hex}"
    clients: list[Redis] = []

    def shared() -> SharedRateLimiter:
        client = Redis.from_url(args.redis_url)
        clients.append(client)
        return SharedRateLimiter(client, Limits(), key=key)

    sizes = {"pushes": args.pushes, "copies": args.copies, "group": args.group}
    print(f"two schedulers x {args.pushes} pushes, a relay burst of {args.copies} copies and {args.group} group lines")
    await phase("baseline: each sender its own in-process limiter", lambda: RateLimiter(Limits()), **sizes)
    await phase("shared: one budget in Redis for the three senders", shared, **sizes)
    cleanup = Redis.from_url(args.redis_url)
    names = [name async for name in cleanup.scan_iter(match=f"{{{key}}}:*")]
    if names:
        await cleanup.delete(*names)
    for client in [*clients, cleanup]:
        await client.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pushes", type=int, default=450, help="pushes per scheduler")
    parser.add_argument("--copies", type=int, default=60, help="staff replies copied to borrowers in the burst")
    parser.add_argument("--group", type=int, default=20, help="lines into the staff group in the burst")
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/5")
    logging.basicConfig(level=logging.ERROR)  # the baseline's 429s would print a warning each
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
