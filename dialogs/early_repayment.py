"""Early repayment: the amount and the effect wanted, the backend's estimate, and the request filed as a staff case."""

from datetime import date
from decimal import Decimal

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from pydantic import Field

from bot.backend import BackendError
from bot.backend.filings import EarlyRepaymentEstimate, Payoff
from bot.backend.models import LoanSummary
from bot.buttons import Nav
from bot.drafts import Draft, new_key, request_key
from bot.keyboards import inline
from bot.parsing import parse_amount
from bot.screens import Screen, Screens
from bot.turn import Turn
from dialogs import loan_choice
from dialogs.callbacks import EarlyMode, EarlyStep
from dialogs.filters import Linked
from dialogs.menu import progress_lines
from dialogs.staff_time import case_filed_text
from dialogs.states import EarlyRepayment

MODES = ("shorter_term", "smaller_payment")
CENTS = Decimal("0.01")
#: Moves between the dialog's screens: a step's button, the states it is offered in, the state it leads to.
MOVES: dict[str, tuple[tuple[State, ...], State]] = {
    "amount": ((EarlyRepayment.mode, EarlyRepayment.estimate), EarlyRepayment.amount),
    "mode": ((EarlyRepayment.estimate,), EarlyRepayment.mode),
    "file": ((EarlyRepayment.estimate,), EarlyRepayment.confirm),
    "estimate": ((EarlyRepayment.confirm,), EarlyRepayment.estimate),
}


class EarlyDraft(Draft):
    """The amount and the effect asked for, and the date and payoff of the estimate the borrower saw."""

    amount: Decimal | None = Field(default=None, alias="early_amount")
    mode: str | None = Field(default=None, alias="early_mode")
    on_date: date | None = Field(default=None, alias="early_on_date")
    full: bool = Field(default=False, alias="early_full")  # the amount repays the loan in full
    #: Kept from the first answer, so the request filed again after a lost answer adds nothing to the case twice.
    key: str = Field(default_factory=new_key, alias="early_key")


def _mode_label(mode: str) -> str:
    return _("⏱ Shorter term") if mode == "shorter_term" else _("📉 Smaller payment")


def _loan_id(turn: Turn) -> int:
    """The selected loan: the dialog is entered only with one (`dialogs/selected_loan.py`)."""
    return turn.borrower.selected_loan_id


async def start(turn: Turn) -> None:
    await turn.reset()
    await turn.state.set_state(EarlyRepayment.amount)
    await ask_amount(turn)


async def start_with(turn: Turn, amount: Decimal | None, mode: str | None) -> None:
    """Entered from a typed request: the amount and the effect it named taken as if typed and chosen; without an
    amount (or one not above zero) the dialog asks for it as usual."""
    await turn.reset()
    await turn.state.set_state(EarlyRepayment.amount)
    if amount is None or amount <= 0:
        await ask_amount(turn)
        return
    await _take_amount(turn, amount, mode=mode if mode in MODES else None)


async def _nothing_to_repay(turn: Turn) -> None:
    await turn.reset()
    await turn.say(_("This loan is repaid in full: there is nothing to repay early."))
    await loan_choice.home(turn)


async def _open_loan(turn: Turn) -> LoanSummary | None:
    """The selected loan's summary; None after leading the borrower out when it is repaid."""
    summary = await turn.backend.summary(turn.user_id, _loan_id(turn))
    if summary.closed:
        await _nothing_to_repay(turn)
        return None
    return summary


async def ask_amount(turn: Turn) -> None:
    summary = await _open_loan(turn)
    if summary is None:
        return
    lines = [
        *progress_lines(turn, summary),
        _("Principal owed on {date}: {amount}.").format(
            date=turn.day(summary.on_date), amount=turn.money(summary.outstanding_principal)
        ),
        "",
        _("How much would you like to repay early? Write the amount in roubles, for example 150 000."),
    ]
    await turn.say("\n".join(lines), inline([[(_("⬅️ Back"), Nav(to="menu"))]]))


async def ask_mode(turn: Turn) -> None:
    amount = (await EarlyDraft.load(turn.state)).amount
    lines = [
        _("What should repaying {amount} early change?").format(amount=turn.money(amount)),
        "",
        _("⏱ Shorter term: you go on paying about the same each month and finish the loan sooner."),
        _("📉 Smaller payment: the loan ends on the same date and each monthly payment becomes smaller."),
    ]
    rows = [[(_mode_label(mode), EarlyMode(mode=mode))] for mode in MODES]
    await turn.say("\n".join(lines), inline([*rows, [(_("⬅️ Back"), EarlyStep(step="amount"))]]))


