"""What the topology of `bench/cluster.py` is put through, for `bench/topology.py` and its test:
- a conversation: a demo borrower links their chat and applies for a payment holiday, the updates alternating between
  the replicas behind the proxy; optionally the replica that took the latest update is killed (SIGKILL) mid-wizard and
  the rest goes to the survivor; the application the backend stored is read back from the database;
- a handover: due reminders for linked borrowers are added to the outbox, the leading scheduler is killed (SIGKILL)
  once some are delivered, and the time until another leads, the deliveries per chat and the outbox rows are taken.
"""

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from api.db import create_engine, create_sessionmaker
from api.models import Borrower, HolidayApplication, Notification, NotificationStatus
from api.outbox.delivery import UNCONFIRMED
from api.settings import Settings
from bench.cluster import Topology, until
from bench.reminders import FIRST_CHAT, add_due_reminders
from bench.webhook_chat import Step, WebhookChat, say, share, tap
from bot.app.dispatcher import create_storage
from bot.settings import BotSettings

BOT_ID = 42
#: The reminders' borrowers: ids from here (past the demo's), chats FIRST_CHAT * PUSH_PHASE + 1, + 2, ...
FIRST_PUSHED_ID = 10_000
PUSH_PHASE = 7
#: The answers entered before the kill, checked in the application stored after it.
INCOME_BEFORE, INCOME_AFTER, MONTHS, REDUCED = Decimal(150_000), Decimal(60_000), 3, Decimal(15_000)
IN_FLIGHT_SECONDS = 0.3  # a send the dead leader had made may land just after the kill


def linking(factor: str) -> list[Step]:
    """A new chat to a linked borrower who agreed to reminders: consent, the shared contact, the second factor."""
    return [
        say("/start", "Onboarding:consent"),
        tap("consent:1", "Onboarding:contact"),
        share("Onboarding:second_factor"),
        say(factor, "ReminderOffer:ask"),
        tap("remind:1", None),
    ]


def holiday_first_half() -> list[Step]:
    """The holiday wizard from the menu to the choice of mode: the reason, both incomes and the months answered."""
    return [
        tap("nav:holiday", "HolidayWizard:intro"),
        tap("hol:apply", "HolidayWizard:reason"),
        tap("holreason:income_drop", "HolidayWizard:income_before"),
        say(f"{INCOME_BEFORE:,.0f}".replace(",", " "), "HolidayWizard:income_after"),
        say(f"{INCOME_AFTER:,.0f}".replace(",", " "), "HolidayWizard:months"),
        tap(f"holmonths:{MONTHS}", "HolidayWizard:mode"),
    ]


def holiday_second_half(start: datetime) -> list[Step]:
    """From the mode to the submitted application (starting on `start`'s day, no documents)."""
    return [
        tap("holmode:reduced", "HolidayWizard:reduced_payment"),
        say(f"{REDUCED:,.0f}".replace(",", " "), "HolidayWizard:start"),
        say(start.strftime("%d.%m.%Y"), "HolidayWizard:documents"),
        tap("hol:done", "HolidayWizard:precheck"),
        tap("hol:next", "HolidayWizard:summary"),
        tap("hol:confirm", "HolidayWizard:consent"),
        tap("hol:submit", None),
    ]


@dataclass
class Conversation:
    """How a conversation went."""

    turns: list[float]  # seconds from each update's POST to it being handled
    taken: Counter[str]  # updates by the replica that took them
    killed: str | None = None  # the replica killed mid-wizard
    draft_before_kill: dict[str, Any] = field(default_factory=dict)
    draft_after_kill: dict[str, Any] = field(default_factory=dict)
    applications: list[HolidayApplication] = field(default_factory=list)  # the borrower's, as stored

    @property
    def draft_survived(self) -> bool:
        """The draft the dead replica left was the survivor's to finish: the same in Redis, and what was stored."""
        if self.killed is None:
            return True
        stored = [a for a in self.applications if _as_entered(a)]
        return self.draft_after_kill == self.draft_before_kill and len(stored) == len(self.applications) == 1


def _as_entered(application: HolidayApplication) -> bool:
    return (
        application.income_before == INCOME_BEFORE
        and application.income_after == INCOME_AFTER
        and application.months == MONTHS
        and application.reduced_payment == REDUCED
    )


async def converse(
    topology: Topology, *, user_id: int, phone: str, factor: str, kill_mid_wizard: bool = False
) -> Conversation:
    """The demo borrower with `phone` links chat `user_id` and applies for a holiday through the proxy."""
    storage = create_storage(BotSettings(redis_url=topology.redis_url))
    chat = WebhookChat(topology.proxy.url, topology.fake, storage, BOT_ID, user_id, phone)
    before = Counter(topology.proxy.taken)
    result = Conversation(turns=chat.turns, taken=Counter())
    try:
        async with httpx.AsyncClient() as client:
            await chat.walk(client, [*linking(factor), *holiday_first_half()])
            if kill_mid_wizard:
                victim = next(r for r in topology.bots if r.url == topology.proxy.last)
                result.draft_before_kill = await chat.data()
                victim.child.kill()
                result.killed = victim.child.name
                result.draft_after_kill = await chat.data()
            await chat.walk(client, holiday_second_half(topology.seeded_at))
    finally:
        await storage.close()
    names = {replica.url: replica.child.name for replica in topology.bots}
    result.taken = Counter({names[url]: n - before[url] for url, n in topology.proxy.taken.items() if n > before[url]})
    result.applications = await applications_of(topology.database_url, phone)
    return result


