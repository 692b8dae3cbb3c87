"""The button data that pushes and dialogs share: the ways into a dialog from a message the scheduler sends (a
reminder's "Balance", an overdue notice's "Talk to a person", a priced quote's "Pay now"), pressed like any other."""

from aiogram.filters.callback_data import CallbackData


class Nav(CallbackData, prefix="nav"):
    """Go to a screen reachable from anywhere: menu, balance, pay, settings, help, early, certificates, insurance,
    holiday, refinancing, person."""

    to: str


class CallPerson(CallbackData, prefix="person"):
    """Ask for a person, offered by the bot: `why` is misunderstood, complaint, low_rating or hardship."""

    why: str


class QuotePayment(CallbackData, prefix="inspay"):
    """On a priced renewal quote (the pushed notice): pay at once (False) or later (True); the backend checks the
    loan and the quote are the caller's."""

    loan_id: int
    quote_id: int
    later: bool
