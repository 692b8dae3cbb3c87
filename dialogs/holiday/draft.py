"""The payment-holiday draft: the answers so far with the backend's terms they are asked within (typed, stored
JSON-safe in the chat's FSM data, so it survives restarts in Redis), its labels, and moving between the screens."""

import secrets
from datetime import date
from decimal import Decimal
from typing import ClassVar

from aiogram.fsm.state import State
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from pydantic import BaseModel, ConfigDict, Field

from bot.backend.holidays import HolidayApplication, HolidayApplicationTerms, HolidayPrecheck
from bot.drafts import Draft, new_key
from bot.turn import Turn
from dialogs.callbacks import HolidayStep

DRAFT = "holiday"  # the draft's key in the FSM data
CENTS = Decimal("0.01")


class DraftFile(BaseModel):
    """A file the borrower sent that passed the backend's check: Telegram's id of it, to upload on sending."""

    model_config = ConfigDict(frozen=True)

    file_id: str
    file_name: str
    content_type: str


class Checked(BaseModel):
    """The backend's pre-check and the application it judged: asked again only when the application changed."""

    model_config = ConfigDict(frozen=True)

    application: HolidayApplication
    result: HolidayPrecheck


class HolidayDraft(Draft):
    """One application in the making, for one loan, sent with `key` (its idempotency key)."""

    KEY: ClassVar[str] = DRAFT

    key: str
    loan_id: int
    chosen_loan: bool = False  # the loan was picked among several (Back from the reason leads to the choice)
    terms: HolidayApplicationTerms | None = None  # asked once per draft; none in a draft stored before they were kept
    reason: str | None = None
    income_before: Decimal | None = None
    income_after: Decimal | None = None
    months: int | None = None
    mode: str | None = None  # full, reduced
    reduced_payment: Decimal | None = None
    start_date: date | None = None
    page: int | None = None  # the calendar's month on screen, as the ordinal of a day in it
    documents: tuple[DraftFile, ...] = ()
    editing: bool = False  # a step changed from the summary returns to it
    checked: Checked | None = None

    def application(self) -> HolidayApplication:
        """The backend's application body (the pre-check's too)."""
        return HolidayApplication.model_validate(
            {
                "reason": self.reason,
                "income_before": self.income_before,
                "income_after": self.income_after,
                "months": self.months,
                "mode": self.mode,
                "reduced_payment": self.reduced_payment if self.mode == "reduced" else None,
                "start_date": self.start_date,
            }
        )


class Viewed(Draft):
    """The application on screen in "My applications", and the key drawn when it was opened that its proof is sent
    under (a file sent again after a lost answer is attached once)."""

    holiday_id: int | None = None
    proof_key: str = Field(default_factory=new_key)


def new_draft(loan_id: int, terms: HolidayApplicationTerms, *, chosen: bool) -> HolidayDraft:
    """A fresh draft for `loan_id` with the idempotency key its application will be sent with."""
    return HolidayDraft(key=secrets.token_urlsafe(16), loan_id=loan_id, terms=terms, chosen_loan=chosen)


async def draft_of(turn: Turn) -> HolidayDraft | None:
    """The stored draft, if there is one."""
    return await HolidayDraft.load(turn.state) if (await turn.state.get_data()).get(DRAFT) else None


async def current(turn: Turn) -> tuple[HolidayDraft, HolidayApplicationTerms]:
    """The draft the wizard is on and its terms (asked now for a draft stored before they were kept in it)."""
    draft = await HolidayDraft.load(turn.state)
    terms = draft.terms or await turn.backend.holiday_terms(turn.user_id, draft.loan_id)
    if draft.terms is None:
        draft = await draft.change(turn.state, terms=terms)
    return draft, terms


async def save(turn: Turn, **changes: object) -> HolidayDraft:
    """The draft with `changes` applied, stored."""
    draft, _terms = await current(turn)
    return await draft.change(turn.state, **changes)


def amount(value: Decimal) -> Decimal:
    """An amount as the draft keeps it: to the kopeck."""
    return value.quantize(CENTS)


def back_row() -> list[tuple[str, HolidayStep]]:
    """The wizard's Back: to the step before (see `holiday_wizard.PREVIOUS`)."""
    return [(_("⬅️ Back"), HolidayStep(do="back"))]


def reason_label(code: str) -> str:
    return {
        "job_loss": _("💼 Job loss"),
        "income_drop": _("📉 Income drop"),
        "sick_leave": _("🤒 Illness, sick leave"),
        "disability": _("♿ Disability"),
        "new_dependant": _("👶 More dependants"),
        "other": _("✏️ Other reason"),
    }.get(code, code)


def months_text(count: int) -> str:
    return ngettext("{count} month", "{count} months", count).format(count=count)


def contract_text(turn: Turn, number: str, signed: date) -> str:
    return _("contract № {number} of {date}").format(number=number, date=turn.day(signed))


def payment_text(turn: Turn, mode: str | None, reduced_payment: Decimal | None) -> str:
    """The payment during the holiday: none, or the reduced amount."""
    if mode == "reduced" and reduced_payment:
        return _("reduced to {amount} a month").format(amount=turn.money(reduced_payment))
    return _("none (a full holiday)")


async def goto(turn: Turn, state: State) -> None:
    """Enter `state` and ask its question."""
    await turn.state.set_state(state)
    await turn.screens[state.state].ask(turn)