async def _estimate(turn: Turn, amount: Decimal, mode: str) -> EarlyRepaymentEstimate | None:
    """The backend engine's estimate; None when it refused, after telling the borrower why and where they are now."""
    try:
        return await turn.backend.estimate_early_repayment(turn.user_id, _loan_id(turn), amount=amount, mode=mode)
    except BackendError as exc:
        if exc.status not in (409, 422):
            raise
        await _refused(turn, exc)
        return None


async def ask_estimate(turn: Turn) -> None:
    await show_estimate(turn, await EarlyDraft.load(turn.state))


async def show_estimate(turn: Turn, draft: EarlyDraft) -> None:
    """The backend's estimate of `draft`; only once it came is the draft stored with it and the dialog at the estimate,
    so a failed estimate leaves both where the borrower was and the same button tried again asks it again."""
    estimate = await _estimate(turn, draft.amount, draft.mode)
    if estimate is None:
        return
    full = estimate.payoff is not None
    await draft.change(turn.state, on_date=estimate.on_date, full=full)
    await turn.state.set_state(EarlyRepayment.estimate)
    rows = [[(_("📝 File the request"), EarlyStep(step="file"))]]
    if full:
        rows.append([(_("⬅️ Back"), EarlyStep(step="amount")), (_("🏠 Menu"), Nav(to="menu"))])
    else:
        other = next(mode for mode in MODES if mode != estimate.mode)
        rows.append([(_("🔢 Another amount"), EarlyStep(step="amount")), (_("🔁 Other option"), EarlyMode(mode=other))])
        rows.append([(_("⬅️ Back"), EarlyStep(step="mode")), (_("🏠 Menu"), Nav(to="menu"))])
    await turn.say(estimate_text(turn, estimate), inline(rows))


async def _refused(turn: Turn, exc: BackendError) -> None:
    """The backend would not estimate: a closed loan leaves the dialog, anything else asks for the amount again."""
    if exc.status == 409:
        await _nothing_to_repay(turn)
        return
    await turn.say(_refusal_hint(turn, exc))
    await turn.state.set_state(EarlyRepayment.amount)
    await ask_amount(turn)


def _refusal_hint(turn: Turn, exc: BackendError) -> str:
    if exc.code == "amount_above_balance" and "balance" in exc.details:
        return _above_balance(turn, Decimal(str(exc.details["balance"])))
    return _("The bank cannot estimate a repayment of this amount now. Please try another amount.")


def _above_balance(turn: Turn, balance: Decimal) -> str:
    return _(
        "The most you can repay early is {balance}: the principal owed on the earliest repayment date, once the "
        "scheduled payments before it are made. Repaying all of it closes the loan: to do that, enter exactly "
        "{balance}."
    ).format(balance=turn.money(balance))


def estimate_text(turn: Turn, estimate: EarlyRepaymentEstimate) -> str:
    """The estimate in plain words: what changes, the interest saved, and how to file the request."""
    if estimate.payoff is not None:
        lines = _payoff_lines(turn, estimate, estimate.payoff)
    else:
        lines = [
            _("If you repay {amount} early on {date}:").format(
                amount=turn.money(estimate.amount), date=turn.day(estimate.on_date)
            ),
            *_change_lines(turn, estimate),
            _("• interest saved: {amount}.").format(amount=turn.money(estimate.interest_saved)),
            *_due_before_lines(turn, estimate),
        ]
        if estimate.overdue_amount > 0:
            lines += ["", _overdue_line(turn, estimate)]
    notice = ngettext(
        "The bank needs a written request at least {days} day before the repayment: to repay on {date}, "
        "file it by {apply_by}.",
        "The bank needs a written request at least {days} days before the repayment: to repay on {date}, "
        "file it by {apply_by}.",
        estimate.notice_days,
    )
    lines += [
        "",
        notice.format(days=estimate.notice_days, date=turn.day(estimate.on_date), apply_by=turn.day(estimate.apply_by)),
        _(
            "Press “File the request” and I will pass it to a specialist, who will contact you to complete it. "
            "Or call the bank on {phone}."
        ).format(phone=estimate.bank_phone),
    ]
    return "\n".join(lines)


