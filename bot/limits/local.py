"""The budget kept in this process: Telegram's windows as deques, waits on asyncio locks (no REDIS_URL, or tests).

A send takes a permit, sends, and reports when Telegram answered: the windows count answered sends at the moment of
the answer, which is never earlier than Telegram counted them, so no jitter on the way can break a limit. A permit
not yet used counts as a send happening now. A permit may be granted up to `lead` seconds before its slot, so the
work between permit and send (the backend's "sending" mark) overlaps the wait instead of lengthening it. An urgent
permit (a reply) is granted before any push that waits for the overall window with it.
"""

import asyncio
import math
import time
from collections import deque

from bot.limits.base import TELEGRAM, Clock, Limits, Permit, Sleep

#: Idle chats are forgotten once this many are known.
CHATS_KEPT = 4096


class Window:
    """At most `size` sends in any `span` seconds, counting answered sends and permits not yet used."""

    def __init__(self, size: int, span: float) -> None:
        self.size = size
        self.span = span
        self.answered: deque[float] = deque()
        self.outstanding = 0

    def free_at(self, now: float) -> float:
        """The earliest moment a new send fits; infinity while unused permits alone fill the window."""
        while self.answered and self.answered[0] <= now - self.span:
            self.answered.popleft()
        over = len(self.answered) + self.outstanding - self.size
        if over < 0:
            return now
        if over >= len(self.answered):
            return math.inf
        return self.answered[over] + self.span

    def idle(self, now: float) -> bool:
        return self.outstanding == 0 and self.free_at(now) <= now and not self.answered


class _Chat:
    def __init__(self, window: Window | None, group: Window | None) -> None:
        self.window, self.group = window, group
        self.lock = asyncio.Lock()

    def windows(self, *, chat_window: bool) -> list[Window]:
        """A private chat's own window only when asked for; a group's windows always."""
        chosen = [self.window] if self.window is not None and (chat_window or self.group is not None) else []
        return chosen + ([self.group] if self.group is not None else [])


class LocalPermit(Permit):
    def __init__(self, limiter: "RateLimiter", windows: list[Window], chat_id: int, slot: float) -> None:
        super().__init__(chat_id, slot)
        self._limiter = limiter
        self._windows = windows

    def _now(self) -> float:
        return self._limiter.clock()

    async def _sleep(self, seconds: float) -> None:
        await self._limiter.sleep(seconds)

    async def _close(self, *, answered: bool) -> None:
        now = self._limiter.clock()
        for window in self._windows:
            window.outstanding -= 1
            if answered:
                window.answered.append(now)
        self._limiter.changed()


class RateLimiter:
    """Grants permits in the order asked, per chat first and then overall, urgent ones ahead of the rest; `pause()`
    honours a 429's retry_after."""

    def __init__(self, limits: Limits = TELEGRAM, *, clock: Clock = time.monotonic, sleep: Sleep = asyncio.sleep):
        self.limits = limits
        self.clock = clock
        self.sleep = sleep
        self._overall = Window(limits.per_second, 1.0 + limits.margin)
        self._locks = {True: asyncio.Lock(), False: asyncio.Lock()}  # urgent or not: one waiter each at the front
        self._urgent = 0  # urgent requests waiting for the overall window
        self._chats: dict[int, _Chat] = {}
        self._changed = asyncio.Event()
        self._paused_until = 0.0

    async def reserve(
        self, chat_id: int, *, lead: float = 0.0, urgent: bool = False, chat_window: bool = True
    ) -> LocalPermit:
        """Wait until a send to `chat_id` fits every limit within `lead` seconds, then hold a permit for it.

        `urgent`: ahead of every push waiting with it; `chat_window=False`: a private chat's one-a-second is not waited
        for (a reply's few messages; a group's windows always hold)."""
        chat = self._chat(chat_id)
        async with chat.lock:
            windows = chat.windows(chat_window=chat_window)
            chat_slot = await self._wait_for(windows, lead=lead)
            for window in windows:
                window.outstanding += 1
            try:
                slot = await self._take_overall(lead=lead, urgent=urgent)
            except BaseException:
                for window in windows:
                    window.outstanding -= 1
                raise
        return LocalPermit(self, [self._overall, *windows], chat_id, max(chat_slot, slot))

    async def pause(self, seconds: float) -> None:
        """Send nothing for `seconds` (Telegram said so with a 429)."""
        self._paused_until = max(self._paused_until, self.clock() + seconds)

    async def aclose(self) -> None:
        """Nothing to close; here so either limiter is closed alike."""

    def changed(self) -> None:
        self._changed.set()

    async def _take_overall(self, *, lead: float, urgent: bool) -> float:
        if urgent:
            self._urgent += 1
        try:
            async with self._locks[urgent]:
                slot = await self._wait_for([self._overall], lead=lead, pausable=True, yields=not urgent)
                self._overall.outstanding += 1
                return slot
        finally:
            if urgent:
                self._urgent -= 1
                self.changed()

    async def _wait_for(
        self, windows: list[Window], *, lead: float, pausable: bool = False, yields: bool = False
    ) -> float:
        """Wait until the windows have room within `lead` seconds (and, if `yields`, no urgent request waits);
        the moment they have it."""
        while True:
            now = self.clock()
            ready = max((window.free_at(now) for window in windows), default=now)
            if pausable:
                ready = max(ready, self._paused_until)
            if ready - lead <= now and not (yields and self._urgent):
                return max(ready, now)
            if math.isinf(ready) or (yields and self._urgent):
                self._changed.clear()
                await self._changed.wait()
            else:
                await self.sleep(ready - lead - now)

    def _chat(self, chat_id: int) -> _Chat:
        chat = self._chats.get(chat_id)
        if chat is None:
            if len(self._chats) >= CHATS_KEPT:
                self._forget_idle()
            span = self.limits.chat_interval + self.limits.margin
            group = Window(self.limits.group_per_minute, 60.0 + self.limits.margin) if chat_id < 0 else None
            chat = self._chats[chat_id] = _Chat(Window(1, span), group)
        return chat

    def _forget_idle(self) -> None:
        now = self.clock()
        for chat_id in [key for key, chat in self._chats.items() if not chat.lock.locked()]:
            chat = self._chats[chat_id]
            if all(window.idle(now) for window in (chat.window, chat.group) if window is not None):
                del self._chats[chat_id]
