"""The shared budget with a way through a Redis outage: while Redis cannot be reached, each process takes its permits
from a budget of its own at a conservative share of Telegram's limits (`OUTAGE_SHARE`), so the processes sending for
the token, not able to count together, still stay within the limits together; Redis is asked again every
`RETRY_SECONDS`, and once it answers every permit is shared again.

The share is the production shape's: two bot replicas and two schedulers (only the leading one pushes), so a quarter
each keeps even all four within the cap. A chat's own window is not shared out: a chat's sends come from one process
at a time (a case's copies are carried out one at a time, a chat's pushes by the leader alone) and a reply never waited
for it. The process's own budget starts empty when it takes over, so the first second of an outage may send up to the
share on top of what the shared budget had just let go; a 429 then pauses this process as always.
"""

import asyncio
import logging
import math
import time
from dataclasses import replace

from bot.limits.base import Clock, Limits, Permit, Sleep
from bot.limits.local import RateLimiter
from bot.limits.shared import SharedRateLimiter
from bot.metrics import BUDGET_FALLBACK
from bot.redis_client import REDIS_DOWN

log = logging.getLogger(__name__)

#: Each process's share of Telegram's overall and per-group limits while Redis is down.
OUTAGE_SHARE = 0.25
#: How long the process keeps to its own share before it asks Redis again.
RETRY_SECONDS = 5.0


def outage_limits(limits: Limits, share: float = OUTAGE_SHARE) -> Limits:
    """`limits` with the overall and per-group windows cut to `share` (at least one message each)."""
    return replace(
        limits,
        per_second=max(1, math.floor(limits.per_second * share)),
        group_per_minute=max(1, math.floor(limits.group_per_minute * share)),
    )


class FallbackLimiter:
    """`shared` while Redis answers; an in-process `RateLimiter` on `outage_limits` while it does not."""

    def __init__(
        self,
        shared: SharedRateLimiter,
        *,
        share: float = OUTAGE_SHARE,
        retry_seconds: float = RETRY_SECONDS,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.limits = shared.limits
        self.shared = shared
        self.local = RateLimiter(outage_limits(shared.limits, share), clock=clock, sleep=sleep)
        self.clock = clock
        self.sleep = sleep
        self._retry_seconds = retry_seconds
        self._ask_again_at: float | None = None  # set while Redis is taken for down

    @property
    def falling_back(self) -> bool:
        """True while permits come from this process's own share."""
        return self._ask_again_at is not None

    async def reserve(
        self, chat_id: int, *, lead: float = 0.0, urgent: bool = False, chat_window: bool = True
    ) -> Permit:
        if self._ask_again_at is None or self.clock() >= self._ask_again_at:
            try:
                permit = await self.shared.reserve(chat_id, lead=lead, urgent=urgent, chat_window=chat_window)
            except REDIS_DOWN as exc:
                self._down(exc)
            else:
                self._up()
                return permit
        return await self.local.reserve(chat_id, lead=lead, urgent=urgent, chat_window=chat_window)

    async def pause(self, seconds: float) -> None:
        """This process pauses at once; every other one too through Redis, when it answers."""
        await self.local.pause(seconds)
        if self._ask_again_at is not None:
            return
        try:
            await self.shared.pause(seconds)
        except REDIS_DOWN as exc:
            self._down(exc)

    async def aclose(self) -> None:
        await self.shared.aclose()

    def _down(self, exc: Exception) -> None:
        if self._ask_again_at is None:
            log.warning(
                "Redis unreachable (%s): sending on this process's share of the Telegram budget", type(exc).__name__
            )
            BUDGET_FALLBACK.set(1)
        self._ask_again_at = self.clock() + self._retry_seconds

    def _up(self) -> None:
        if self._ask_again_at is not None:
            log.warning("Redis answers again: the Telegram budget is shared again")
            BUDGET_FALLBACK.set(0)
        self._ask_again_at = None
