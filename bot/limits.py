"""Telegram's sending limits kept on our side: so many messages overall per second, one a second per chat, so many
a minute into one group.

A send takes a permit, sends, and reports when Telegram answered: the windows count answered sends at the moment of
the answer, which is never earlier than Telegram counted them, so no jitter on the way can break a limit. A permit
not yet used counts as a send happening now. A permit may be granted up to `lead` seconds before its slot, so the
work between permit and send (the backend's "sending" mark) overlaps the wait instead of lengthening it.
"""

import asyncio
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]
#: Idle chats are forgotten once this many are known.
CHATS_KEPT = 4096


@dataclass(frozen=True)
class Limits:
    per_second: int = 30
    chat_interval: float = 1.0
    group_per_minute: int = 20
    #: Added to every window, for a Bot API server whose clock and ours disagree.
    margin: float = 0.0


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
    def __init__(self, window: Window, group: Window | None) -> None:
        self.windows = [window] + ([group] if group else [])
        self.lock = asyncio.Lock()


class Permit:
    """Leave to send once: `await start()` waits for the slot, `done()` when Telegram answered (whatever it said),
    or `cancel()` if nothing will be sent."""

    def __init__(self, limiter: "RateLimiter", windows: list[Window], slot: float) -> None:
        self._limiter = limiter
        self._windows = windows
        self.slot = slot
        self._open = True

    async def start(self) -> None:
        wait = self.slot - self._limiter.clock()
        if wait > 0:
            await self._limiter.sleep(wait)

    def done(self) -> None:
        self._close(answered=True)

    def cancel(self) -> None:
        self._close(answered=False)

    def _close(self, *, answered: bool) -> None:
        if not self._open:
            return
        self._open = False
        now = self._limiter.clock()
        for window in self._windows:
            window.outstanding -= 1
            if answered:
                window.answered.append(now)
        self._limiter.changed()


class RateLimiter:
    """Grants permits in the order asked, per chat first and then overall; `pause()` honours a 429's retry_after."""

    def __init__(self, limits: Limits = Limits(), *, clock: Clock = time.monotonic, sleep: Sleep = asyncio.sleep):
        self.limits = limits
        self.clock = clock
        self.sleep = sleep
        self._overall = Window(limits.per_second, 1.0 + limits.margin)
        self._overall_lock = asyncio.Lock()
        self._chats: dict[int, _Chat] = {}
        self._changed = asyncio.Event()
        self._paused_until = 0.0

    async def reserve(self, chat_id: int, *, lead: float = 0.0) -> Permit:
        """Wait until a send to `chat_id` fits every limit within `lead` seconds, then hold a permit for it."""
        chat = self._chat(chat_id)
        async with chat.lock:
            chat_slot = await self._wait_for(chat.windows, lead=lead)
            for window in chat.windows:
                window.outstanding += 1
            try:
                async with self._overall_lock:
                    slot = await self._wait_for([self._overall], lead=lead, pausable=True)
                    self._overall.outstanding += 1
            except BaseException:
                for window in chat.windows:
                    window.outstanding -= 1
                raise
        return Permit(self, [self._overall, *chat.windows], max(chat_slot, slot))

    def pause(self, seconds: float) -> None:
        """Send nothing for `seconds` (Telegram said so with a 429)."""
        self._paused_until = max(self._paused_until, self.clock() + seconds)

    def changed(self) -> None:
        self._changed.set()

    async def _wait_for(self, windows: list[Window], *, lead: float, pausable: bool = False) -> float:
        """Wait until the windows have room within `lead` seconds; the moment they have it."""
        while True:
            now = self.clock()
            ready = max(window.free_at(now) for window in windows)
            if pausable:
                ready = max(ready, self._paused_until)
            if ready - lead <= now:
                return max(ready, now)
            if math.isinf(ready):
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
            if all(window.idle(now) for window in self._chats[chat_id].windows):
                del self._chats[chat_id]
