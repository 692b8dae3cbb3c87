"""Telegram's flood limits as sliding windows over the arrival times of accepted messages."""

from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    """At most `count` messages in any `seconds`-long sliding window."""

    count: int
    seconds: float


#: Telegram's published limits: 30 messages a second overall, 1 a second to one chat, 20 a minute into one group.
OVERALL = Limit(30, 1.0)
PER_CHAT = Limit(1, 1.0)
PER_GROUP = Limit(20, 60.0)


class Window:
    """The arrival times of the messages accepted within the last `limit.seconds`, oldest first."""

    __slots__ = ("limit", "times")

    def __init__(self, limit: Limit) -> None:
        self.limit = limit
        self.times: deque[float] = deque()

    def wait(self, now: float) -> float:
        """Seconds until one more message fits (0 if it fits now); forgets the times that left the window."""
        while self.times and self.times[0] <= now - self.limit.seconds:
            self.times.popleft()
        if len(self.times) < self.limit.count:
            return 0.0
        return self.times[0] + self.limit.seconds - now

    def add(self, now: float) -> None:
        self.times.append(now)
