"""The payment-holiday questions: reason, incomes before and after, length, full or reduced payment, start date,
optional documents; Back on every step, and a step changed from the summary returns to it."""

from datetime import date
from decimal import Decimal

from aiogram import F, Router, html
from aiogram.filters import StateFilter
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.calendar import date_picker
from bot.files import attachment_of
from bot.keyboards import columns, inline
from bot.parsing import parse_amount, parse_date
from bot.screens import Screen, Screens
from bot.turn import Turn
from dialogs.callbacks import (
    CalendarBlank,
    DatePage,
    HolidayModePick,
    HolidayMonths,
    HolidayReasonPick,
    HolidayStep,
    PickDate,
)
from dialogs.file_checks import file_problem, judged
from dialogs.holiday.draft import DraftFile, amount, back_row, current, draft_of, goto, reason_label, save
from dialogs.holiday.offered import Offered, months_offered
from dialogs.states import HolidayWizard as W

#: Where Back leads from each step (the start's depends on the mode, the reason's on whether a loan was chosen among
#: several); a step changed from the summary goes back there.
PREVIOUS = {
    W.loan: W.intro,
    W.reason: W.intro,
    W.income_before: W.reason,
    W.income_after: W.income_before,
    W.months: W.income_after,
    W.mode: W.months,
    W.reduced_payment: W.mode,
    W.documents: W.start,
    W.precheck: W.documents,
    W.summary: W.precheck,
    W.edit: W.summary,
    W.consent: W.summary,
}
NEXT = {
    W.reason: W.income_before,
    W.income_before: W.income_after,
    W.income_after: W.months,
    W.months: W.mode,
    W.mode: W.start,
    W.reduced_payment: W.start,
    W.start: W.documents,
    W.documents: W.precheck,
}
QUESTIONS = {W.reason, W.income_before, W.income_after, W.months, W.mode, W.start, W.documents}
ORDINALS = range(1, date.max.toordinal() + 1)
BY_NAME = {state.state: state for state in W.__all_states__}


async def advance(turn: Turn, answered: State) -> None:
    """The next question, or the summary when the answer changed one from there."""
    draft, _terms = await current(turn)
    if draft.editing and answered in QUESTIONS | {W.reduced_payment}:
        await save(turn, editing=False)
        await goto(turn, W.summary)
        return
    await goto(turn, NEXT[answered])


async def on_back(query: CallbackQuery, turn: Turn) -> None:
    await query.answer()
    step = BY_NAME[await turn.state.get_state()]
    draft = await draft_of(turn)  # none yet while the loan is chosen
    if draft is not None and draft.editing and step in QUESTIONS:
        await save(turn, editing=False)
        await goto(turn, W.summary)
    elif step == W.start:
        await goto(turn, W.reduced_payment if draft is not None and draft.mode == "reduced" else W.mode)
    elif step == W.reason and draft is not None and draft.chosen_loan:
        await goto(turn, W.loan)
    else:
        await goto(turn, PREVIOUS[step])


# --- reason ---------------------------------------------------------------------------------------------------


async def ask_reason(turn: Turn) -> None:
    _draft, terms = await current(turn)
    buttons = [(reason_label(code), HolidayReasonPick(code=code)) for code in terms.reasons]
    await turn.say(
        _("What has happened? Choose the reason closest to yours."), inline([*columns(buttons, 2), back_row()])
    )


async def on_reason(query: CallbackQuery, callback_data: HolidayReasonPick, turn: Turn) -> None:
    await query.answer()
    await save(turn, reason=callback_data.code)
    await advance(turn, W.reason)


# --- incomes --------------------------------------------------------------------------------------------------


async def ask_income_before(turn: Turn) -> None:
    await turn.say(
        _(
            "What was your average monthly income last year, before things changed? "
            "Send the amount in roubles, for example 120 000."
        ),
        inline([back_row()]),
    )


async def ask_income_after(turn: Turn) -> None:
    await turn.say(
        _("And what is your monthly income now? Send the amount in roubles, or 0 if there is none."),
        inline([back_row()]),
    )


def _income_problem(turn: Turn, income: Decimal | None, most: Decimal) -> str | None:
    if income is None:
        return _("I could not read that as an amount. Please send a number of roubles, for example 120 000.")
    if income < 0:
        return _("An income cannot be negative. Please send the amount, or 0 if there is none.")
    if income > most:
        return _("That is more than {limit} a month, which looks like a typo. Please check the amount.").format(
            limit=turn.money(most)
        )
    return None


async def on_income(message: Message, turn: Turn, value: Decimal | None) -> None:
    step, ask, key = (
        (W.income_before, ask_income_before, "income_before")
        if await turn.state.get_state() == W.income_before.state
        else (W.income_after, ask_income_after, "income_after")
    )
    _draft, terms = await current(turn)
    if problem := _income_problem(turn, value, terms.max_income):
        await turn.say(problem)
        await ask(turn)
        return
    await save(turn, **{key: amount(value)})
    await advance(turn, step)


