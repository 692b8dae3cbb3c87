"""What staff do in the web console reaches Telegram through the bot's relay tasks: a reply arrives in the borrower's
chat and under its author's name in the case's topic, a take and a close are told as `/take` and `/close` tell them
(the close with the survey), a note goes nowhere. A bot that stops mid-delivery neither repeats nor loses a reply."""

import pytest
from sqlalchemy import select

from api.models import CaseMessage, RelayTask, RelayTaskStatus
from bot.app.console_relay import ConsoleRelay
from dialogs.callbacks import Rate
from tests.api.outbox_helpers import session_of
from tests.bot.relay.console_helpers import MARIA, close, console_member, note, reply, take, upload
from tests.bot.relay.test_take_over import escalate, in_topic, the_case, topic_of
from tests.samples import pdf


def sent_to(telegram, chat_id: int) -> list:
    return [d for d in telegram.delivered_to(chat_id) if d.method in ("sendMessage", "sendDocument", "sendPhoto")]


async def escalated(linked, telegram, engine):
    chat = await linked()
    await escalate(chat)
    return chat, topic_of(telegram), await the_case(engine)


async def test_a_console_reply_reaches_the_borrower_and_the_topic_once(
    app, engine, clock, linked, telegram, dispatcher, bot
):
    chat, thread, case = await escalated(linked, telegram, engine)
    maria = await console_member(engine)
    before = len(sent_to(telegram, chat.user_id))
    await reply(engine, clock, case.id, maria, "Здравствуйте, Иван! <b>Пересчёт</b> после досрочного погашения.")
    relay = ConsoleRelay(dispatcher, bot)

    assert await relay.run_once() == 1
    assert await relay.run_once() == 0  # done: nothing to claim again

    [to_borrower] = sent_to(telegram, chat.user_id)[before:]
    # sent as written: HTML escaped, so Telegram shows the brackets rather than bold
    assert to_borrower.text == "Здравствуйте, Иван! &lt;b&gt;Пересчёт&lt;/b&gt; после досрочного погашения."
    mirrored = in_topic(telegram, thread)[-1]
    assert MARIA in mirrored.text and "Пересчёт" in mirrored.text
    async with session_of(engine) as db:
        [task] = (await db.scalars(select(RelayTask))).all()
    assert (task.status, task.borrower_message_id) == (RelayTaskStatus.DONE, to_borrower.message_id)


async def test_a_file_goes_to_the_borrower_and_its_telegram_id_to_the_topic_and_transcript(
    app, engine, clock, linked, telegram, dispatcher, bot
):
    chat, thread, case = await escalated(linked, telegram, engine)
    maria = await console_member(engine)
    message_id = await reply(
        engine, clock, case.id, maria, "График платежей", upload(pdf(), "график.pdf", "application/pdf")
    )
    await ConsoleRelay(dispatcher, bot).run_once()

    [document] = [d for d in telegram.delivered_to(chat.user_id) if d.method == "sendDocument"]
    assert (document.file_name, document.text) == ("график.pdf", "График платежей")
    [copy] = [d for d in in_topic(telegram, thread) if d.method == "sendDocument"]
    assert copy.file_id == document.file_id and MARIA in copy.text
    async with session_of(engine) as db:
        assert (await db.get(CaseMessage, message_id)).file_id == document.file_id


async def test_a_note_never_reaches_the_borrower_nor_the_topic(app, engine, clock, linked, telegram, dispatcher, bot):
    _, _, case = await escalated(linked, telegram, engine)
    maria = await console_member(engine)
    seen = len(telegram.deliveries)
    await note(engine, clock, case.id, maria, "Клиент раздражён, не предлагать страховку")
    assert await ConsoleRelay(dispatcher, bot).run_once() == 0
    assert telegram.deliveries[seen:] == []


