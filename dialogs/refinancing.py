"""Refinancing and re-registration (family status, co-borrowers): a short form that becomes a staff case."""

from typing import Literal

from aiogram import F, Router, html
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from pydantic import Field

from bot.buttons import Nav
from bot.drafts import Draft, new_key, request_key
from bot.keyboards import inline
from bot.screens import Screen, Screens
from bot.turn import Turn
from dialogs import loan_choice
from dialogs.callbacks import RefinancingStep, RefinancingTopic
from dialogs.filters import Linked
from dialogs.staff_time import case_filed_text
from dialogs.states import Refinancing

Topic = Literal["refinancing", "family", "co_borrower"]
TOPICS: tuple[Topic, ...] = ("refinancing", "family", "co_borrower")
MIN_TEXT, MAX_TEXT = 3, 1000
#: How long the bank usually takes to review such a request: said as "usually", never promised.
REVIEW_WORKING_DAYS = 3


class RefinancingDraft(Draft):
    """The topic chosen and the borrower's own words, under the keys the form has always stored; `key` kept from
    the first answer, so the request filed again after a lost answer adds nothing to the case twice."""

    topic: Topic | None = Field(default=None, alias="refi_topic")
    text: str | None = Field(default=None, alias="refi_text")
    key: str = Field(default_factory=new_key, alias="refi_key")


def _topic_label(topic: str) -> str:
    return {
        "refinancing": _("💱 Refinancing"),
        "family": _("👪 Family status change"),
        "co_borrower": _("🤝 Co-borrower change"),
    }[topic]


def _case_reason(topic: str) -> str:
    return "refinancing" if topic == "refinancing" else "re_registration"


async def start(turn: Turn) -> None:
    await turn.reset()
    await turn.state.set_state(Refinancing.topic)
    await ask_topic(turn)


async def ask_topic(turn: Turn) -> None:
    lines = [
        _("What would you like to ask the bank about?"),
        "",
        _("💱 Refinancing: new terms for your loan, such as a lower rate."),
        _("👪 Family status change: marriage, divorce or a new family member, when the loan needs re-registering."),
        _("🤝 Co-borrower change: adding or removing a co-borrower."),
    ]
    rows = [[(_topic_label(topic), RefinancingTopic(topic=topic))] for topic in TOPICS]
    await turn.say("\n".join(lines), inline([*rows, [(_("⬅️ Back"), Nav(to="menu"))]]))


async def ask_description(turn: Turn) -> None:
    topic = (await RefinancingDraft.load(turn.state)).topic
    if topic is None:  # a draft lost its topic: the form's first question again
        await start(turn)
        return
    await turn.say(
        _("{topic}. In one message, please describe briefly what you would like (up to {limit} characters).").format(
            topic=_topic_label(topic), limit=MAX_TEXT
        ),
        inline([[(_("⬅️ Back"), RefinancingStep(step="topic"))]]),
    )


async def ask_confirm(turn: Turn) -> None:
    draft = await RefinancingDraft.load(turn.state)
    if draft.topic is None or draft.text is None:
        await start(turn)
        return
    lines = [
        _("Your request to the bank:"),
        _("Topic: {topic}").format(topic=_topic_label(draft.topic)),
        _("Your words: {text}").format(text=html.quote(draft.text)),
        "",
        ngettext(
            "The bank decides on such requests after reviewing them, usually within {count} working day; "
            "I cannot promise an outcome or a rate. A specialist will contact you to discuss it.",
            "The bank decides on such requests after reviewing them, usually within {count} working days; "
            "I cannot promise an outcome or a rate. A specialist will contact you to discuss it.",
            REVIEW_WORKING_DAYS,
        ).format(count=REVIEW_WORKING_DAYS),
    ]
    rows = [
        [(_("✅ Confirm"), RefinancingStep(step="confirm"))],
        [(_("✏️ Edit"), RefinancingStep(step="edit")), (_("✖️ Cancel"), RefinancingStep(step="cancel"))],
    ]
    await turn.say("\n".join(lines), inline(rows))


async def on_open(query: CallbackQuery, turn: Turn) -> None:
    await query.answer()
    await start(turn)


async def on_topic(query: CallbackQuery, callback_data: RefinancingTopic, turn: Turn) -> None:
    await query.answer()
    await (await RefinancingDraft.load(turn.state)).change(turn.state, topic=callback_data.topic)
    await turn.state.set_state(Refinancing.description)
    await ask_description(turn)


async def on_description(message: Message, turn: Turn) -> None:
    text = message.text.strip()
    if len(text) < MIN_TEXT:
        hint = _("That is too short for the bank to act on: please write a few words.")
    elif len(text) > MAX_TEXT:
        hint = _("That is longer than {limit} characters. Please shorten it.").format(limit=MAX_TEXT)
    else:
        await (await RefinancingDraft.load(turn.state)).change(turn.state, text=text)
        await turn.state.set_state(Refinancing.confirm)
        await ask_confirm(turn)
        return
    await turn.say(hint)
    await ask_description(turn)


async def on_back_to_topic(query: CallbackQuery, turn: Turn) -> None:
    await query.answer()
    await turn.state.set_state(Refinancing.topic)
    await ask_topic(turn)


async def on_edit(query: CallbackQuery, turn: Turn) -> None:
    await query.answer()
    await turn.state.set_state(Refinancing.description)
    await ask_description(turn)


async def on_cancel(query: CallbackQuery, turn: Turn) -> None:
    await query.answer()
    await turn.reset()
    await turn.say(_("Cancelled: nothing was sent to the bank."))
    await loan_choice.home(turn)


async def on_confirm(query: CallbackQuery, turn: Turn) -> None:
    """File the request once: the backend reuses the borrower's open case, and the form ends on success."""
    await query.answer()
    draft = await RefinancingDraft.load(turn.state)
    if draft.topic is None or draft.text is None:
        await start(turn)
        return
    case = await turn.backend.open_case(
        turn.user_id,
        reason=_case_reason(draft.topic),
        summary=draft.text,
        loan_id=turn.borrower.selected_loan_id,
        details={"topic": draft.topic},
        key=request_key(draft.key, draft.topic, draft.text),
    )
    await turn.reset()
    await turn.say(case_filed_text(turn, case), inline([[(_("🏠 Menu"), Nav(to="menu"))]]))


SCREENS: Screens = {
    Refinancing.topic.state: Screen("buttons", ask_topic),
    Refinancing.description.state: Screen("text", ask_description),
    Refinancing.confirm.state: Screen("buttons", ask_confirm),
}


def router() -> Router:
    r = Router(name="refinancing")
    r.message.filter(Linked())
    r.callback_query.filter(Linked())
    r.callback_query.register(on_open, Nav.filter(F.to == "refinancing"), flags={"loan": True})
    r.callback_query.register(on_topic, Refinancing.topic, RefinancingTopic.filter(F.topic.in_(TOPICS)))
    r.message.register(on_description, Refinancing.description, F.text, ~F.text.startswith("/"))
    r.callback_query.register(on_back_to_topic, Refinancing.description, RefinancingStep.filter(F.step == "topic"))
    r.callback_query.register(on_edit, Refinancing.confirm, RefinancingStep.filter(F.step == "edit"))
    r.callback_query.register(on_cancel, Refinancing.confirm, RefinancingStep.filter(F.step == "cancel"))
    r.callback_query.register(on_confirm, Refinancing.confirm, RefinancingStep.filter(F.step == "confirm"))
    return r
