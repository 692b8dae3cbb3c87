"""Running the scheduler: wait to lead, then plan on the job store's timetable and pump the outbox to Telegram;
step down when the lock is lost, and stop on the signal."""

import asyncio
import logging
from wsgiref.simple_server import WSGIServer

from aiogram import Bot
from aiogram.utils.i18n import I18n
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from prometheus_client import start_http_server

from bot.backend import BackendClient
from bot.connections import create_backend, create_bot
from bot.i18n import create_i18n
from bot.limits import Limiter, Limits, RateLimiter, create_limiter
from bot.limits.sending import Traffic, budget_sends
from bot.settings import BotSettings
from scheduler import jobs
from scheduler.leader import LeaderLock, leader_lock
from scheduler.metrics import HEARTBEAT, LEADING
from scheduler.pause import wait_or_stop
from scheduler.pump import Pump
from scheduler.sender import Sender
from scheduler.settings import SchedulerSettings

log = logging.getLogger(__name__)
JOBS_TABLE = "scheduler_jobs"


def sending_limits(settings: SchedulerSettings) -> Limits:
    """Telegram's limits as the settings give them."""
    return Limits(
        per_second=settings.messages_per_second,
        chat_interval=settings.chat_interval_seconds,
        group_per_minute=settings.group_messages_per_minute,
        margin=settings.limit_margin_seconds,
    )


class Scheduler:
    """One scheduler process: its sender, its pump, and its turn at leading."""

    def __init__(
        self,
        settings: SchedulerSettings,
        *,
        bot: Bot,
        backend: BackendClient,
        i18n: I18n,
        lock: LeaderLock | None = None,
        limiter: Limiter | None = None,
    ) -> None:
        """`limiter` defaults to one of this process on `sending_limits(settings)` and real time (tests pass one on a
        virtual clock); the Bot's session is budgeted with it, so every message it sends takes a permit as a push."""
        self.settings = settings
        self._backend = backend
        self._lock = lock or leader_lock(settings.database_url)
        limiter = limiter or RateLimiter(sending_limits(settings))
        budget_sends(bot, limiter, Traffic.PUSH)
        self.sender = Sender(
            bot,
            backend,
            limiter,
            i18n,
            report_batch=settings.report_batch,
            report_seconds=settings.report_seconds,
        )
        self.leading = asyncio.Event()

    def pump(self) -> Pump:
        s = self.settings
        return Pump(
            self._backend,
            self.sender,
            workers=s.workers,
            batch=s.batch,
            lease_seconds=s.lease_seconds,
            poll_seconds=s.poll_seconds,
        )

    async def run(self, stop: asyncio.Event) -> None:
        """Seek the lead until `stop`; while leading, plan and send."""
        while not stop.is_set():
            HEARTBEAT.set_to_current_time()
            if await asyncio.to_thread(self._lock.try_acquire):
                log.info("this scheduler leads")
                LEADING.set(1)
                try:
                    await self._lead(stop)
                finally:
                    LEADING.set(0)
                    self.leading.clear()
                    await asyncio.to_thread(self._lock.release)
            else:
                await wait_or_stop(stop, self.settings.leader_check_seconds)

    async def _lead(self, stop: asyncio.Event) -> None:
        store = SQLAlchemyJobStore(url=self.settings.database_url, tablename=JOBS_TABLE)
        timetable = jobs.timetable(store, self._backend)
        jobs.install(timetable, plan_every_seconds=self.settings.plan_every_seconds)
        timetable.start()
        halt = asyncio.Event()
        pumping = asyncio.create_task(self.pump().run(halt))
        self.leading.set()
        try:
            while not stop.is_set() and not pumping.done():
                await wait_or_stop(stop, self.settings.leader_check_seconds)
                HEARTBEAT.set_to_current_time()
                if not await asyncio.to_thread(self._lock.held):
                    log.error("the leader lock was lost: stepping down")
                    break
        finally:
            timetable.shutdown(wait=False)
            halt.set()
            await pumping


async def run_scheduler(
    settings: SchedulerSettings, bot_settings: BotSettings, stop: asyncio.Event, *, limiter: Limiter | None = None
) -> None:
    """The scheduler on its settings and the bot's (token, Bot API, backend, Redis) until `stop`; connections closed
    after. Its sends take their permits from `limiter`, by default the token's budget: shared through Redis with
    `REDIS_URL` (with the bot and every other scheduler), else its own. With `SCHEDULER_METRICS_PORT` its metrics are
    served there meanwhile."""
    backend = create_backend(bot_settings)
    bot = create_bot(bot_settings)
    own_limiter = limiter is None
    if limiter is None:
        limiter = create_limiter(sending_limits(settings), redis_url=bot_settings.redis_url, bot_token=bot.token)
    metrics = serve_metrics(settings)
    try:
        i18n = create_i18n(bot_settings.default_language)
        await Scheduler(settings, bot=bot, backend=backend, i18n=i18n, limiter=limiter).run(stop)
    finally:
        if metrics is not None:
            metrics.shutdown()
            metrics.server_close()
        await backend.aclose()
        await bot.session.close()
        if own_limiter:
            await limiter.aclose()


def serve_metrics(settings: SchedulerSettings) -> WSGIServer | None:
    """Prometheus's own HTTP server on `SCHEDULER_METRICS_HOST:SCHEDULER_METRICS_PORT` (in a thread), if set."""
    if settings.metrics_port is None:
        return None
    server, _thread = start_http_server(settings.metrics_port, addr=settings.metrics_host)
    log.info("scheduler metrics on %s:%d", settings.metrics_host, settings.metrics_port)
    return server
