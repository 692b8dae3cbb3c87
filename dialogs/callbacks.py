"""Callback data of every button: ids and fixed choices only, each checked when pressed."""

from aiogram.filters.callback_data import CallbackData


class Nav(CallbackData, prefix="nav"):
    """Go to a screen reachable from anywhere: menu, balance, pay, settings, help."""

    to: str


class Consent(CallbackData, prefix="consent"):
    agreed: bool


class PickLanguage(CallbackData, prefix="lang"):
    code: str


class PickLoan(CallbackData, prefix="loan"):
    loan_id: int


class SettingsItem(CallbackData, prefix="set"):
    """Open one setting: language, reminders, days, hours, zone, loan, unlink."""

    item: str


class ToggleDay(CallbackData, prefix="day"):
    day: int


class DaysDone(CallbackData, prefix="days"):
    """Save the days chosen on the days screen (they are kept in the dialog's data, not in the button)."""


class PickHours(CallbackData, prefix="hours"):
    start: int
    end: int


class PickZone(CallbackData, prefix="tz"):
    index: int


class ConfirmUnlink(CallbackData, prefix="unlink"):
    confirmed: bool


class RemindersOptIn(CallbackData, prefix="remind"):
    agreed: bool