async def applications_of(database_url: str, phone: str) -> list[HolidayApplication]:
    engine = create_engine(Settings(mode="demo", database_url=database_url))
    try:
        async with create_sessionmaker(engine)() as session:
            found = await session.scalars(
                select(HolidayApplication)
                .join(Borrower, Borrower.id == HolidayApplication.borrower_id)
                .where(Borrower.phone == phone)
            )
            return list(found)
    finally:
        await engine.dispose()


# --- the scheduler's handover -------------------------------------------------------------------------------------


@dataclass
class Handover:
    """How the leading scheduler's death went."""

    pushes: int
    killed: str
    delivered_before_kill: int
    took_over: str
    handover_seconds: float  # from the kill to another scheduler leading (its metric)
    resumed_seconds: float | None  # from the kill to the first push delivered by the new leader
    per_chat: Counter[int]
    unconfirmed: int  # rows whose send had started when the leader died (never repeated: delivered once, or lost)
    settled_seconds: float  # from the kill to every row sent or failed
    killed_at: float  # monotonic seconds, the fake's clock
    arrivals: list[float] = field(default_factory=list)  # the pushes' delivery times, on the same clock

    @property
    def duplicates(self) -> int:
        return sum(count - 1 for count in self.per_chat.values() if count > 1)

    @property
    def lost(self) -> int:
        return self.pushes - len(self.per_chat)


async def _open_rows(engine: AsyncEngine) -> list[tuple]:
    """The pushed reminders neither sent nor failed: id, status, attempts, when due, the last error."""
    async with create_sessionmaker(engine)() as session:
        rows = await session.execute(
            select(
                Notification.id,
                Notification.status,
                Notification.attempts,
                Notification.not_before,
                Notification.claimed_until,
                Notification.last_error,
            ).where(
                Notification.borrower_id >= FIRST_PUSHED_ID,
                Notification.status.not_in([NotificationStatus.SENT, NotificationStatus.FAILED]),
            )
        )
        return [tuple(row) for row in rows]


def pushed_chats(pushes: int) -> set[int]:
    return {FIRST_CHAT * PUSH_PHASE + n for n in range(1, pushes + 1)}


#: Long enough for the dead leader's leases, and for a send that failed meanwhile to come round after its back-off
#: (`api.outbox.delivery.backoff_seconds`: a minute for the first).
SETTLE_SECONDS = 150


async def hand_over(
    topology: Topology, *, pushes: int, kill_after: int, settle_within: float = SETTLE_SECONDS
) -> Handover:
    """`pushes` due reminders into the outbox; the leader killed after `kill_after` of them are delivered."""
    chats = pushed_chats(pushes)
    engine = create_engine(Settings(mode="demo", database_url=topology.database_url))
    try:
        async with httpx.AsyncClient() as client:
            leader = await until(lambda: topology.leader(client), within=30, what="a leading scheduler")
            async with create_sessionmaker(engine)() as session:
                await add_due_reminders(
                    session, borrowers=pushes, phase=PUSH_PHASE, now=topology.seeded_at, first_id=FIRST_PUSHED_ID
                )
                await session.commit()

            def delivered() -> list[float]:
                return [d.at for d in topology.fake.deliveries if d.chat_id in chats]

            async def enough() -> bool:
                return len(delivered()) >= kill_after

            await until(enough, within=60, what=f"{kill_after} reminders delivered")
            leader.child.kill()
            killed_at = time.monotonic()
            before = len(delivered())
            others = [t for t in topology.timetables if t is not leader]

            async def new_leader():
                for other in others:
                    if await other.leading(client):
                        return other
                return None

            successor = await until(new_leader, within=30, what="another scheduler leading", every=0.02)
            handover = time.monotonic() - killed_at

            async def settled() -> bool:
                return not await _open_rows(engine)

            try:
                await until(settled, within=settle_within, what="every reminder sent or failed", every=0.2)
            except TimeoutError as exc:
                rows = "\n".join(map(str, await _open_rows(engine)))
                raise TimeoutError(
                    f"{exc}; still open:\n{rows}\n{successor.child.name}:\n{successor.child.log_tail()}"
                ) from exc
            settled_after = time.monotonic() - killed_at
        async with create_sessionmaker(engine)() as session:
            unconfirmed = await session.scalar(
                select(func.count())
                .select_from(Notification)
                .where(Notification.borrower_id >= FIRST_PUSHED_ID, Notification.last_error == UNCONFIRMED)
            )
    finally:
        await engine.dispose()
    arrivals = delivered()
    late = [at for at in arrivals[before:] if at > killed_at + IN_FLIGHT_SECONDS]
    return Handover(
        pushes=pushes,
        killed=leader.child.name,
        delivered_before_kill=before,
        took_over=successor.child.name,
        handover_seconds=handover,
        resumed_seconds=(late[0] - killed_at) if late else None,
        per_chat=Counter(d.chat_id for d in topology.fake.deliveries if d.chat_id in chats),
        unconfirmed=unconfirmed or 0,
        settled_seconds=settled_after,
        killed_at=killed_at,
        arrivals=arrivals,
    )
