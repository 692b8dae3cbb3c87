"""What every limiter shares: Telegram's limits as settings, the permit a send holds, and the limiter's protocol."""

import abc
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class Limits:
    per_second: int = 30
    chat_interval: float = 1.0
    group_per_minute: int = 20
    #: Added to every window, for a Bot API server whose clock and ours disagree.
    margin: float = 0.0
    #: A permit neither done nor cancelled after this long is taken for lost (its process died); only the shared
    #: limiter needs it, since a process's own permits die with it. As long as aiogram's request timeout.
    permit_expiry: float = 60.0


#: Telegram's published limits.
TELEGRAM = Limits()


class Permit(abc.ABC):
    """Leave to send once: `await start()` waits for the slot, `await done()` when Telegram answered (whatever it
    said), or `await cancel()` if nothing will be sent. `slot` is on the limiter's clock."""

    def __init__(self, chat_id: int, slot: float) -> None:
        self.chat_id = chat_id
        self.slot = slot
        self.open = True
        #: Set by the session's middleware when a request went out under this permit (see `bot.limits.sending`).
        self.used = False

    async def start(self) -> None:
        wait = self.slot - self._now()
        if wait > 0:
            await self._sleep(wait)

    async def done(self) -> None:
        await self._end(answered=True)

    async def cancel(self) -> None:
        await self._end(answered=False)

    async def _end(self, *, answered: bool) -> None:
        if not self.open:
            return
        self.open = False
        await self._close(answered=answered)

    @abc.abstractmethod
    def _now(self) -> float: ...

    @abc.abstractmethod
    async def _sleep(self, seconds: float) -> None: ...

    @abc.abstractmethod
    async def _close(self, *, answered: bool) -> None: ...


class Limiter(Protocol):
    """One budget for one bot token: in this process (`RateLimiter`) or shared through Redis (`SharedRateLimiter`)."""

    limits: Limits
    #: Waits on the limiter's clock (a test's virtual one), for a sender's back-off too.
    sleep: Sleep

    async def reserve(
        self, chat_id: int, *, lead: float = 0.0, urgent: bool = False, chat_window: bool = True
    ) -> Permit: ...

    async def pause(self, seconds: float) -> None: ...

    async def aclose(self) -> None: ...
