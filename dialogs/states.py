"""Every dialog's states in one place; their names ("Onboarding:contact") are stored, so never rename one."""

from aiogram.fsm.state import State, StatesGroup


class Onboarding(StatesGroup):
    consent = State()
    contact = State()
    second_factor = State()


class LoanChoice(StatesGroup):
    pick = State()


class SettingsForm(StatesGroup):
    main = State()
    language = State()
    days = State()
    hours = State()
    zone = State()
    unlink = State()


class ReminderOffer(StatesGroup):
    ask = State()
