"""The borrower's payment-holiday applications: the list with statuses, one application with the staff's decision,
its withdrawal (confirmed first), more proof for it; a decided one offers the feedback survey."""

import hashlib

from aiogram import F, Router, html
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.backend import BackendError
from bot.backend.holidays import Holiday
from bot.buttons import Nav
from bot.drafts import request_key
from bot.files import Attachment, attachment_of
from bot.keyboards import inline
from bot.screens import Screen, Screens
from bot.turn import Turn
from dialogs import feedback
from dialogs.callbacks import HolidayAction, HolidayOpen, HolidayStep, HolidayWithdraw
from dialogs.file_checks import fetched, file_problem
from dialogs.holiday.draft import Viewed, goto, months_text, payment_text, reason_label
from dialogs.states import HolidayApplications as A

IDS = range(1, 2**63)
LISTED = 10  # the newest applications offered as buttons
ACTIONS = ("proof", "withdraw")
DECIDED = ("approved", "rejected")


def status_label(status: str) -> str:
    return {
        "submitted": _("⏳ under review"),
        "approved": _("✅ approved"),
        "rejected": _("❌ declined"),
        "withdrawn": _("↩️ withdrawn"),
    }.get(status, status)


def after_keyboard() -> InlineKeyboardMarkup:
    return inline([[(_("📋 My applications"), HolidayStep(do="list")), (_("🏠 Menu"), Nav(to="menu"))]])


async def attach(turn: Turn, holiday_id: int, attachment: Attachment, *, key: str) -> str | None:
    """Send a file the borrower gave to the backend as proof, under the draft's `key` and the file's content (the
    same file again, the same key); the code of why it was not attached, or None."""
    content, refusal = await fetched(turn, attachment)
    if content is None:
        return refusal
    try:
        await turn.backend.upload_proof(
            turn.user_id,
            holiday_id,
            upload=(attachment.file_name, content, attachment.content_type),
            key=request_key(key, holiday_id, hashlib.sha256(content).hexdigest()),
        )
    except BackendError as exc:
        return exc.code
    return None


# --- the list -------------------------------------------------------------------------------------------------


async def ask_listing(turn: Turn) -> None:
    holidays = await turn.backend.holidays(turn.user_id)
    if not holidays:
        text = _("You have no payment-holiday applications yet.")
    else:
        text = "\n".join([_("Your payment-holiday applications:"), "", *(_line(turn, h) for h in holidays)])
    buttons = [
        [(_("№ {number}: {status}").format(number=h.id, status=status_label(h.status)), HolidayOpen(holiday_id=h.id))]
        for h in holidays[:LISTED]
    ]
    await turn.say(text, inline([*buttons, [(_("⬅️ Back"), Nav(to="holiday")), (_("🏠 Menu"), Nav(to="menu"))]]))


def _line(turn: Turn, holiday: Holiday) -> str:
    return _("№ {number} of {created}: {status}; {months} from {start}, payment: {payment}").format(
        number=holiday.id,
        created=turn.day(holiday.created_at.date()),
        status=status_label(holiday.status),
        months=months_text(holiday.months),
        start=turn.day(holiday.start_date),
        payment=payment_text(turn, holiday.mode, holiday.reduced_payment),
    )


async def on_list(query: CallbackQuery, turn: Turn) -> None:
    await query.answer()
    await goto(turn, A.listing)


# --- one application ------------------------------------------------------------------------------------------


async def open_application(turn: Turn, holiday_id: int) -> None:
    """Show the application; a decided one is followed by the offer of the feedback survey."""
    holiday = await turn.backend.holiday(turn.user_id, holiday_id)
    await turn.state.set_state(A.detail)
    await Viewed(holiday_id=holiday.id).store(turn.state)
    await _show(turn, holiday)
    if holiday.status in DECIDED:
        await feedback.offer_survey(turn, subject="holiday", subject_id=holiday.id)


async def ask_detail(turn: Turn) -> None:
    await _show(turn, await _viewed(turn))


async def _viewed(turn: Turn) -> Holiday:
    return await turn.backend.holiday(turn.user_id, (await Viewed.load(turn.state)).holiday_id)


async def _show(turn: Turn, holiday: Holiday) -> None:
    names = ", ".join(html.quote(d.file_name) for d in holiday.documents) or _("none")
    lines = [
        _("Application № {number} of {created}").format(number=holiday.id, created=turn.day(holiday.created_at.date())),
        _("Status: {status}").format(status=status_label(holiday.status)),
    ]
    if holiday.decision_reason:
        lines.append(_("The staff's comment: {reason}").format(reason=html.quote(holiday.decision_reason)))
    lines += [
        "",
        _("Reason: {reason}").format(reason=reason_label(holiday.reason)),
        _("Length: {months}").format(months=months_text(holiday.months)),
        _("Payment during the holiday: {payment}").format(
            payment=payment_text(turn, holiday.mode, holiday.reduced_payment)
        ),
        _("Start: {date}").format(date=turn.day(holiday.start_date)),
        _("Documents: {names}").format(names=names),
    ]
    rows = []
    if holiday.status == "submitted":
        lines += ["", _("The staff are considering it; I will tell you their decision here.")]
        rows.append([(_("📎 Add documents"), HolidayAction(action="proof", holiday_id=holiday.id))])
        rows.append([(_("↩️ Withdraw"), HolidayAction(action="withdraw", holiday_id=holiday.id))])
    rows.append([(_("⬅️ Back"), HolidayStep(do="list")), (_("🏠 Menu"), Nav(to="menu"))])
    await turn.say("\n".join(lines), inline(rows))