# --- length and payment ---------------------------------------------------------------------------------------


async def ask_months(turn: Turn) -> None:
    _draft, terms = await current(turn)
    buttons = [(str(count), HolidayMonths(count=count)) for count in months_offered(terms)]
    await turn.say(
        _("For how many months do you need the holiday? The law allows {least} to {most}.").format(
            least=terms.min_months, most=terms.max_months
        ),
        inline([buttons, back_row()]),
    )


async def on_months(query: CallbackQuery, callback_data: HolidayMonths, turn: Turn) -> None:
    await query.answer()
    await save(turn, months=callback_data.count)
    await advance(turn, W.months)


async def ask_mode(turn: Turn) -> None:
    _draft, terms = await current(turn)
    text = _("During the holiday, would you rather pay nothing at all, or keep paying a smaller amount?")
    text += "\n" + _("Your regular payment is {amount}.").format(amount=turn.money(terms.monthly_payment))
    rows = [
        [(_("⏸ Pay nothing"), HolidayModePick(mode="full"))],
        [(_("➖ Pay a smaller amount"), HolidayModePick(mode="reduced"))],
        back_row(),
    ]
    await turn.say(text, inline(rows))


async def on_mode(query: CallbackQuery, callback_data: HolidayModePick, turn: Turn) -> None:
    """A full holiday is saved at once; a reduced one only with its amount, so the draft never holds half of it."""
    await query.answer()
    if callback_data.mode == "reduced":
        await goto(turn, W.reduced_payment)
        return
    await save(turn, mode="full", reduced_payment=None)
    await advance(turn, W.mode)


async def ask_reduced_payment(turn: Turn) -> None:
    _draft, terms = await current(turn)
    text = _("How much could you pay each month during the holiday? Send the amount in roubles.")
    text += "\n" + _("It must be more than zero and less than your regular payment of {amount}.").format(
        amount=turn.money(terms.monthly_payment)
    )
    await turn.say(text, inline([back_row()]))


async def on_reduced_payment(message: Message, turn: Turn, value: Decimal | None) -> None:
    _draft, terms = await current(turn)
    payment = terms.monthly_payment
    if value is None:
        problem = _("I could not read that as an amount. Please send a number of roubles, for example 15 000.")
    elif value <= 0:
        problem = _("The payment must be more than zero. To pay nothing, go back and choose to pay nothing.")
    elif value >= payment:
        problem = _("The payment must be less than your regular payment of {amount}.").format(
            amount=turn.money(payment)
        )
    else:
        await save(turn, mode="reduced", reduced_payment=amount(value))
        await advance(turn, W.reduced_payment)
        return
    await turn.say(problem)
    await ask_reduced_payment(turn)


# --- start date -----------------------------------------------------------------------------------------------


async def ask_start(turn: Turn) -> None:
    draft, terms = await current(turn)
    today, earliest, latest = terms.on_date, terms.earliest_start, terms.latest_start
    page = date.fromordinal(draft.page) if draft.page else today
    picker = date_picker(
        page,
        earliest=earliest,
        latest=latest,
        locale=turn.locale,
        pick=lambda day: PickDate(ordinal=day.toordinal()),
        page=lambda day: DatePage(ordinal=day.toordinal()),
        blank=CalendarBlank(),
    )
    back = [InlineKeyboardButton(text=label, callback_data=data.pack()) for label, data in back_row()]
    await turn.say(
        _(
            "From which day should the holiday start? Choose it below or type it, for example {example}. "
            "The start may be backdated by up to 2 months: any day from {earliest} to {latest}."
        ).format(example=today.strftime("%d.%m.%Y"), earliest=turn.day(earliest), latest=turn.day(latest)),
        InlineKeyboardMarkup(inline_keyboard=[*picker.inline_keyboard, back]),
    )


async def _take_start(turn: Turn, day: date | None) -> None:
    """The start if it is a day within the range, else why not and the question again."""
    _draft, terms = await current(turn)
    earliest, latest = terms.earliest_start, terms.latest_start
    if day is None:
        await turn.say(_("I could not read that as a date. Please type it as DD.MM.YYYY or choose a day below."))
    elif not earliest <= day <= latest:
        await turn.say(
            _("The start must be a day from {earliest} to {latest}.").format(
                earliest=turn.day(earliest), latest=turn.day(latest)
            )
        )
    else:
        await save(turn, start_date=day, page=None)
        await advance(turn, W.start)
        return
    await ask_start(turn)


async def on_start_typed(message: Message, turn: Turn, value: date | None) -> None:
    await _take_start(turn, value)


async def on_start_picked(query: CallbackQuery, callback_data: PickDate, turn: Turn) -> None:
    await query.answer()
    await _take_start(turn, date.fromordinal(callback_data.ordinal))


