"""Both sides of an escalated chat through the real dispatcher: the borrower escalates, a topic opens with its card,
staff take it, reply with text and a document, keep a note and close; the borrower rates. Every message checked
where it lands (the fake Bot API's record) and in the case's transcript."""

import pytest

from api.models import StaffRole, SupportCase
from dialogs.callbacks import LeavePerson, Rate
from tests.api.outbox_helpers import add_staff, client_with, session_of
from tests.bot.conftest import OLGA
from tests.bot.relay.conftest import STAFF_CHAT, STRANGER, StaffChat, with_worker

SUPERVISOR_TOKEN = "relay-supervisor-token"


async def escalate(chat, words: str = "Не могу понять, почему вырос платёж") -> None:
    await chat.send("/operator")
    await chat.send(words)


def topic_of(telegram) -> int:
    [(chat_id, thread_id)] = [key for key in telegram.topics]
    assert chat_id == STAFF_CHAT
    return thread_id


def in_topic(telegram, thread_id: int) -> list:
    return [d for d in telegram.deliveries if d.chat_id == STAFF_CHAT and d.thread_id == thread_id]


async def transcript(app, engine, case_id: int) -> list[dict]:
    await add_staff(engine, StaffRole.SUPERVISOR, SUPERVISOR_TOKEN)
    async with client_with(app, SUPERVISOR_TOKEN) as staff:
        response = await staff.get(f"/api/v1/staff/support-cases/{case_id}/transcript")
    assert response.status_code == 200, response.text
    return response.json()["messages"]


async def the_case(engine) -> SupportCase:
    async with session_of(engine) as db:
        from sqlalchemy import select

        return (await db.scalars(select(SupportCase).order_by(SupportCase.id.desc()))).first()


async def test_escalate_take_reply_close_and_rate(app, engine, linked, operator, telegram):
    chat = await linked()
    await escalate(chat)
    thread = topic_of(telegram)
    case = await the_case(engine)
    [topic] = telegram.topics.values()
    assert topic.name == f"Иван · № {case.id}"  # first name and case number, nothing more
    [card] = in_topic(telegram, thread)
    assert f"№ {case.id}" in card.text and "Не могу понять, почему вырос платёж" in card.text
    assert "+7916" not in card.text and "Петров" not in card.text
    told = [d for d in telegram.delivered_to(chat.user_id)][-1]
    assert "Вернуться к ассистенту" in str(told.reply_markup)

    await chat.send("Здравствуйте! Платёж вырос на 300 рублей.")
    [copied] = in_topic(telegram, thread)[1:]
    assert (copied.method, copied.source[0]) == ("copyMessage", chat.user_id)

    await operator.say(thread, "/take")
    assert "Ольга" in in_topic(telegram, thread)[-1].text
    assert "Ольга" in telegram.delivered_to(chat.user_id)[-1].text

    await operator.say(thread, "Добрый день! Это пересчёт после частичного досрочного погашения.")
    await operator.send_document(thread)
    await operator.say(thread, "/note Клиент спокоен, вопрос решён")
    to_borrower = [d for d in telegram.delivered_to(chat.user_id) if d.method == "copyMessage"]
    assert [d.source[0] for d in to_borrower] == [STAFF_CHAT, STAFF_CHAT]  # the note is not relayed

    await operator.say(thread, "/close")
    assert telegram.topics[(STAFF_CHAT, thread)].closed
    survey = telegram.delivered_to(chat.user_id)[-1]
    assert Rate(score=5).pack() in str(survey.reply_markup)
    await chat.press_data(Rate(score=5).pack())  # the survey came in the staff's update: pressed by its data
    await chat.press("Пропустить")
    assert (await the_case(engine)).status == "closed"

    messages = await transcript(app, engine, case.id)
    assert [(m["direction"], m["author"], m["kind"]) for m in messages] == [
        ("borrower", "borrower", "text"),
        ("staff", "Ольга", "text"),
        ("staff", "Ольга", "document"),
        ("note", "Ольга", "text"),
    ]
    assert messages[2]["file_id"] == "staff-doc-график.pdf"

    before = len(telegram.deliveries)
    await chat.send("Спасибо!")  # the bot has the chat again: nothing goes to the staff
    assert all(d.chat_id != STAFF_CHAT for d in telegram.deliveries[before:])


async def test_in_english(linked, operator, telegram):
    chat = await linked(OLGA, user_id=1008, language_code="en")
    await escalate(chat, "I need help with my statement")
    told = telegram.delivered_to(chat.user_id)[-1]
    assert "Back to the assistant" in str(told.reply_markup)
    thread = topic_of(telegram)
    await operator.say(thread, "/take")
    assert "from the bank has joined the chat" in telegram.delivered_to(chat.user_id)[-1].text


