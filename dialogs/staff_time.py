"""A case filed with staff: its number, and when staff answer (in working hours today, or when they are back)."""

from zoneinfo import ZoneInfo

from aiogram.utils.i18n import gettext as _
from babel.dates import get_timezone_location

from bot.backend.filings import ExpectedResponse, SupportCase
from bot.turn import Turn


def response_time_text(turn: Turn, expected: ExpectedResponse | None) -> str:
    """One sentence for the borrower: staff are in and answer today, or the day and hour they are back."""
    if expected is None:
        return _("A specialist will contact you.")
    if expected.in_hours or expected.staff_back_at is None:
        return _("A specialist will contact you during working hours today.")
    zone = turn.settings.bank_time_zone
    back = expected.staff_back_at.astimezone(ZoneInfo(zone))
    return _(
        "Our specialists are out of the office now. They are back on {date} at {time} ({place} time) "
        "and will contact you then."
    ).format(
        date=turn.day(back.date()),
        time=turn.clock(back.time()),
        place=get_timezone_location(zone, locale=turn.locale, return_city=True),
    )


def case_filed_text(turn: Turn, case: SupportCase) -> str:
    """The case number (a new case, or the open one the request joined) and when to expect an answer."""
    first = (
        _("Your request is added to case № {number}, which our staff already have.")
        if case.reopened
        else _("Your request is with our staff: case № {number}.")
    )
    return first.format(number=case.id) + "\n" + response_time_text(turn, case.expected_response)
