"""The satisfaction survey: a 1–5 rating and an optional comment, at most once a week, always dismissible; a score of
1–2 offers a person."""

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from pydantic import BaseModel, ConfigDict, Field

from bot.buttons import Nav
from bot.drafts import Draft, new_key, request_key
from bot.keyboards import inline
from bot.screens import Screen, Screens
from bot.staff_room import StaffRoom
from bot.turn import Turn
from dialogs import person
from dialogs.callbacks import Rate, SkipComment
from dialogs.filters import Linked
from dialogs.held_chat import leave_keyboard
from dialogs.states import Survey

SCORES = range(1, 6)
NOT_NOW = 0  # the survey's "Not now" button


class Subject(BaseModel):
    """What is rated: `general`, or a certificate, holiday or support case by its id."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    subject: str = "general"
    id: int | None = None


class SurveyDraft(Draft):
    """The subject (stored under `survey`) and the score given, under the keys the survey has always stored; the
    `rating_key` made with the survey, so a rating repeated after a lost answer is stored once."""

    survey: Subject = Subject()
    score: int | None = None
    rating_key: str = Field(default_factory=new_key)

    def request_key(self, comment: str | None) -> str:
        """The idempotency key of this survey's rating as given now: the same score and comment, the same key."""
        return request_key(self.rating_key, self.score, comment)


def _subject_line(subject: str) -> str:
    if subject == "certificate":
        return _("How satisfied are you with getting the certificate here?")
    if subject == "holiday":
        return _("How satisfied are you with how your application was handled?")
    if subject == "support_case":
        return _("How satisfied are you with the help you got from our staff?")
    return _("How satisfied are you with the assistant?")


async def offer_survey(turn: Turn, *, subject: str, subject_id: int | None) -> None:
    """Ask for a rating of `subject` unless a survey was offered in the last seven days or `subject` is a decision
    made long ago; the backend keeps count and judges."""
    if turn.borrower is None or not turn.borrower.survey_allowed:
        return
    if not await turn.backend.offer_survey(turn.user_id, subject=subject, subject_id=subject_id):
        return
    turn.borrower = turn.borrower.model_copy(update={"survey_allowed": False})
    await turn.profiles.remember(turn.user_id, turn.borrower)
    await turn.state.set_state(Survey.score)
    await SurveyDraft(survey=Subject(subject=subject, id=subject_id)).store(turn.state)
    await ask_score(turn)


async def open_survey(turn: Turn) -> None:
    """The borrower asked to rate the assistant: the survey at once (the weekly limit is on offering it unasked)."""
    await turn.reset()
    await turn.state.set_state(Survey.score)
    await SurveyDraft(survey=Subject()).store(turn.state)
    await ask_score(turn)


async def ask_score(turn: Turn) -> None:
    survey = (await SurveyDraft.load(turn.state)).survey
    await turn.say(
        _subject_line(survey.subject)
        + "\n"
        + _("Rate from 1 (bad) to 5 (excellent). It takes a second and helps us improve."),
        inline(
            [
                [(str(score) + " ⭐", Rate(score=score)) for score in SCORES],
                [(_("Not now"), Rate(score=NOT_NOW))],
            ]
        ),
    )


LOW_SCORES = frozenset({1, 2})  # the backend offers a person for these too


async def ask_comment(turn: Turn) -> None:
    """A low score is not thanked for: the borrower is asked what went wrong."""
    score = (await SurveyDraft.load(turn.state)).score
    await turn.say(
        _("I am sorry it was not good. What went wrong? Write it in one message, or skip.")
        if score in LOW_SCORES
        else _("Thank you! Would you like to add a comment? Write it in one message, or skip."),
        inline([[(_("Skip"), SkipComment())]]),
    )


async def on_score(query: CallbackQuery, callback_data: Rate, turn: Turn) -> None:
    await query.answer()
    await (await SurveyDraft.load(turn.state)).change(turn.state, score=callback_data.score)
    await turn.state.set_state(Survey.comment)
    await ask_comment(turn)


async def on_comment(message: Message, turn: Turn, staff_room: StaffRoom | None) -> None:
    comment = message.text.strip()
    if not await person.fits(turn, comment):
        await ask_comment(turn)
        return
    await _send(turn, comment or None, staff_room)


async def on_skip(query: CallbackQuery, turn: Turn, staff_room: StaffRoom | None) -> None:
    await query.answer()
    await _send(turn, None, staff_room)


async def _send(turn: Turn, comment: str | None, staff_room: StaffRoom | None) -> None:
    draft = await SurveyDraft.load(turn.state)
    if draft.score is None:  # the comment's state without a score: the rating is asked again
        await turn.state.set_state(Survey.score)
        await ask_score(turn)
        return
    result = await turn.backend.rate(
        turn.user_id,
        subject=draft.survey.subject,
        subject_id=draft.survey.id,
        score=draft.score,
        comment=comment,
        key=draft.request_key(comment),
    )
    await turn.reset()
    to_supervisor = result.offer_person and draft.survey.subject == "support_case" and staff_room is not None
    if to_supervisor and await _back_to_a_supervisor(turn, staff_room):
        return
    if result.offer_person:
        await turn.say(
            _("I am sorry it was not good enough. Would you like a person from the bank to look into it?"),
            person.offer_keyboard("low_rating"),
        )
        return
    await turn.say(_("Thank you for your rating!"), _menu())


async def _back_to_a_supervisor(turn: Turn, staff_room: StaffRoom) -> bool:
    """A low rating of the staff's help reopened the conversation for a supervisor: the chat goes back to the staff's
    topic, with the card showing why. False when the backend reopened nothing the chat can join."""
    borrower = await turn.refresh_borrower()
    if borrower.chat_case is None:
        return False
    await staff_room.post_card(turn.bot, await turn.backend.relay_case(borrower.chat_case.id))
    await turn.say(
        _(
            "I am sorry it was not good enough. A supervisor will look at your conversation and answer here; "
            "write if you want to add anything."
        ),
        leave_keyboard(),
    )
    return True


async def on_dismiss(query: CallbackQuery, turn: Turn) -> None:
    await query.answer()
    await turn.reset()
    await turn.say(_("Of course. I will not ask again for a while."), _menu())


def _menu():
    return inline([[(_("🏠 Menu"), Nav(to="menu"))]])


SCREENS: Screens = {
    Survey.score.state: Screen("buttons", ask_score),
    Survey.comment.state: Screen("text", ask_comment),
}


def router() -> Router:
    r = Router(name="feedback")
    r.message.filter(Linked())
    r.callback_query.filter(Linked())
    r.callback_query.register(on_score, StateFilter(Survey.score), Rate.filter(F.score.in_(SCORES)))
    r.callback_query.register(on_dismiss, StateFilter(Survey.score), Rate.filter(F.score == NOT_NOW))
    r.callback_query.register(on_skip, StateFilter(Survey.comment), SkipComment.filter())
    r.message.register(on_comment, StateFilter(Survey.comment), F.text)
    return r
