"""Filters on the borrower context: routers for linked chats and for chats still to be linked."""

from aiogram.filters import BaseFilter
from aiogram.types import TelegramObject

from bot.backend.models import Profile


class Linked(BaseFilter):
    """True when the chat's link status is the one asked for."""

    def __init__(self, linked: bool = True) -> None:
        self.linked = linked

    async def __call__(self, event: TelegramObject, borrower: Profile | None = None) -> bool:
        return (borrower is not None) is self.linked