async def on_page(query: CallbackQuery, callback_data: DatePage, turn: Turn) -> None:
    await query.answer()
    await save(turn, page=callback_data.ordinal)
    await ask_start(turn)


async def on_blank(query: CallbackQuery) -> None:
    await query.answer()


# --- documents ------------------------------------------------------------------------------------------------


def _proof_hint(reason: str | None) -> str:
    return {
        "job_loss": _("the employment centre's record that you are registered as unemployed"),
        "income_drop": _("an income statement for last year and for the recent months"),
        "sick_leave": _("the sick-leave certificate showing more than 2 months in a row"),
        "disability": _("the certificate of disability of group I or II"),
        "new_dependant": _(
            "a document about the new dependant (for example, a birth certificate) and an income statement"
        ),
    }.get(reason or "", _("any document that shows what has happened"))


async def ask_documents(turn: Turn) -> None:
    draft, terms = await current(turn)
    files = draft.documents
    size = min(terms.max_file_bytes, turn.settings.max_upload_bytes) >> 20  # what the backend keeps and the bot fetches
    lines = [
        _(
            "Documents help the staff decide: {proof}. Send them here as PDF files or photos, up to {count} files "
            "of up to {size} MB each. This is optional: you can also add them later under My applications."
        ).format(proof=_proof_hint(draft.reason), count=terms.max_files, size=size)
    ]
    if files:
        lines.append(_("Received: {names}.").format(names=", ".join(html.quote(f.file_name) for f in files)))
    done = (_("✅ Done"), HolidayStep(do="done")) if files else (_("⏭ Skip"), HolidayStep(do="done"))
    await turn.say("\n\n".join(lines), inline([[done], back_row()]))


async def on_document(message: Message, turn: Turn) -> None:
    """Judged as it arrives (the backend's rule on the bytes), so a file that will not do is refused now with the
    reason and never reaches the summary; the draft keeps only Telegram's id of a file that passed."""
    attachment = attachment_of(message)
    draft, terms = await current(turn)
    name = html.quote(attachment.file_name)
    if any(f.file_id == attachment.file_id for f in draft.documents):
        await turn.say(_("I already have this file."))
    elif len(draft.documents) >= terms.max_files:
        await turn.say(
            _("I take up to {count} files here. Press Done; you can add more after sending.").format(
                count=terms.max_files
            )
        )
    else:
        content_type, refusal = await judged(turn, attachment)
        if refusal is not None:
            await turn.say(_("Not taken: {name}. {problem}").format(name=name, problem=file_problem(turn, refusal)))
        else:
            kept = DraftFile(file_id=attachment.file_id, file_name=attachment.file_name, content_type=content_type)
            draft, _terms = await current(turn)
            await draft.change(turn.state, documents=(*draft.documents, kept))
            await turn.say(_("Got it: {name}.").format(name=name))
    await ask_documents(turn)


async def on_documents_done(query: CallbackQuery, turn: Turn) -> None:
    await query.answer()
    await advance(turn, W.documents)


SCREENS: Screens = {
    W.reason.state: Screen("buttons", ask_reason),
    W.income_before.state: Screen("text", ask_income_before),
    W.income_after.state: Screen("text", ask_income_after),
    W.months.state: Screen("buttons", ask_months),
    W.mode.state: Screen("buttons", ask_mode),
    W.reduced_payment.state: Screen("text", ask_reduced_payment),
    W.start.state: Screen("text", ask_start),
    W.documents.state: Screen("file", ask_documents),
}


def router() -> Router:
    r = Router(name="holiday_wizard")
    back_states = StateFilter(*PREVIOUS, W.start)
    r.callback_query.register(on_back, back_states, HolidayStep.filter(F.do == "back"))
    reasons = Offered(lambda data: data.code, lambda terms: terms.reasons)
    r.callback_query.register(on_reason, W.reason, HolidayReasonPick.filter(), reasons)
    r.message.register(on_income, StateFilter(W.income_before, W.income_after), F.text, flags={"reads": parse_amount})
    r.callback_query.register(
        on_months, W.months, HolidayMonths.filter(), Offered(lambda data: data.count, months_offered)
    )
    r.callback_query.register(
        on_mode, W.mode, HolidayModePick.filter(), Offered(lambda data: data.mode, lambda t: t.modes)
    )
    r.message.register(on_reduced_payment, W.reduced_payment, F.text, flags={"reads": parse_amount})
    r.message.register(on_start_typed, W.start, F.text, flags={"reads": parse_date})
    r.callback_query.register(on_start_picked, W.start, PickDate.filter(F.ordinal.in_(ORDINALS)))
    r.callback_query.register(on_page, W.start, DatePage.filter(F.ordinal.in_(ORDINALS)))
    r.callback_query.register(on_blank, W.start, CalendarBlank.filter())
    r.message.register(on_document, W.documents, F.document | F.photo)
    r.callback_query.register(on_documents_done, W.documents, HolidayStep.filter(F.do == "done"))
    return r