def _payoff_lines(turn: Turn, estimate: EarlyRepaymentEstimate, payoff: Payoff) -> list[str]:
    """The exact sum that repays the loan on the date, itemised: principal, interest to that day, arrears."""
    lines = [
        _("To repay the loan in full on {date}, pay that day {total}:").format(
            date=turn.day(estimate.on_date), total=turn.money(payoff.total)
        ),
        _("• principal: {amount};").format(amount=turn.money(payoff.principal)),
    ]
    if payoff.interest > 0:
        lines.append(
            _("• interest from {since} to {date}: {amount};").format(
                since=turn.day(payoff.interest_since),
                date=turn.day(estimate.on_date),
                amount=turn.money(payoff.interest),
            )
        )
    if payoff.deferred_interest > 0:
        lines.append(
            _("• interest deferred by the payment holiday: {amount};").format(
                amount=turn.money(payoff.deferred_interest)
            )
        )
    if payoff.overdue_amount > 0:
        lines.append(_("• overdue payments: {amount};").format(amount=turn.money(payoff.overdue_amount)))
    lines += [
        *_due_before_lines(turn, estimate),
        _("The loan is closed once all of it is paid; there are no payments after that."),
        _("Interest saved against the schedule: {amount}.").format(amount=turn.money(estimate.interest_saved)),
    ]
    return lines


def _due_before_lines(turn: Turn, estimate: EarlyRepaymentEstimate) -> list[str]:
    """The installments due between today and the repayment date, which the figures take as paid."""
    if estimate.due_before <= 0:
        return []
    text = _("The payments falling due before then, {amount} in all, are paid on their dates as usual.")
    return [text.format(amount=turn.money(estimate.due_before))]


def _overdue_line(turn: Turn, estimate: EarlyRepaymentEstimate) -> str:
    """The arrears, calmly: they are due now whatever the borrower decides about repaying early."""
    return _(
        "Please note: {amount} has been overdue since {date}. It is due now, whatever you decide about repaying "
        "early. If paying is hard right now, call the bank on {phone}: there are ways to help, such as a payment "
        "holiday."
    ).format(
        amount=turn.money(estimate.overdue_amount), date=turn.day(estimate.overdue_since), phone=estimate.bank_phone
    )


def _change_lines(turn: Turn, estimate: EarlyRepaymentEstimate) -> list[str]:
    """The new payment or the new term."""
    if estimate.payment_after == estimate.payment_before:
        lines = [_("• the monthly payment stays {amount};").format(amount=turn.money(estimate.payment_after))]
    else:
        lines = [
            _("• monthly payment: {after} instead of {before};").format(
                after=turn.money(estimate.payment_after), before=turn.money(estimate.payment_before)
            )
        ]
    if estimate.installments_after == estimate.installments_before:
        lines.append(_("• the term stays: the last payment on {date};").format(date=turn.day(estimate.last_date_after)))
    else:
        lines.append(
            ngettext(
                "• {count} payment left instead of {before}; the last one on {date} instead of {old_date};",
                "• {count} payments left instead of {before}; the last one on {date} instead of {old_date};",
                estimate.installments_after,
            ).format(
                count=estimate.installments_after,
                before=estimate.installments_before,
                date=turn.day(estimate.last_date_after),
                old_date=turn.day(estimate.last_date_before),
            )
        )
    return lines


def request_text(turn: Turn, draft: EarlyDraft) -> str:
    """The request as the borrower confirms it and as staff read it."""
    if draft.full:
        template = _("Early repayment of {amount} on {date}, repaying the loan in full.")
    elif draft.mode == "shorter_term":
        template = _("Early repayment of {amount} on {date}, to shorten the term.")
    else:
        template = _("Early repayment of {amount} on {date}, to lower the monthly payment.")
    return template.format(amount=turn.money(draft.amount), date=turn.day(draft.on_date))


async def ask_confirm(turn: Turn) -> None:
    lines = [
        _("I will pass this request to the bank's specialists:"),
        request_text(turn, await EarlyDraft.load(turn.state)),
        "",
        _(
            "Nothing is repaid yet: a specialist will contact you to confirm the details and complete the written "
            "request. Send it?"
        ),
    ]
    rows = [
        [(_("✅ Confirm"), EarlyStep(step="confirm"))],
        [(_("⬅️ Back"), EarlyStep(step="estimate")), (_("🏠 Menu"), Nav(to="menu"))],
    ]
    await turn.say("\n".join(lines), inline(rows))