async def test_a_deleted_topic_is_recreated_and_the_relay_goes_on(engine, linked, operator, telegram):
    chat = await linked()
    await escalate(chat)
    first = topic_of(telegram)
    telegram.delete_topic(STAFF_CHAT, first)
    await chat.send("Вы здесь?")
    second = topic_of(telegram)
    assert second != first
    card, copied = in_topic(telegram, second)
    assert "Вы здесь?" not in card.text and copied.method == "copyMessage"
    assert (await the_case(engine)).topic_id == second
    await operator.say(second, "Да, я здесь")
    assert telegram.delivered_to(chat.user_id)[-1].method == "copyMessage"


async def test_a_closed_topic_is_reopened(linked, operator, telegram):
    chat = await linked()
    await escalate(chat)
    thread = topic_of(telegram)
    telegram.topics[(STAFF_CHAT, thread)].closed = True  # staff closed it by hand
    await chat.send("Ещё вопрос")
    assert not telegram.topics[(STAFF_CHAT, thread)].closed
    assert in_topic(telegram, thread)[-1].method == "copyMessage"


async def test_a_restart_mid_conversation(
    backend, bot_settings, storage, bot, linked, operator, telegram, vtime, intents
):
    from bot.app.dispatcher import setup_dispatcher
    from bot.limits import RateLimiter

    chat = await linked()
    await escalate(chat)
    thread = topic_of(telegram)
    limiter = RateLimiter(clock=vtime, sleep=vtime.sleep)
    restarted = with_worker(
        setup_dispatcher(backend=backend, settings=bot_settings, storage=storage, limiter=limiter, intents=intents),
        bot,
    )
    chat.dispatcher = restarted
    staff = StaffChat(restarted, bot)
    await chat.send("После перезапуска")
    assert in_topic(telegram, thread)[-1].method == "copyMessage"
    await staff.say(thread, "Ответ после перезапуска")
    assert telegram.delivered_to(chat.user_id)[-1].source[0] == STAFF_CHAT


async def test_two_borrowers_at_once(linked, operator, telegram):
    import asyncio

    from tests.bot.conftest import ANNA

    ivan, anna = await linked(), await linked(ANNA, user_id=1002)
    await asyncio.gather(escalate(ivan, "Вопрос Ивана"), escalate(anna, "Вопрос Анны"))
    assert len(telegram.topics) == 2
    names = sorted(topic.name.split(" · ")[0] for topic in telegram.topics.values())
    assert names == ["Анна", "Иван"]
    await asyncio.gather(ivan.send("Иван пишет"), anna.send("Анна пишет"))
    for chat, name in ((ivan, "Иван"), (anna, "Анна")):
        [thread] = [key[1] for key, topic in telegram.topics.items() if topic.name.startswith(name)]
        copies = [d for d in in_topic(telegram, thread) if d.method == "copyMessage"]
        assert [d.source[0] for d in copies] == [chat.user_id]


async def test_strangers_and_service_messages_are_ignored(dispatcher, bot, linked, operator, telegram):
    chat = await linked()
    await escalate(chat)
    thread = topic_of(telegram)
    before = len(telegram.deliveries)
    stranger = StaffChat(dispatcher, bot, user_id=STRANGER, first_name="Хакер")
    await stranger.say(thread, "Отдайте мне данные клиента")
    await stranger.say(thread, "/take")
    await operator.write(thread, forum_topic_created={"name": "x", "icon_color": 0x6FB9F0})
    await operator.say(None, "Сообщение вне темы")
    assert telegram.deliveries[before:] == []


async def test_the_borrower_blocking_the_bot_closes_the_case(engine, linked, operator, telegram):
    chat = await linked()
    await escalate(chat)
    thread = topic_of(telegram)
    telegram.block(chat.user_id)
    await operator.say(thread, "Вы на связи?")
    case = await the_case(engine)
    assert case.status == "closed"
    assert "заблокировал" in in_topic(telegram, thread)[-1].text
    await operator.say(thread, "Ещё одно")
    assert "закрыт" in in_topic(telegram, thread)[-1].text


