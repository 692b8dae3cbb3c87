"""The fake Bot API through a real aiogram Bot: deliveries, Telegram's limits, misbehaving chats, forum topics."""

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import (
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)
from pydantic import SecretStr

from bot.connections import create_bot
from bot.settings import BotSettings
from fake_bot_api import FakeBotApi, Rejection

GROUP = -1001234567890


class Ticks:
    """Monotonic seconds the test moves by hand (binary fractions only, so sums stay exact)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def ticks() -> Ticks:
    return Ticks()


@pytest.fixture
async def fake(ticks: Ticks) -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(clock=ticks) as fake:
        yield fake


@pytest.fixture
async def bot(fake: FakeBotApi) -> AsyncIterator[Bot]:
    bot = create_bot(BotSettings(bot_token=SecretStr("42:TEST"), telegram_api_url=fake.url))
    yield bot
    await bot.session.close()


async def test_messages_are_recorded_with_markup_and_ids_per_chat(fake: FakeBotApi, bot: Bot, ticks: Ticks) -> None:
    keyboard = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="Pay", callback_data="pay:1")]])
    first = await bot.send_message(101, "Payment <b>due</b>", reply_markup=keyboard)
    await bot.send_message(102, "Hello")
    staff = await bot.send_message(GROUP, "New case")
    ticks.advance(1)
    again = await bot.send_message(101, "Again")

    assert (first.message_id, again.message_id, staff.message_id) == (1, 2, 1)
    assert (first.chat.type, staff.chat.type) == ("private", "supergroup")
    assert first.reply_markup.inline_keyboard[0][0].callback_data == "pay:1"
    assert [(d.method, d.chat_id, d.message_id, d.text, d.at) for d in fake.deliveries] == [
        ("sendMessage", 101, 1, "Payment <b>due</b>", 1000.0),
        ("sendMessage", 102, 1, "Hello", 1000.0),
        ("sendMessage", GROUP, 1, "New case", 1000.0),
        ("sendMessage", 101, 2, "Again", 1001.0),
    ]
    assert fake.deliveries[0].reply_markup == {"inline_keyboard": [[{"text": "Pay", "callback_data": "pay:1"}]]}
    assert fake.deliveries[1].reply_markup is None
    assert fake.delivered_to(101) == [fake.deliveries[0], fake.deliveries[3]]


async def test_a_reply_keyboard_is_recorded_but_not_echoed(fake: FakeBotApi, bot: Bot) -> None:
    keyboard = ReplyKeyboardMarkup(keyboard=[[KeyboardButton(text="Share phone", request_contact=True)]])

    sent = await bot.send_message(101, "Your phone?", reply_markup=keyboard)

    assert sent.reply_markup is None
    assert fake.deliveries[0].reply_markup == {"keyboard": [[{"text": "Share phone", "request_contact": True}]]}


async def test_the_31st_message_within_a_second_waits_for_the_window(fake: FakeBotApi, bot: Bot, ticks: Ticks) -> None:
    for chat_id in range(1, 31):
        await bot.send_message(chat_id, "Reminder")

    with pytest.raises(TelegramRetryAfter) as refused:
        await bot.send_message(31, "Reminder")
    assert refused.value.retry_after == 1
    ticks.advance(0.5)
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(31, "Reminder")
    ticks.advance(0.5)
    await bot.send_message(31, "Reminder")

    assert fake.count_429 == 2
    assert fake.rejections[0] == Rejection("sendMessage", 31, 429, 1, 1000.0)
    assert [d.at for d in fake.delivered_to(31)] == [1001.0]
    assert len(fake.deliveries) == 31


async def test_one_message_a_second_into_a_private_chat(fake: FakeBotApi, bot: Bot, ticks: Ticks) -> None:
    await bot.send_message(101, "First")
    ticks.advance(0.75)
    with pytest.raises(TelegramRetryAfter) as refused:
        await bot.send_message(101, "Second")
    await bot.send_message(102, "Another chat")
    ticks.advance(0.25)
    await bot.send_message(101, "Second")
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(101, "Third")

    assert refused.value.retry_after == 1
    assert [d.text for d in fake.delivered_to(101)] == ["First", "Second"]


async def test_twenty_messages_a_minute_into_a_group(fake: FakeBotApi, bot: Bot, ticks: Ticks) -> None:
    topic = await bot.create_forum_topic(GROUP, "Иван, case 17")  # topic methods do not count, messages do
    await bot.close_forum_topic(GROUP, topic.message_thread_id)
    await bot.reopen_forum_topic(GROUP, topic.message_thread_id)
    for _ in range(20):
        await bot.send_message(GROUP, "Borrower wrote", message_thread_id=topic.message_thread_id)
        ticks.advance(0.5)

    with pytest.raises(TelegramRetryAfter) as at_ten_seconds:
        await bot.send_message(GROUP, "Borrower wrote")
    ticks.advance(49.75)
    with pytest.raises(TelegramRetryAfter) as just_before_a_minute:
        await bot.send_message(GROUP, "Borrower wrote")
    ticks.advance(0.25)  # the first message, sent at 0 s, leaves the window at 60 s
    await bot.send_message(GROUP, "Borrower wrote")

    assert (at_ten_seconds.value.retry_after, just_before_a_minute.value.retry_after) == (50, 1)
    assert len(fake.delivered_to(GROUP)) == 21


async def test_blocked_forgotten_and_failing_chats(fake: FakeBotApi, bot: Bot) -> None:
    fake.block(7)
    fake.forget(8)
    fake.fail(9, times=2)
    fake.fail(10, status=502)

    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(7, "Reminder")
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(8, "Reminder")
    for _ in range(2):
        with pytest.raises(TelegramServerError, match="Internal Server Error"):
            await bot.send_message(9, "Reminder")
    await bot.send_message(9, "Reminder")  # the failed attempts did not use up the chat's second
    for _ in range(3):
        with pytest.raises(TelegramServerError, match="Bad Gateway"):
            await bot.send_message(10, "Reminder")

    assert [(r.chat_id, r.error_code) for r in fake.rejections] == [
        (7, 403),
        (8, 400),
        (9, 500),
        (9, 500),
        (10, 502),
        (10, 502),
        (10, 502),
    ]
    assert [d.chat_id for d in fake.deliveries] == [9]


async def test_refusals_on_demand_a_429_kept_for_its_wait_and_5xx(fake: FakeBotApi, bot: Bot, ticks: Ticks) -> None:
    fake.refuse(503, times=2, chat_id=9)
    fake.refuse(429, retry_after=3)
    with pytest.raises(TelegramServerError, match="Service Unavailable"):
        await bot.send_message(9, "first")  # the oldest refusal for this chat first
    with pytest.raises(TelegramRetryAfter) as flood:
        await bot.send_message(10, "second")  # any chat's
    assert flood.value.retry_after == 3
    ticks.advance(2.5)
    with pytest.raises(TelegramRetryAfter) as again:
        await bot.send_message(11, "too early")  # within the wait: refused again, whatever the windows say
    assert again.value.retry_after == 1
    ticks.advance(0.5)
    await bot.send_message(11, "waited")
    with pytest.raises(TelegramServerError):
        await bot.send_message(9, "third")
    await bot.send_message(9, "fourth")
    assert [(r.chat_id, r.error_code, r.retry_after) for r in fake.rejections] == [
        (9, 503, None),
        (10, 429, 3),
        (11, 429, 1),
        (9, 503, None),
    ]
    assert [d.text for d in fake.deliveries] == ["waited", "fourth"]
    with pytest.raises(ValueError, match="how long"):
        fake.refuse(429)


async def test_forum_topics_deleted_closed_and_reopened(fake: FakeBotApi, bot: Bot) -> None:
    topic = await bot.create_forum_topic(GROUP, "Иван, case 17")
    thread = topic.message_thread_id
    card = await bot.send_message(GROUP, "Summary card", message_thread_id=thread)
    assert await bot.edit_forum_topic(GROUP, thread, name="Иван, case 17 (holiday)")
    assert await bot.close_forum_topic(GROUP, thread)
    with pytest.raises(TelegramBadRequest, match="TOPIC_CLOSED"):
        await bot.send_message(GROUP, "Borrower wrote", message_thread_id=thread)
    assert await bot.reopen_forum_topic(GROUP, thread)
    await bot.send_message(GROUP, "Borrower wrote", message_thread_id=thread)
    fake.delete_topic(GROUP, thread)
    with pytest.raises(TelegramBadRequest, match="message thread not found"):
        await bot.send_message(GROUP, "Borrower wrote again", message_thread_id=thread)
    with pytest.raises(TelegramBadRequest, match="message thread not found"):
        await bot.reopen_forum_topic(GROUP, thread)
    with pytest.raises(TelegramBadRequest, match="message thread not found"):
        await bot.send_message(GROUP, "Never created", message_thread_id=999)
    second = await bot.create_forum_topic(GROUP, "Пётр, case 18", icon_color=0xFF93B2)
    assert await bot.delete_forum_topic(GROUP, second.message_thread_id)

    assert (topic.name, topic.icon_color) == ("Иван, case 17", 0x6FB9F0)
    assert (card.message_thread_id, card.is_topic_message) == (thread, True)
    assert card.message_id > thread
    assert second.message_thread_id > card.message_id and second.icon_color == 0xFF93B2
    assert fake.topics == {}
    assert [(d.text, d.thread_id) for d in fake.deliveries] == [("Summary card", thread), ("Borrower wrote", thread)]
    assert [r.error_code for r in fake.rejections] == [400, 400, 400, 400]


async def test_files_copies_and_forwards(fake: FakeBotApi, bot: Bot, ticks: Ticks) -> None:
    pdf = BufferedInputFile(b"%PDF-1.4 interest paid", filename="certificate-2025.pdf")
    document = await bot.send_document(101, pdf, caption="Your certificate")
    ticks.advance(1)
    photo = await bot.send_photo(101, "AgACAgIAAxkBAAI", caption="Scan")
    copy = await bot.copy_message(chat_id=GROUP, from_chat_id=101, message_id=5)
    forward = await bot.forward_message(chat_id=102, from_chat_id=GROUP, message_id=3)

    assert document.document.file_name == "certificate-2025.pdf"
    assert photo.photo[-1].file_id == "AgACAgIAAxkBAAI"
    assert (copy.message_id, forward.chat.id) == (1, 102)
    assert [(d.method, d.text, d.file_name, d.file_id, d.source) for d in fake.deliveries] == [
        ("sendDocument", "Your certificate", "certificate-2025.pdf", document.document.file_id, None),
        ("sendPhoto", "Scan", None, "AgACAgIAAxkBAAI", None),
        ("copyMessage", None, None, None, (101, 5)),
        ("forwardMessage", None, None, None, (GROUP, 3)),
    ]


async def test_a_bot_can_poll_it_and_unknown_methods_are_loud(fake: FakeBotApi, bot: Bot) -> None:
    me = await bot.get_me()
    updates = await bot.get_updates(timeout=30)
    with pytest.raises(TelegramNotFound, match="Not Found"):
        await bot.get_chat(101)

    assert (me.id, me.is_bot) == (42, True)
    assert updates == []
    assert fake.deliveries == fake.rejections == []


async def test_a_webhook_set_is_kept_and_sends_nothing(fake: FakeBotApi, bot: Bot) -> None:
    assert await bot.set_webhook("http://127.0.0.1:8443/telegram/webhook", secret_token="s" * 16)
    assert await bot.delete_webhook()

    assert fake.webhooks == ["http://127.0.0.1:8443/telegram/webhook"]
    assert fake.deliveries == fake.rejections == []