async def on_open(query: CallbackQuery, turn: Turn) -> None:
    await query.answer()
    await start(turn)


async def on_amount(message: Message, turn: Turn, value: Decimal | None) -> None:
    if value is None:
        hint = _("I could not read that as an amount. Please write it in digits, for example 150 000 or 150000,50.")
    elif value <= 0:
        hint = _("The amount must be above zero.")
    else:
        await _take_amount(turn, value)
        return
    await turn.say(hint)
    await ask_amount(turn)


async def _take_amount(turn: Turn, amount: Decimal, *, mode: str | None = None) -> None:
    """A sum the engine takes moves on to the mode (to the estimate when `mode` is already chosen). Its limit is the
    balance on the repayment date: a sum above the principal owed today is tried at that principal, so the borrower
    learns the exact maximum."""
    summary = await _open_loan(turn)
    if summary is None:
        return
    tried = min(amount, summary.outstanding_principal)
    estimate = await _estimate(turn, tried, MODES[0])
    if estimate is None:
        return
    if tried < amount:
        await turn.say(_above_balance(turn, estimate.balance_before))
        await ask_amount(turn)
        return
    draft = await (await EarlyDraft.load(turn.state)).change(turn.state, amount=amount.quantize(CENTS))
    if estimate.payoff is not None:  # the loan repaid in full: neither effect applies, so nothing to choose
        await show_estimate(turn, await draft.change(turn.state, mode=MODES[0]))
        return
    if mode is not None:
        await show_estimate(turn, await draft.change(turn.state, mode=mode))
        return
    await turn.state.set_state(EarlyRepayment.mode)
    await ask_mode(turn)


async def on_mode(query: CallbackQuery, callback_data: EarlyMode, turn: Turn) -> None:
    await query.answer()
    draft = await EarlyDraft.load(turn.state)
    await show_estimate(turn, draft.model_copy(update={"mode": callback_data.mode}))


async def on_move(query: CallbackQuery, callback_data: EarlyStep, turn: Turn) -> None:
    await query.answer()
    target = MOVES[callback_data.step][1]
    await turn.state.set_state(target)
    await SCREENS[target.state].ask(turn)


async def on_confirm(query: CallbackQuery, turn: Turn) -> None:
    """File the request once: the backend reuses the borrower's open case, and the dialog ends on success."""
    await query.answer()
    draft = await EarlyDraft.load(turn.state)
    summary, details = request_text(turn, draft), draft.model_dump(mode="json", include={"amount", "mode", "on_date"})
    case = await turn.backend.open_case(
        turn.user_id,
        reason="early_repayment",
        summary=summary,
        loan_id=_loan_id(turn),
        details=details,
        key=request_key(draft.key, summary, *details.values()),
    )
    await turn.reset()
    await turn.say(case_filed_text(turn, case), inline([[(_("🏠 Menu"), Nav(to="menu"))]]))


SCREENS: Screens = {
    EarlyRepayment.amount.state: Screen("text", ask_amount),
    EarlyRepayment.mode.state: Screen("buttons", ask_mode),
    EarlyRepayment.estimate.state: Screen("buttons", ask_estimate),
    EarlyRepayment.confirm.state: Screen("buttons", ask_confirm),
}


def router() -> Router:
    r = Router(name="early_repayment")
    r.message.filter(Linked())
    r.callback_query.filter(Linked())
    r.callback_query.register(on_open, Nav.filter(F.to == "early"), flags={"loan": True})
    r.message.register(on_amount, EarlyRepayment.amount, F.text, ~F.text.startswith("/"), flags={"reads": parse_amount})
    r.callback_query.register(
        on_mode, StateFilter(EarlyRepayment.mode, EarlyRepayment.estimate), EarlyMode.filter(F.mode.in_(MODES))
    )
    for step, (sources, _target) in MOVES.items():
        r.callback_query.register(on_move, StateFilter(*sources), EarlyStep.filter(F.step == step))
    r.callback_query.register(on_confirm, EarlyRepayment.confirm, EarlyStep.filter(F.step == "confirm"))
    return r
