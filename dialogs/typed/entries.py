"""The way into each dialog for a typed request: the entry its menu or settings button uses, with the values the
request named (an amount, the effect, a year, a day) filled in where the dialog asks for them."""

from collections.abc import Awaitable, Callable

from bot.intents.catalog import Intent
from bot.intents.entities import Entities
from bot.turn import Turn
from dialogs import balance, early_repayment, feedback, loan_choice, person, refinancing, settings
from dialogs.certificates.entry import choose_kind
from dialogs.certificates.listing import ask_requests
from dialogs.holiday.draft import goto
from dialogs.holiday.entry import open_holiday
from dialogs.insurance.overview import show_overview
from dialogs.states import Certificates, HolidayApplications
from dialogs.typed import answers

Entry = Callable[[Turn, Entities], Awaitable[None]]
EARLY_MODES = {"term": "shorter_term", "payment": "smaller_payment"}
#: Requests whose dialog shows a loan: entered only with one selected, else the choice of the loan comes first.
NEED_A_LOAN = frozenset(
    {
        Intent.BALANCE,
        Intent.HOW_TO_PAY,
        Intent.EARLY_REPAYMENT,
        Intent.INTEREST_CERTIFICATE,
        Intent.DEBT_CERTIFICATE,
        Intent.CLOSURE_CERTIFICATE,
        Intent.SCHEDULE,
        Intent.INSURANCE,
        Intent.HOLIDAY,
        Intent.REFINANCING,
    }
)


async def _balance(turn: Turn, found: Entities) -> None:
    await turn.reset()
    await balance.show_balance(turn, turn.borrower.selected_loan_id)


async def _how_to_pay(turn: Turn, found: Entities) -> None:
    await turn.reset()
    await balance.show_payment_details(turn, turn.borrower.selected_loan_id)


async def _early(turn: Turn, found: Entities) -> None:
    await early_repayment.start_with(turn, found.amount, EARLY_MODES.get(found.mode or ""))


def _certificate(kind: str) -> Entry:
    async def enter(turn: Turn, found: Entities) -> None:
        await turn.reset()
        await choose_kind(turn, kind, year=found.year, on_date=found.day)

    return enter


async def _my_requests(turn: Turn, found: Entities) -> None:
    await turn.reset()
    await turn.state.set_state(Certificates.requests)
    await ask_requests(turn)


async def _insurance(turn: Turn, found: Entities) -> None:
    await turn.reset()
    await show_overview(turn)


async def _holiday(turn: Turn, found: Entities) -> None:
    await turn.reset()
    await open_holiday(turn)


async def _holiday_status(turn: Turn, found: Entities) -> None:
    await turn.reset()
    await goto(turn, HolidayApplications.listing)


async def _refinancing(turn: Turn, found: Entities) -> None:
    await refinancing.start(turn)


async def _person(turn: Turn, found: Entities) -> None:
    await person.start(turn, "requested")


async def _feedback(turn: Turn, found: Entities) -> None:
    await feedback.open_survey(turn)


def _setting(item: str) -> Entry:
    async def enter(turn: Turn, found: Entities) -> None:
        await turn.reset()
        await settings.open_item(turn, item)

    return enter


def _reminders(enabled: bool) -> Entry:
    async def enter(turn: Turn, found: Entities) -> None:
        await settings.switch_reminders(turn, enabled)

    return enter


ENTRIES: dict[Intent, Entry] = {
    Intent.BALANCE: _balance,
    Intent.HOW_TO_PAY: _how_to_pay,
    Intent.EARLY_REPAYMENT: _early,
    Intent.INTEREST_CERTIFICATE: _certificate("interest_paid"),
    Intent.DEBT_CERTIFICATE: _certificate("outstanding_debt"),
    Intent.CLOSURE_CERTIFICATE: _certificate("closure"),
    Intent.SCHEDULE: _certificate("schedule"),
    Intent.MY_REQUESTS: _my_requests,
    Intent.INSURANCE: _insurance,
    Intent.HOLIDAY: _holiday,
    Intent.HOLIDAY_STATUS: _holiday_status,
    Intent.HARDSHIP: lambda turn, found: answers.hardship(turn),
    Intent.REFINANCING: _refinancing,
    Intent.PERSON: _person,
    Intent.FEEDBACK: _feedback,
    Intent.LANGUAGE: _setting("language"),
    Intent.REMINDERS_ON: _reminders(True),
    Intent.REMINDERS_OFF: _reminders(False),
    Intent.REMINDER_DAYS: _setting("days"),
    Intent.REMINDER_HOURS: _setting("hours"),
    Intent.TIME_ZONE: _setting("zone"),
    Intent.UNLINK: _setting("unlink"),
    Intent.HELP: lambda turn, found: answers.help_menu(turn),
    Intent.GREETING: lambda turn, found: answers.greeting(turn),
    Intent.THANKS: lambda turn, found: answers.thanks(turn),
    Intent.COMPLAINT: lambda turn, found: answers.complaint(turn),
}


async def enter(turn: Turn, intent: Intent, found: Entities) -> None:
    """Enter the dialog of `intent` in a linked chat, as its button would."""
    if intent in NEED_A_LOAN and turn.borrower.selected_loan_id is None:
        await turn.reset()
        await loan_choice.start(turn)
        return
    await ENTRIES[intent](turn, found)
