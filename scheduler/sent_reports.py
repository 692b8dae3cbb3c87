"""Sent pushes reported to the backend many in one call: within `interval` of the first one waiting, at once when
`batch` are waiting, and all of them at a graceful stop.

Holding a report back a moment cannot make a push go twice: a row whose send started is never claimed again
(api/outbox/delivery.py). Reported before its lease ends (the interval is a small part of it), it is counted sent;
left unreported by a process killed meanwhile, it fails as unconfirmed when the lease ends, never sent again.
"""

import asyncio
import logging

from bot.backend import BackendClient, BackendError, BackendUnavailable

log = logging.getLogger(__name__)
#: Waits before reporting again when the backend does not answer; the lease outlasts them.
REPORT_RETRIES = (1.0, 2.0, 4.0, 8.0)


class SentReports:
    def __init__(self, backend: BackendClient, *, batch: int, interval: float) -> None:
        self._backend = backend
        self._batch = batch
        self._interval = interval
        self._waiting: list[int] = []
        self._timer: asyncio.Task | None = None
        self._reporting: set[asyncio.Task] = set()

    def add(self, notification_id: int) -> None:
        """Note a delivered notification, to be reported with the others waiting."""
        self._waiting.append(notification_id)
        if len(self._waiting) >= self._batch:
            self._report_waiting()
        elif self._timer is None:
            self._timer = asyncio.create_task(self._report_after_interval())

    async def flush(self) -> None:
        """Report every notification waiting, and wait for the reports under way to end (a graceful stop)."""
        if self._waiting:
            self._report_waiting()
        while self._reporting:
            await asyncio.gather(*self._reporting)

    async def _report_after_interval(self) -> None:
        await asyncio.sleep(self._interval)
        self._timer = None
        self._report_waiting()

    def _report_waiting(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        ids, self._waiting = self._waiting, []
        for start in range(0, len(ids), self._batch):
            task = asyncio.create_task(self._report(ids[start : start + self._batch]))
            self._reporting.add(task)
            task.add_done_callback(self._reporting.discard)

    async def _report(self, ids: list[int]) -> None:
        """One call for `ids`, tried again while the backend is away (a repeat changes nothing)."""
        for wait in (*REPORT_RETRIES, None):
            try:
                reported = await self._backend.mark_sent(ids)
            except BackendUnavailable:
                if wait is None:
                    log.error("%d sent notifications could not be reported", len(ids))
                    return
                await asyncio.sleep(wait)
            except BackendError as exc:
                log.error("%d sent notifications were not taken: %s", len(ids), exc.code)
                return
            else:
                if reported.refused:
                    log.warning("%d sent notifications were refused: no longer claimed", len(reported.refused))
                return
