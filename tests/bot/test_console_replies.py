"""Without a staff group the console is where a case is worked: a console reply reaches the borrower's chat (no topic
to mirror into), a take tells them who joined, a close hands the chat back with the survey; an unlinked chat's case
too, which is let go without a survey."""

from aiogram.methods import SendMessage
from sqlalchemy import select

from api.models import SupportCase
from bot.app.console_relay import ConsoleRelay
from dialogs.callbacks import Rate
from tests.api.outbox_helpers import session_of
from tests.bot.relay.console_helpers import MARIA, close, console_member, reply, take


async def newest_case(engine) -> SupportCase:
    async with session_of(engine) as db:
        return (await db.scalars(select(SupportCase).order_by(SupportCase.id.desc()))).first()


def told(session, chat_id: int) -> list[SendMessage]:
    return [c.method for c in session.log if isinstance(c.method, SendMessage) and c.method.chat_id == chat_id]


async def test_a_linked_borrowers_case_worked_entirely_in_the_console(engine, clock, linked, dispatcher, bot, session):
    chat = await linked()
    await chat.send("/operator")
    await chat.send("Не понимаю начисления")
    case = await newest_case(engine)
    assert case.topic_id is None
    maria = await console_member(engine)
    relay = ConsoleRelay(dispatcher, bot)

    await take(engine, clock, case.id, maria)
    await reply(engine, clock, case.id, maria, "Здравствуйте! Чем помочь?")
    await close(engine, clock, case.id, maria)
    assert [await relay.run_once() for _ in range(4)] == [1, 1, 1, 0]

    texts = [m.text for m in told(session, chat.user_id)]
    assert MARIA in texts[-4] and texts[-3] == "Здравствуйте! Чем помочь?"
    survey = told(session, chat.user_id)[-1]
    assert Rate(score=5).pack() in str(survey.reply_markup)
    assert all(getattr(c.method, "chat_id", None) in (chat.user_id, None) for c in session.log)  # no group at all


async def test_an_unlinked_chats_case_is_let_go_without_a_survey(engine, clock, chat_factory, dispatcher, bot, session):
    chat = chat_factory(2002)
    await chat.send("/start")
    await chat.send("/operator")
    await chat.send("Хочу поговорить с человеком")
    case = await newest_case(engine)
    assert case.borrower_id is None
    maria = await console_member(engine)
    await reply(engine, clock, case.id, maria, "Добрый день! Привяжите чат, и я посмотрю договор.")
    await close(engine, clock, case.id, maria)
    relay = ConsoleRelay(dispatcher, bot)
    assert [await relay.run_once() for _ in range(3)] == [1, 1, 0]

    last = told(session, chat.user_id)[-1]
    assert "/start" in last.text and last.reply_markup is None
    assert told(session, chat.user_id)[-2].text == "Добрый день! Привяжите чат, и я посмотрю договор."
