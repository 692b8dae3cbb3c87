"""A filter for the wizard's choice buttons: the value must be one the draft's terms offer (a reason, a length, a
mode), so the backend's terms decide; any other (forged, or from terms since changed) falls through to the fallback's
note about an unknown button, as a button of no handler does."""

from collections.abc import Callable, Collection

from aiogram.filters import BaseFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery

from bot.backend.holidays import HolidayApplicationTerms
from bot.turn import Turn
from dialogs.holiday.draft import current


def months_offered(terms: HolidayApplicationTerms) -> range:
    return range(terms.min_months, terms.max_months + 1)


class Offered(BaseFilter):
    """True when `value` of the button's data is among `offered` of the draft's terms."""

    def __init__(
        self,
        value: Callable[[CallbackData], object],
        offered: Callable[[HolidayApplicationTerms], Collection[object]],
    ) -> None:
        self.value = value
        self.offered = offered

    async def __call__(self, query: CallbackQuery, callback_data: CallbackData, turn: Turn) -> bool:
        _draft, terms = await current(turn)
        return self.value(callback_data) in self.offered(terms)
