"""The outbox pump: claims due notifications a batch at a time and hands them to a few concurrent senders, so the
rate limiter, not the round trips, sets the pace. At a stop the claimed rows not yet started are handed back at
once, claimable by another scheduler without waiting for their lease (which still brings them back if the hand-back
fails or the process dies), and the sent ones still waiting to be reported are reported."""

import asyncio
import logging
from collections import Counter

from bot.backend import BackendClient, BackendError, BackendUnavailable
from bot.backend.outbox import Claimed
from scheduler.pause import wait_or_stop
from scheduler.sender import Outcome, Sender

log = logging.getLogger(__name__)


class Pump:
    def __init__(
        self,
        backend: BackendClient,
        sender: Sender,
        *,
        workers: int = 8,
        batch: int = 60,
        lease_seconds: int = 60,
        poll_seconds: float = 2.0,
    ) -> None:
        self._backend = backend
        self._sender = sender
        self._workers = workers
        self._batch = batch
        self._lease = lease_seconds
        self._poll = poll_seconds
        self._queue: asyncio.Queue[Claimed] = asyncio.Queue()
        self.outcomes: Counter[Outcome] = Counter()
        self._unstarted: list[Claimed] = []  # claimed, never started: handed back at the stop
        self._claiming = False  # a claim is on its way to the backend
        self._busy = 0  # rows a worker is delivering

    async def run(self, stop: asyncio.Event) -> None:
        """Claim and send until `stop`; then finish the sends under way, report the sent ones and hand back the rows not
        started."""
        self._unstarted.clear()
        workers = [asyncio.create_task(self._work(stop)) for _ in range(self._workers)]
        try:
            while not stop.is_set():
                room = self._batch - self._queue.qsize()
                claimed = await self._claim(room) if room >= self._batch // 2 else None
                for item in claimed or ():
                    self._queue.put_nowait(item)
                if claimed is None or claimed:  # a full queue or more to claim: look again soon
                    await wait_or_stop(stop, self._poll / 20)
                else:
                    await wait_or_stop(stop, self._poll)
        finally:
            while not self._queue.empty():
                self._unstarted.append(self._queue.get_nowait())
                self._queue.task_done()
            await self._queue.join()  # the sends under way end; those still waiting for a permit stop unstarted
            await self._sender.flush()
            await self._release(self._unstarted)
            for worker in workers:
                worker.cancel()
            await asyncio.gather(*workers, return_exceptions=True)

    async def drain(self) -> Counter[Outcome]:
        """Send everything due now and return the outcomes (for the tests). Done when nothing is due, queued, being
        claimed or being delivered, checked again after asking the backend: a claim that returns while a delivery
        ends (one row per chat at a time) is not cut off by the stop."""
        stop = asyncio.Event()
        task = asyncio.create_task(self.run(stop))
        while True:
            if self._idle() and not await self._has_due() and self._idle():
                break
            await asyncio.sleep(self._poll / 20)
        stop.set()
        await task
        return self.outcomes

    def _idle(self) -> bool:
        return self._queue.empty() and not self._claiming and self._busy == 0

    async def _has_due(self) -> bool:
        return (await self._backend.outbox_counts()).due_now > 0

    async def _claim(self, room: int) -> list[Claimed]:
        self._claiming = True
        try:
            return (await self._backend.claim_notifications(limit=room, lease_seconds=self._lease)).items
        except (BackendUnavailable, BackendError) as exc:
            log.warning("claiming the outbox failed: %s", type(exc).__name__)
            return []
        finally:
            self._claiming = False

    async def _release(self, unstarted: list[Claimed]) -> None:
        if not unstarted:
            return
        try:
            released = await self._backend.release_notifications(unstarted)
        except (BackendUnavailable, BackendError) as exc:
            log.warning("%d claimed notifications left to their leases: %s", len(unstarted), type(exc).__name__)
            return
        log.info("stopping: %d of %d claimed notifications handed back", released, len(unstarted))

    async def _work(self, stop: asyncio.Event) -> None:
        while True:
            item = await self._queue.get()
            self._busy += 1
            try:
                outcome = await self._sender.deliver(item, stop=stop)
                self.outcomes[outcome] += 1
                if outcome is Outcome.STOPPED:
                    self._unstarted.append(item)
            except Exception:
                log.exception("notification %s: unexpected failure; its lease will bring it back", item.id)
            finally:
                self._busy -= 1
                self._queue.task_done()
