"""Reviewing a payment-holiday application: the law's pre-check explained, the summary with Edit and Confirm, the
consent, and sending it exactly once (the draft's idempotency key), then its proof."""

from aiogram import F, Router, html
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _

from bot.backend import BackendError
from bot.backend.holidays import HolidayPrecheck, HolidayProjection
from bot.buttons import Nav
from bot.files import Attachment
from bot.keyboards import columns, inline
from bot.screens import Screen, Screens
from bot.turn import Turn
from dialogs.callbacks import HolidayEdit, HolidayStep
from dialogs.file_checks import file_problem
from dialogs.holiday import status
from dialogs.holiday.draft import (
    Checked,
    HolidayDraft,
    back_row,
    contract_text,
    current,
    goto,
    months_text,
    payment_text,
    reason_label,
    save,
)
from dialogs.holiday.rules import explained, verdict
from dialogs.states import HolidayWizard as W

#: The answers the summary can change, and the question each one asks again.
EDITABLE = {
    "reason": W.reason,
    "income_before": W.income_before,
    "income_after": W.income_after,
    "months": W.months,
    "mode": W.mode,
    "start": W.start,
    "documents": W.documents,
}
#: The backend's refusals that mean an application is already there: it is shown instead.
ALREADY_SENT = ("holiday_already_pending", "idempotency_key_reused")


async def _precheck(turn: Turn) -> HolidayPrecheck | None:
    """The backend's pre-check of the draft, asked once per change of the application (kept in the draft); None (and
    the borrower told, the draft dropped) for a closed loan."""
    draft, _terms = await current(turn)
    application = draft.application()
    if draft.checked is not None and draft.checked.application == application:
        return draft.checked.result
    try:
        result = await turn.backend.holiday_precheck(turn.user_id, draft.loan_id, application)
    except BackendError as exc:
        if exc.code != "loan_closed":
            raise
        await not_applicable(turn)
        return None
    await draft.change(turn.state, checked=Checked(application=application, result=result))
    return result


async def not_applicable(turn: Turn) -> None:
    await turn.reset()
    await turn.say(
        _("This loan is repaid in full, so a payment holiday does not apply to it."),
        inline([[(_("🏠 Menu"), Nav(to="menu"))]]),
    )


async def ask_precheck(turn: Turn) -> None:
    if (result := await _precheck(turn)) is None:
        return
    await turn.say(explained(turn, result), inline([[(_("➡️ Continue"), HolidayStep(do="next"))], back_row()]))


async def on_next(query: CallbackQuery, turn: Turn) -> None:
    await query.answer()
    await goto(turn, W.summary)


def summary_lines(turn: Turn, draft: HolidayDraft) -> list[str]:
    application = draft.application()
    names = ", ".join(html.quote(f.file_name) for f in draft.documents) or _("none")
    payment = payment_text(turn, application.mode, application.reduced_payment)
    return [
        _("Reason: {reason}").format(reason=reason_label(application.reason)),
        _("Monthly income last year: {amount}").format(amount=turn.money(application.income_before)),
        _("Monthly income now: {amount}").format(amount=turn.money(application.income_after)),
        _("Length: {months}").format(months=months_text(application.months)),
        _("Payment during the holiday: {payment}").format(payment=payment),
        _("Start: {date}").format(date=turn.day(application.start_date)),
        _("Documents: {names}").format(names=names),
    ]


def projection_lines(turn: Turn, projection: HolidayProjection) -> list[str]:
    """The new end date from the engine's schedule with the holiday, and what becomes of money overdue today."""
    lines = [
        _(
            "What the holiday does to the loan: the {amount} left unpaid in its months is not written off but moves "
            "to the end, so the last payment moves from {old} to {new}."
        ).format(
            amount=turn.money(projection.moved_to_end),
            old=turn.day(projection.current_end_date),
            new=turn.day(projection.new_end_date),
        )
    ]
    now, after = projection.overdue_now, projection.overdue_after
    if now <= 0:
        return lines
    lines.append(
        _("Overdue today: {amount}, unpaid since {date}.").format(
            amount=turn.money(now), date=turn.day(projection.overdue_since)
        )
    )
    if after >= now:
        lines.append(
            _(
                "The holiday covers only payments due from its start, so this overdue amount is not covered: it stays "
                "due, and it is best to pay it as soon as you can."
            )
        )
    elif after > 0:
        lines.append(
            _(
                "Of it, {moved} falls due within the holiday and moves to the end with the rest; {due} fell due before "
                "the holiday's start and stays due: it is best to pay it as soon as you can."
            ).format(moved=turn.money(now - after), due=turn.money(after))
        )
    else:
        lines.append(_("All of it falls due within the holiday, so it moves to the end with the rest."))
    return lines


