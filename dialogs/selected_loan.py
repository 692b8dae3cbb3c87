"""The selected loan, or the choice of one first: a router middleware for the handlers flagged `loan`.

`flags={"loan": True}` on a handler that shows a loan: it gets the selected loan's id as `loan_id`; a borrower with
several loans and none chosen yet is asked to choose one instead (the handler does not run), as everywhere a loan
is shown. Registered on the borrower's router (`dialogs/router.py`), so it sees every dialog's handlers.
"""

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.dispatcher.flags import get_flag
from aiogram.types import CallbackQuery, TelegramObject

from bot.turn import Turn
from dialogs import loan_choice


class SelectedLoan(BaseMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not get_flag(data, "loan"):
            return await handler(event, data)
        turn: Turn = data["turn"]
        loan_id = turn.borrower.selected_loan_id if turn.borrower else None
        if loan_id is None:
            if isinstance(event, CallbackQuery):
                await event.answer()
            await turn.reset()
            await loan_choice.start(turn)
            return None
        data["loan_id"] = loan_id
        return await handler(event, data)
