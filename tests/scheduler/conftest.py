"""The scheduler against the real backend app (in-process, its clock in the test's hand) and the fake Bot API, its
rate limiter and the fake's windows on one virtual time (a second between two pushes into a chat passes at once)."""

from collections.abc import AsyncIterator
from datetime import date

import httpx
import pytest

from api.models import StaffRole
from bot.backend import BackendClient
from bot.connections import create_bot
from bot.limits import RateLimiter
from bot.settings import BotSettings
from fake_bot_api import FakeBotApi
from scheduler.leader import LeaderLock
from scheduler.runner import Scheduler, sending_limits
from scheduler.settings import SchedulerSettings
from tests.api.outbox_helpers import (
    SUPERVISOR_TOKEN,
    add_staff,
    client_with,
    linked_borrower,
    pay_through,
    set_borrower,
)
from tests.bot import catalogs
from tests.conftest import SERVICE_TOKEN
from tests.helpers import VirtualTime

USER = 700_500_001
OTHER = 700_500_002
PAID_THROUGH = date(2026, 11, 10)


@pytest.fixture
def vtime() -> VirtualTime:
    return VirtualTime()


@pytest.fixture
async def telegram(vtime) -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(clock=vtime) as fake:
        yield fake


@pytest.fixture
def scheduler_settings(tmp_path) -> SchedulerSettings:
    return SchedulerSettings(database_url=f"sqlite:///{tmp_path}/jobs.db", poll_seconds=0.05, leader_check_seconds=0.05)


@pytest.fixture
async def backend(app) -> AsyncIterator[BackendClient]:
    client = BackendClient.create(
        "http://api/api/v1", token=SERVICE_TOKEN, transport=httpx.ASGITransport(app=app), retries=0
    )
    yield client
    await client.aclose()


@pytest.fixture
async def make_scheduler(backend, telegram, scheduler_settings, vtime):
    """Schedulers as separate processes would be: each with its own Bot session, all on one backend and job store."""
    bots = []

    def make(
        settings: SchedulerSettings | None = None, *, telegram_url: str | None = None, lock: LeaderLock | None = None
    ) -> Scheduler:
        bot = create_bot(BotSettings(bot_token="42:TEST", telegram_api_url=telegram_url or telegram.url))
        bots.append(bot)
        settings = settings or scheduler_settings
        limiter = RateLimiter(sending_limits(settings), clock=vtime, sleep=vtime.sleep)
        return Scheduler(settings, bot=bot, backend=backend, i18n=catalogs.shared(), lock=lock, limiter=limiter)

    yield make
    for bot in bots:
        await bot.session.close()


@pytest.fixture
async def scheduler(make_scheduler) -> Scheduler:
    return make_scheduler()


@pytest.fixture
async def borrower(bank, client, engine) -> tuple[int, int]:
    """The seed borrower in Moscow, linked as USER, reminders on, paid up to November 2026."""
    ids = await linked_borrower(bank, client, engine, telegram_user_id=USER)
    await pay_through(bank, "L-1", PAID_THROUGH)
    return ids


@pytest.fixture
async def supervisor(app, engine) -> AsyncIterator[httpx.AsyncClient]:
    await add_staff(engine, StaffRole.SUPERVISOR, SUPERVISOR_TOKEN)
    async with client_with(app, SUPERVISOR_TOKEN) as staff:
        yield staff


@pytest.fixture(params=["ru", "en"])
async def language(request, engine, borrower) -> str:
    """The borrower speaking each language in turn."""
    await set_borrower(engine, borrower[0], language=request.param)
    return request.param


def buttons(delivery) -> list[str]:
    """The callback data of a delivered message's inline buttons, row by row."""
    rows = (delivery.reply_markup or {}).get("inline_keyboard", [])
    return [button["callback_data"] for row in rows for button in row]