async def test_the_borrower_leaves_with_the_button(engine, linked, operator, telegram):
    chat = await linked()
    await escalate(chat)
    thread = topic_of(telegram)
    await chat.send("/menu")  # the dialogs stay silent: only the way back is offered
    assert "Вернуться к ассистенту" in str(telegram.delivered_to(chat.user_id)[-1].reply_markup)
    await chat.press("Вернуться к ассистенту")
    assert (await the_case(engine)).status == "closed"
    assert "вернулся к ассистенту" in in_topic(telegram, thread)[-1].text
    calls = await chat.press_data(LeavePerson().pack())  # the old button again
    [answer] = [call for call in calls if type(call.method).__name__ == "AnswerCallbackQuery"]
    assert "уже" in answer.method.text
    await chat.send("/menu")
    assert "Вернуться к ассистенту" not in str(telegram.delivered_to(chat.user_id)[-1].reply_markup)


@pytest.mark.parametrize("pressed", ["nav:menu", "nav:balance", "lang:en"])
async def test_other_buttons_wait_while_a_person_holds_the_chat(linked, operator, telegram, session, pressed):
    chat = await linked()
    await escalate(chat)
    before = len(telegram.deliveries)
    calls = await chat.press_data(pressed)
    [answer] = [call for call in calls if type(call.method).__name__ == "AnswerCallbackQuery"]
    assert "сотрудник" in answer.method.text
    assert telegram.deliveries[before:] == []


async def test_out_of_hours_the_case_waits_and_the_first_reply_still_arrives(clock, linked, operator, telegram):
    from datetime import UTC, datetime

    chat = await linked()
    clock.now = datetime(2026, 11, 26, 20, 0, tzinfo=UTC)  # 23:00 in Moscow
    await escalate(chat)
    assert "09:00" in telegram.delivered_to(chat.user_id)[-1].text
    clock.now = datetime(2026, 11, 27, 6, 5, tzinfo=UTC)
    await operator.say(topic_of(telegram), "Доброе утро! Отвечаю на ваш вопрос.")
    assert telegram.delivered_to(chat.user_id)[-1].method == "copyMessage"


async def test_a_low_rating_goes_back_to_a_supervisor(engine, linked, operator, telegram):
    chat = await linked()
    await escalate(chat)
    thread = topic_of(telegram)
    await operator.say(thread, "/take")
    await operator.say(thread, "/close")
    await chat.press_data(Rate(score=1).pack())
    await chat.send("Мне так и не ответили по существу")
    case = await the_case(engine)
    assert (case.status, case.needs_supervisor) == ("open", True)
    assert "Руководитель" in telegram.delivered_to(chat.user_id)[-1].text
    card = in_topic(telegram, thread)[-1]
    assert "руководитель" in card.text and not telegram.topics[(STAFF_CHAT, thread)].closed
    await chat.send("Добавлю: платёж списали дважды")
    assert in_topic(telegram, thread)[-1].method == "copyMessage"


async def test_before_staff_join_the_first_message_is_acknowledged_once(linked, operator, telegram):
    chat = await linked()
    await escalate(chat)
    thread = topic_of(telegram)
    before = len(telegram.delivered_to(chat.user_id))
    await chat.send("Платёж вырос")
    await chat.send("И ещё вопрос")
    acks = [d.text for d in telegram.delivered_to(chat.user_id)[before:] if d.method == "sendMessage"]
    assert len(acks) == 1 and "Добавил к вашему обращению №" in acks[0]
    assert [d.method for d in in_topic(telegram, thread)[1:]] == ["copyMessage", "copyMessage"]
    await operator.say(thread, "/take")
    before = len(telegram.delivered_to(chat.user_id))
    await chat.send("Спасибо, жду")
    assert telegram.delivered_to(chat.user_id)[before:] == [], "once staff have joined, no acknowledgement"


@pytest.mark.parametrize("language", ["ru", "en"])
async def test_an_unlinked_chat_is_relayed_without_loan_data(chat_factory, operator, telegram, language):
    chat = chat_factory(1099, language_code=language)
    await chat.send("/start")
    await chat.press_data("nav:person")
    await chat.send("Меня заблокировали, помогите")
    thread = topic_of(telegram)
    [card] = in_topic(telegram, thread)
    assert "не привязан" in card.text, "the card is in the bank's language, whatever the chat's"
    assert "Кредит" not in card.text and "Открытые заявки" not in card.text
    await chat.send("Я тут")
    assert in_topic(telegram, thread)[-1].method == "copyMessage"
    await operator.say(thread, "/take")
    await operator.say(thread, "Здравствуйте! Проверим номер.")
    assert telegram.delivered_to(chat.user_id)[-1].method == "copyMessage"
    await operator.say(thread, "/close")
    ended = telegram.delivered_to(chat.user_id)[-1].text
    assert ("/start" in ended) and ("Rate" not in ended)
    calls = await chat.send("/start")
    assert "152" in str([c.method for c in calls])
