"""Activates the language the borrower context chose for the event's handlers."""

from typing import Any

from aiogram.types import TelegramObject
from aiogram.utils.i18n import I18nMiddleware


class ChosenLanguage(I18nMiddleware):
    """Uses `data["locale"]`, set by `BorrowerContext` for every update."""

    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        return data.get("locale") or self.i18n.default_locale
