"""One update's context for the dialogs: who is talking, in which language, and how to answer them."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup, Message, ReplyKeyboardMarkup, ReplyKeyboardRemove
from aiogram.utils.i18n import I18n

from bot import formatting
from bot.backend import BackendClient, NotLinked
from bot.backend.models import Preferences, Profile
from bot.journal import Journal
from bot.profiles import ProfileCache
from bot.screens import Screen
from bot.settings import BotSettings

LANGUAGE_KEY = "language"  # the language an unlinked chat chose, kept in its FSM data
CASE_KEY = "unlinked_case"  # an unlinked chat's active support case, kept in its FSM data
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove


@dataclass
class Turn:
    """Built for every private update by `BorrowerContext`; handlers and screens receive it as `turn`."""

    bot: Bot
    chat_id: int
    user_id: int
    backend: BackendClient
    profiles: ProfileCache
    state: FSMContext
    borrower: Profile | None
    locale: str
    settings: BotSettings
    journal: Journal = field(default_factory=Journal)
    #: every dialog's screens by state name (`dialogs/router.py:borrower_screens`), the dispatcher's `screens`
    screens: Mapping[str, Screen] = field(default_factory=dict)

    async def say(self, text: str, markup: Markup | None = None) -> Message:
        return await self.bot.send_message(self.chat_id, text, reply_markup=markup)

    async def photo(self, content: bytes, filename: str, caption: str | None = None) -> Message:
        return await self.bot.send_photo(self.chat_id, BufferedInputFile(content, filename), caption=caption)

    async def document(
        self, content: bytes, filename: str, caption: str | None = None, markup: Markup | None = None
    ) -> Message:
        return await self.bot.send_document(
            self.chat_id, BufferedInputFile(content, filename), caption=caption, reply_markup=markup
        )

    async def reset(self) -> None:
        """Leave any dialog; an unlinked chat keeps the language it chose and its support case."""
        case = (await self.state.get_data()).get(CASE_KEY) if self.borrower is None else None
        await self.state.clear()
        if self.borrower is None:
            await self.state.update_data({LANGUAGE_KEY: self.locale, **({CASE_KEY: case} if case else {})})

    async def refresh_borrower(self) -> Profile:
        """Read the profile again after a change; `NotLinked` if the chat lost its link meanwhile."""
        await self.profiles.forget(self.user_id)
        self.borrower = await self.profiles.get(self.user_id)
        if self.borrower is None:
            raise NotLinked(403, "not_linked", "The chat is not linked.")
        return self.borrower

    async def adopt(self, changed: Preferences) -> Profile:
        """The profile with the settings the backend answered a change with, kept without a second call."""
        if self.borrower is None:
            return await self.refresh_borrower()
        self.borrower = self.borrower.model_copy(update=changed.model_dump())
        await self.profiles.remember(self.user_id, self.borrower)
        return self.borrower

    def switch_language(self, language: str) -> None:
        """Answer the rest of this update in `language` (after the borrower changed it)."""
        self.locale = language
        I18n.get_current().current_locale = language

    def money(self, amount: Decimal) -> str:
        return formatting.money(amount, self.locale)

    def day(self, value: date) -> str:
        return formatting.day(value, self.locale)

    def percent(self, value: Decimal) -> str:
        return formatting.percent(value, self.locale)

    def clock(self, value: time) -> str:
        return formatting.clock(value, self.locale)
