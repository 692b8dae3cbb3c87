"""Counts and times every update by the dialog that took it and how it ended (`bot.metrics.UPDATES`,
`UPDATE_SECONDS`).

`UpdateMeasure` sits on the update just inside the error boundary, so it sees a failure before the boundary turns
it into an apology; `HandlerProbe`, an inner middleware on every event type, is the one place that knows which
handler took the update, and tells the measure through the update's data.
"""

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiogram import BaseMiddleware, Dispatcher
from aiogram.dispatcher.event.bases import UNHANDLED, SkipHandler
from aiogram.dispatcher.event.handler import HandlerObject
from aiogram.types import TelegramObject

from bot.metrics import UPDATE_SECONDS, UPDATES

PROBE_KEY = "update_probe"
NO_DIALOG = "none"


@dataclass
class _Probe:
    dialog: str = NO_DIALOG


class UpdateMeasure(BaseMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        probe = data[PROBE_KEY] = _Probe()
        began = time.perf_counter()
        outcome = "error"
        try:
            result = await handler(event, data)
            outcome = "unhandled" if result is UNHANDLED or probe.dialog == NO_DIALOG else "ok"
            return result
        finally:
            UPDATES.labels(probe.dialog, outcome).inc()
            UPDATE_SECONDS.labels(probe.dialog).observe(time.perf_counter() - began)


class HandlerProbe(BaseMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        probe: _Probe | None = data.get(PROBE_KEY)
        found: HandlerObject | None = data.get("handler")
        if probe is None or found is None:
            return await handler(event, data)
        probe.dialog = dialog_of(found)
        try:
            return await handler(event, data)
        except SkipHandler:  # the next handler may take it, or none
            probe.dialog = NO_DIALOG
            raise


def dialog_of(handler: HandlerObject) -> str:
    """The handler's module, without the `dialogs.` prefix: `holiday.wizard`, `onboarding`, `staff_group`."""
    module = getattr(handler.callback, "__module__", None) or NO_DIALOG
    return module.removeprefix("dialogs.")


def install(dispatcher: Dispatcher) -> None:
    """The measure on updates (call it right after the error boundary), the probe on every other event type."""
    dispatcher.update.outer_middleware(UpdateMeasure())
    for name, observer in dispatcher.observers.items():
        if name not in ("update", "error"):
            observer.middleware(HandlerProbe())
