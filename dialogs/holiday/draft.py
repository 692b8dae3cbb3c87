"""The payment-holiday draft in the chat's FSM data (JSON-safe, so it survives restarts in Redis), its labels, and
moving between the dialog's screens."""

import calendar
import secrets
from datetime import date
from decimal import Decimal
from typing import Any

from aiogram.fsm.state import State
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.turn import Turn
from dialogs.callbacks import HolidayStep

DRAFT = "holiday"  # the draft's key in the FSM data
VIEWED = "holiday_id"  # the application on screen in "My applications"
REASONS = ("job_loss", "income_drop", "sick_leave", "disability", "new_dependant", "other")
MODES = ("full", "reduced")
MONTHS = range(1, 7)
MAX_INCOME = Decimal(100_000_000)  # the backend's limit for a monthly income
BACKDATE_MONTHS = 2  # the law lets the start be backdated this far
AHEAD_MONTHS = 1  # and the backend's pre-check accepts a start this far ahead
MAX_FILES = 5


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


def payment_text(turn: Turn, draft: dict[str, Any]) -> str:
    """The payment during the holiday: none, or the reduced amount."""
    if draft.get("mode") == "reduced" and draft.get("reduced_payment"):
        return _("reduced to {amount} a month").format(amount=turn.money(Decimal(draft["reduced_payment"])))
    return _("none (a full holiday)")


def new_draft(loan_id: int) -> dict[str, Any]:
    """A fresh draft for `loan_id` with the idempotency key its application will be sent with."""
    return {"key": secrets.token_urlsafe(16), "loan_id": loan_id, "documents": []}


async def draft_of(turn: Turn) -> dict[str, Any]:
    return (await turn.state.get_data()).get(DRAFT) or {}


async def save(turn: Turn, **changes: Any) -> dict[str, Any]:
    """The draft with `changes` applied, stored."""
    draft = {**await draft_of(turn), **changes}
    await turn.state.update_data({DRAFT: draft})
    return draft


def application(draft: dict[str, Any]) -> dict[str, Any]:
    """The backend's application body (the pre-check's too) from the draft."""
    return {
        "reason": draft["reason"],
        "income_before": draft["income_before"],
        "income_after": draft["income_after"],
        "months": draft["months"],
        "mode": draft["mode"],
        "reduced_payment": draft.get("reduced_payment") if draft["mode"] == "reduced" else None,
        "start_date": draft["start_date"],
    }


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, clamped to the month's end (as the backend counts)."""
    year, index = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, index + 1, min(day.day, calendar.monthrange(year, index + 1)[1]))


def start_range(today: date) -> tuple[date, date]:
    """The earliest and the latest start the dialog accepts."""
    return add_months(today, -BACKDATE_MONTHS), add_months(today, AHEAD_MONTHS)


async def goto(turn: Turn, state: State) -> None:
    """Enter `state` and ask its question."""
    await turn.state.set_state(state)
    await turn.screens[state.state].ask(turn)