async def test_take_and_close_from_the_console_are_told_as_in_the_topic_with_the_survey(
    app, engine, clock, linked, telegram, dispatcher, bot
):
    chat, thread, case = await escalated(linked, telegram, engine)
    maria = await console_member(engine)
    relay = ConsoleRelay(dispatcher, bot)
    await take(engine, clock, case.id, maria)
    await reply(engine, clock, case.id, maria, "Всё решено.")
    await close(engine, clock, case.id, maria)

    assert await relay.run_once() == 1  # a case's tasks one at a time, in order
    assert MARIA in telegram.delivered_to(chat.user_id)[-1].text  # "👤 Мария from the bank has joined the chat."
    assert MARIA in in_topic(telegram, thread)[-1].text
    assert await relay.run_once() == 1
    assert telegram.delivered_to(chat.user_id)[-1].text == "Всё решено."
    assert await relay.run_once() == 1
    assert telegram.topics[(-1001000000001, thread)].closed
    survey = telegram.delivered_to(chat.user_id)[-1]
    assert Rate(score=5).pack() in str(survey.reply_markup)
    await chat.press_data(Rate(score=4).pack())
    assert (await the_case(engine)).status == "closed"


async def test_a_bot_stopped_before_the_send_leaves_the_reply_to_the_next_claim(
    app, engine, clock, linked, telegram, dispatcher, bot, backend
):
    chat, _, case = await escalated(linked, telegram, engine)
    maria = await console_member(engine)
    before = len(sent_to(telegram, chat.user_id))
    await reply(engine, clock, case.id, maria, "Ответ после перезапуска")
    [lost] = await backend.claim_relay_tasks(limit=5, lease_seconds=60)  # the bot dies holding the claim
    assert await ConsoleRelay(dispatcher, bot).run_once() == 0  # leased: not yet anyone else's
    clock.advance(seconds=61)

    assert await ConsoleRelay(dispatcher, bot).run_once() == 1
    assert [d.text for d in sent_to(telegram, chat.user_id)[before:]] == ["Ответ после перезапуска"]
    assert lost.attempt == 1


async def test_a_bot_stopped_after_the_send_never_sends_it_again(
    app, engine, clock, linked, telegram, dispatcher, bot, backend, monkeypatch
):
    chat, _, case = await escalated(linked, telegram, engine)
    maria = await console_member(engine)
    before = len(sent_to(telegram, chat.user_id))
    await reply(engine, clock, case.id, maria, "Один раз")

    async def dies(*args, **kwargs):
        raise SystemExit  # the process ends between Telegram's answer and the report

    monkeypatch.setattr(type(backend), "relay_task_delivered", dies)
    with pytest.raises(SystemExit):
        await ConsoleRelay(dispatcher, bot).run_once()
    monkeypatch.undo()
    clock.advance(seconds=121)  # past the worker's lease
    assert await ConsoleRelay(dispatcher, bot).run_once() == 0

    assert [d.text for d in sent_to(telegram, chat.user_id)[before:]] == ["Один раз"]
    async with session_of(engine) as db:
        [task] = (await db.scalars(select(RelayTask))).all()
    assert task.status is RelayTaskStatus.FAILED and "Unconfirmed" in task.last_error


async def test_a_bot_stopped_after_delivery_only_mirrors_it_on_the_next_claim(
    app, engine, clock, linked, telegram, dispatcher, bot, backend, monkeypatch
):
    chat, thread, case = await escalated(linked, telegram, engine)
    maria = await console_member(engine)
    before = len(sent_to(telegram, chat.user_id))
    await reply(engine, clock, case.id, maria, "Зеркало потом")

    async def dies(*args, **kwargs):
        raise SystemExit

    monkeypatch.setattr(ConsoleRelay, "_mirror", dies)
    with pytest.raises(SystemExit):
        await ConsoleRelay(dispatcher, bot).run_once()
    monkeypatch.undo()
    assert not any("Зеркало потом" in (d.text or "") for d in in_topic(telegram, thread))
    clock.advance(seconds=121)  # past the worker's lease
    assert await ConsoleRelay(dispatcher, bot).run_once() == 1

    assert [d.text for d in sent_to(telegram, chat.user_id)[before:]] == ["Зеркало потом"]
    assert "Зеркало потом" in in_topic(telegram, thread)[-1].text


async def test_a_borrower_who_blocked_the_bot_closes_the_case(app, engine, clock, linked, telegram, dispatcher, bot):
    chat, thread, case = await escalated(linked, telegram, engine)
    maria = await console_member(engine)
    await reply(engine, clock, case.id, maria, "Вы здесь?")
    telegram.block(chat.user_id)
    await ConsoleRelay(dispatcher, bot).run_once()

    assert (await the_case(engine)).status == "closed"
    assert in_topic(telegram, thread)[-1].text == dispatcher["staff_voice"].line("blocked")