async def ask_summary(turn: Turn) -> None:
    if (result := await _precheck(turn)) is None:
        return
    draft, terms = await current(turn)
    contract = contract_text(turn, terms.contract_number, terms.contract_date)
    lines = [
        _("Your application:"),
        "",
        _("Loan: {contract}").format(contract=contract),
        *summary_lines(turn, draft),
        "",
        *(projection_lines(turn, result.projection) if result.projection else []),
        *([""] if result.projection else []),
        verdict(result),
        "",
        _("Is everything right?"),
    ]
    rows = [[(_("✏️ Edit"), HolidayStep(do="edit")), (_("✅ Confirm"), HolidayStep(do="confirm"))], back_row()]
    await turn.say("\n".join(lines), inline(rows))


async def on_summary(query: CallbackQuery, callback_data: HolidayStep, turn: Turn) -> None:
    await query.answer()
    await goto(turn, W.edit if callback_data.do == "edit" else W.consent)


async def ask_edit(turn: Turn) -> None:
    labels = {
        "reason": _("Reason"),
        "income_before": _("Income last year"),
        "income_after": _("Income now"),
        "months": _("Length"),
        "mode": _("Payment"),
        "start": _("Start date"),
        "documents": _("Documents"),
    }
    buttons = [(labels[name], HolidayEdit(field=name)) for name in EDITABLE]
    await turn.say(_("What would you like to change?"), inline([*columns(buttons, 2), back_row()]))


async def on_edit(query: CallbackQuery, callback_data: HolidayEdit, turn: Turn) -> None:
    await query.answer()
    await save(turn, editing=True)
    await goto(turn, EDITABLE[callback_data.field])


async def ask_consent(turn: Turn) -> None:
    await turn.say(
        _(
            "Before I send it, please confirm:\n"
            "• you agree that the bank processes the data of this application and its documents to consider it "
            "(law on personal data, 152-FZ);\n"
            "• what you have stated is true, and you will show the original documents if the bank asks.\n\n"
            "The bank's staff decide; I will tell you their decision here."
        ),
        inline([[(_("✅ I confirm, send it"), HolidayStep(do="submit"))], back_row()]),
    )


async def on_submit(query: CallbackQuery, turn: Turn) -> None:
    """Sent with the draft's key, so a double tap or a retry after a failure stores one application; the draft is
    dropped only once the application and its proof are with the bank. An application already there (sent before
    an answer was lost, or another one under review) is shown instead, with the draft's documents added to it."""
    await query.answer()
    draft, _terms = await current(turn)
    try:
        holiday = await turn.backend.apply_for_holiday(turn.user_id, draft.loan_id, draft.application(), key=draft.key)
    except BackendError as exc:
        await _refused(turn, exc, draft)
        return
    lines = [
        _(
            "Application № {number} is sent. The bank's staff will consider it and decide; "
            "I will tell you their decision here. You can follow it under My applications."
        ).format(number=holiday.id)
    ]
    lines += await _attach_all(turn, holiday.id, draft)
    await turn.reset()
    await turn.say("\n\n".join(lines), status.after_keyboard())


async def _refused(turn: Turn, exc: BackendError, draft: HolidayDraft) -> None:
    """A repaid loan: not applicable. An application already there: shown, with the draft's documents. Else raised."""
    holiday_id = exc.details.get("holiday_id")
    if exc.code == "loan_closed":
        await not_applicable(turn)
    elif exc.code in ALREADY_SENT and isinstance(holiday_id, int):
        lines = [_("An application for this loan is already with the bank. Here it is.")]
        lines += await _attach_all(turn, holiday_id, draft)
        await turn.reset()
        await turn.say("\n\n".join(lines))
        await status.open_application(turn, holiday_id)
    else:
        raise exc


async def _attach_all(turn: Turn, holiday_id: int, draft: HolidayDraft) -> list[str]:
    """Upload the draft's documents as proof; lines saying which were attached and why others were not."""
    results = [
        (f.file_name, await status.attach(turn, holiday_id, Attachment(**f.model_dump(), size=None), key=draft.key))
        for f in draft.documents
    ]
    attached = [html.quote(name) for name, code in results if code is None]
    lines = [_("Documents attached: {names}.").format(names=", ".join(attached))] if attached else []
    lines += [
        _("Not attached: {name}. {problem}").format(name=html.quote(name), problem=file_problem(turn, code))
        for name, code in results
        if code is not None
    ]
    if len(attached) < len(results):
        lines.append(_("You can send these again under My applications."))
    return lines


SCREENS: Screens = {
    W.precheck.state: Screen("buttons", ask_precheck),
    W.summary.state: Screen("buttons", ask_summary),
    W.edit.state: Screen("buttons", ask_edit),
    W.consent.state: Screen("buttons", ask_consent),
}


def router() -> Router:
    r = Router(name="holiday_review")
    r.callback_query.register(on_next, W.precheck, HolidayStep.filter(F.do == "next"))
    r.callback_query.register(on_summary, W.summary, HolidayStep.filter(F.do.in_({"edit", "confirm"})))
    r.callback_query.register(on_edit, W.edit, HolidayEdit.filter(F.field.in_(EDITABLE)))
    r.callback_query.register(on_submit, W.consent, HolidayStep.filter(F.do == "submit"))
    return r
