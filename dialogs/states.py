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


# --- early repayment (dialogs/early_repayment.py) ---
class EarlyRepayment(StatesGroup):
    amount = State()
    mode = State()
    estimate = State()
    confirm = State()


# --- refinancing and re-registration (dialogs/refinancing.py) ---
class Refinancing(StatesGroup):
    topic = State()
    description = State()
    confirm = State()


# --- certificates (dialogs/certificates/entry.py) ---
class Certificates(StatesGroup):
    kind = State()
    year = State()
    day = State()
    delivery = State()
    requests = State()
    deduction = State()


# --- insurance (dialogs/insurance/entry.py) ---
class Insurance(StatesGroup):
    overview = State()
    upload_kind = State()
    upload_file = State()
    quote_kind = State()


# --- payment holiday (dialogs/holiday*.py) ---
class HolidayWizard(StatesGroup):
    """The application: what a payment holiday is (intro), which loan (with several), the questions, then the review
    and the consent."""

    intro = State()
    loan = State()
    reason = State()
    income_before = State()
    income_after = State()
    months = State()
    mode = State()
    reduced_payment = State()
    start = State()
    documents = State()
    precheck = State()
    summary = State()
    edit = State()
    consent = State()


class HolidayApplications(StatesGroup):
    """The borrower's applications: the list, one of them, its withdrawal, more proof for it."""

    listing = State()
    detail = State()
    withdraw = State()
    proof = State()


# --- talk to a person (dialogs/person.py) ---
class Person(StatesGroup):
    topic = State()


# --- feedback (dialogs/feedback.py) ---
class Survey(StatesGroup):
    score = State()
    comment = State()
