"""The linked borrower's profile per chat, kept for a few seconds so a dialog turn costs one backend call."""

import time
from collections.abc import Callable

from bot.backend import BackendClient, NotLinked
from bot.backend.models import Profile


class ProfileCache:
    """Linked profiles only: an unlinked chat asks the backend each time, so a fresh link is seen at once.

    A stale entry is harmless: a borrower call for a chat unlinked elsewhere fails with `NotLinked`, and the
    error boundary forgets the entry. Every change the bot makes through the backend forgets it too.
    """

    def __init__(self, backend: BackendClient, *, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._backend = backend
        self._ttl = ttl
        self._clock = clock
        self._entries: dict[int, tuple[float, Profile]] = {}

    async def get(self, user_id: int) -> Profile | None:
        now = self._clock()
        entry = self._entries.get(user_id)
        if entry is not None and entry[0] > now:
            return entry[1]
        try:
            profile = await self._backend.profile(user_id)
        except NotLinked:
            self._entries.pop(user_id, None)
            return None
        self.remember(user_id, profile)
        return profile

    def remember(self, user_id: int, profile: Profile) -> None:
        """Keep `profile` for the chat, e.g. one the bot rebuilt from the backend's answer to a change."""
        if self._ttl > 0:
            now = self._clock()
            self._drop_expired(now)
            self._entries[user_id] = (now + self._ttl, profile)

    def forget(self, user_id: int) -> None:
        self._entries.pop(user_id, None)

    def _drop_expired(self, now: float) -> None:
        if len(self._entries) > 10_000:
            self._entries = {k: v for k, v in self._entries.items() if v[0] > now}