async def on_open(query: CallbackQuery, callback_data: HolidayOpen, turn: Turn) -> None:
    await query.answer()
    try:
        await open_application(turn, callback_data.holiday_id)
    except BackendError as exc:
        if exc.status != 404:
            raise
        await turn.say(_("I cannot find that application. Please choose from the list."))
        await ask_listing(turn)


async def shown(query: CallbackQuery, callback_data: HolidayAction, state: FSMContext) -> bool:
    """The button belongs to the application on screen (an older screen's button is stale)."""
    return callback_data.holiday_id == (await Viewed.load(state)).holiday_id


async def on_action(query: CallbackQuery, callback_data: HolidayAction, turn: Turn) -> None:
    await query.answer()
    await goto(turn, A.proof if callback_data.action == "proof" else A.withdraw)


# --- withdrawal -----------------------------------------------------------------------------------------------


async def ask_withdraw(turn: Turn) -> None:
    number = (await Viewed.load(turn.state)).holiday_id
    await turn.say(
        _(
            "Withdraw application № {number}? The staff will stop considering it. A withdrawn application does not "
            "use up your once-per-contract holiday: you can apply again later."
        ).format(number=number),
        inline(
            [
                [
                    (_("Yes, withdraw"), HolidayWithdraw(confirmed=True)),
                    (_("No, keep it"), HolidayWithdraw(confirmed=False)),
                ]
            ]
        ),
    )


async def on_withdraw(query: CallbackQuery, callback_data: HolidayWithdraw, turn: Turn) -> None:
    await query.answer()
    holiday_id = (await Viewed.load(turn.state)).holiday_id
    if callback_data.confirmed:
        try:
            await turn.backend.withdraw_holiday(turn.user_id, holiday_id)
            await turn.say(_("Application № {number} is withdrawn.").format(number=holiday_id))
        except BackendError as exc:
            if exc.code != "holiday_not_pending":
                raise
            if exc.details.get("holiday_status") == "withdrawn":  # this very press, its first answer lost
                await turn.say(_("Application № {number} is withdrawn.").format(number=holiday_id))
            else:
                await turn.say(_("The staff have already decided on this application, so it cannot be withdrawn."))
    await goto(turn, A.detail)


# --- more proof -----------------------------------------------------------------------------------------------


async def ask_proof(turn: Turn) -> None:
    number = (await Viewed.load(turn.state)).holiday_id
    await turn.say(
        _(
            "Send documents for application № {number} as PDF files or photos, up to {size} MB each. "
            "Each one goes to the bank as soon as it arrives. Press Done when you have sent them all."
        ).format(number=number, size=turn.settings.max_upload_bytes >> 20),
        inline([[(_("✅ Done"), HolidayStep(do="done"))]]),
    )


async def on_proof(message: Message, turn: Turn) -> None:
    attachment = attachment_of(message)
    viewed = await Viewed.load(turn.state)
    code = await attach(turn, viewed.holiday_id, attachment, key=viewed.proof_key)
    name = html.quote(attachment.file_name)
    if code is None:
        await turn.say(_("Attached: {name}.").format(name=name))
    else:
        await turn.say(_("Not attached: {name}. {problem}").format(name=name, problem=file_problem(turn, code)))
    await (goto(turn, A.detail) if code == "holiday_not_pending" else ask_proof(turn))


async def on_proof_done(query: CallbackQuery, turn: Turn) -> None:
    await query.answer()
    await goto(turn, A.detail)


SCREENS: Screens = {
    A.listing.state: Screen("buttons", ask_listing),
    A.detail.state: Screen("buttons", ask_detail),
    A.withdraw.state: Screen("buttons", ask_withdraw),
    A.proof.state: Screen("file", ask_proof),
}


def router() -> Router:
    r = Router(name="holiday_status")
    r.callback_query.register(on_list, HolidayStep.filter(F.do == "list"))
    r.callback_query.register(on_open, A.listing, HolidayOpen.filter(F.holiday_id.in_(IDS)))
    r.callback_query.register(on_action, A.detail, HolidayAction.filter(F.action.in_(ACTIONS)), shown)
    r.callback_query.register(on_withdraw, A.withdraw, HolidayWithdraw.filter())
    r.message.register(on_proof, A.proof, F.document | F.photo)
    r.callback_query.register(on_proof_done, A.proof, HolidayStep.filter(F.do == "done"))
    return r
