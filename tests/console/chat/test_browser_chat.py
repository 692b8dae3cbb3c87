"""A live chat both ways in real headless Chromium: the borrower, driven through the real dispatcher with every Bot
API call going to the fake Bot API, escalates; an operator signed in with password and TOTP opens the case's chat
page; what the borrower writes appears on the open page without a reload; the operator's reply (typed, and a canned
one inserted with "/"), a private note, the take and the close go out through the bot's relay tasks: the replies
reach the borrower's chat and the staff topic, the note nowhere, and the close brings the survey."""

from api.console.chat import canned
from api.models import StaffRole
from bot.app.console_relay import ConsoleRelay
from dialogs.callbacks import Rate
from tests.bot.conftest import backend, chat_factory, demo, intents, linked, storage, switch  # noqa: F401 (fixtures)
from tests.bot.relay.conftest import bot, bot_settings, dispatcher, session, telegram, vtime  # noqa: F401 (fixtures)
from tests.bot.relay.test_take_over import escalate, in_topic, the_case, topic_of
from tests.console.browser import expect
from tests.console.helpers import shoot

WAIT_MS = 10_000


async def test_a_live_chat_both_ways(
    app,
    engine,
    clock,
    page,
    signed_in,
    staff_login,
    linked,  # noqa: F811 (the bot tests' fixtures)
    telegram,  # noqa: F811
    dispatcher,  # noqa: F811
    bot,  # noqa: F811
):
    chat = await linked()
    await escalate(chat, "Почему вырос платёж в этом месяце?")
    thread, case = topic_of(telegram), await the_case(engine)
    boss = await staff_login(StaffRole.SUPERVISOR, name="Анна Смирнова")
    async with app.state.sessionmaker() as db:
        await canned.add(
            db, staff=boss.member, title="Часы работы", text="Мы работаем с 9 до 18 по Москве.", now=clock()
        )
    login = await staff_login(StaffRole.OPERATOR, name="Ольга Петрова")
    relay = ConsoleRelay(dispatcher, bot)

    await signed_in(page, login, f"/console/cases/{case.id}")
    await page.wait_for_selector("#chat[data-live=true]", timeout=WAIT_MS)
    assert "Почему вырос платёж в этом месяце?" in await page.locator("#case-header .summary").inner_text()
    await page.evaluate("window.stillTheSamePage = true")

    await chat.send("Я на связи, жду ответа")  # the borrower writes while the page is open
    await page.locator("#transcript .line.borrower", has_text="Я на связи, жду ответа").wait_for(timeout=WAIT_MS)
    assert await page.evaluate("window.stillTheSamePage") is True  # no reload
    await shoot(page, "console-chat-borrower-message")

    await page.keyboard.press("t")  # take
    await page.locator("#case-status", has_text="Ольга Петрова").wait_for(timeout=WAIT_MS)
    assert await relay.run_once() == 1
    assert "Ольга Петрова" in telegram.delivered_to(chat.user_id)[-1].text
    assert "Ольга Петрова" in in_topic(telegram, thread)[-1].text

    await page.keyboard.press("r")  # reply
    await page.keyboard.type("Добрый день! Платёж вырос после окончания льготного периода.")
    await page.keyboard.press("Control+Enter")
    await page.locator("#transcript .line.staff", has_text="льготного периода").wait_for(timeout=WAIT_MS)
    assert await page.locator("#reply").input_value() == ""
    assert await relay.run_once() == 1
    await page.locator("#transcript .line.staff .delivery.delivered").wait_for(timeout=WAIT_MS)
    assert (
        telegram.delivered_to(chat.user_id)[-1].text == "Добрый день! Платёж вырос после окончания льготного периода."
    )
    mirrored = in_topic(telegram, thread)[-1].text
    assert "Ольга Петрова" in mirrored and "льготного периода" in mirrored

    await page.locator("#reply").focus()
    await page.keyboard.type("/")  # the canned replies
    await page.locator("#canned").wait_for(state="visible", timeout=WAIT_MS)
    await page.keyboard.type("час")
    await shoot(page, "console-chat-canned")
    await page.keyboard.press("Enter")
    assert await page.locator("#reply").input_value() == "Мы работаем с 9 до 18 по Москве."
    await page.keyboard.press("Control+Enter")
    await page.locator("#transcript .line.staff", has_text="с 9 до 18").wait_for(timeout=WAIT_MS)

    await page.keyboard.press("Escape")  # out of the reply box
    await page.keyboard.press("n")  # a private note
    await page.keyboard.type("Клиент спокоен, льготный период закончился в октябре")
    await page.keyboard.press("Control+Enter")
    await page.locator("#transcript .line.note", has_text="льготный период закончился").wait_for(timeout=WAIT_MS)
    assert await relay.run_once() == 1  # the canned reply; the note gives the bot nothing
    assert await relay.run_once() == 0
    assert telegram.delivered_to(chat.user_id)[-1].text == "Мы работаем с 9 до 18 по Москве."
    assert not any("октябре" in (d.text or "") for d in telegram.deliveries)

    await chat.send("Спасибо, всё понятно")
    await page.locator("#transcript .line.borrower", has_text="Спасибо, всё понятно").wait_for(timeout=WAIT_MS)
    await page.keyboard.press("Escape")  # out of the note box
    await page.keyboard.press("?")
    await page.locator("#help").wait_for(state="visible", timeout=WAIT_MS)
    await shoot(page, "console-chat-help")
    assert "Ctrl" in await page.locator("#help").inner_text()
    await page.keyboard.press("Escape")
    await shoot(page, "console-chat")

    await page.keyboard.press("c")  # close, confirmed with Enter
    await page.locator("#close-confirm").wait_for(state="visible", timeout=WAIT_MS)
    # the confirm button takes the focus on the details' toggle event, which comes after it shows
    await expect(page.locator("#close-confirm")).to_be_focused(timeout=WAIT_MS)
    await page.keyboard.press("Enter")
    await page.locator("#case-status.status-closed").wait_for(timeout=WAIT_MS)
    assert await page.locator("#reply-form").count() == 0
    await shoot(page, "console-chat-closed")
    assert await relay.run_once() == 1
    assert telegram.topics[(telegram_chat_of(in_topic(telegram, thread)), thread)].closed
    survey = telegram.delivered_to(chat.user_id)[-1]
    assert Rate(score=5).pack() in str(survey.reply_markup)
    assert (await the_case(engine)).status == "closed"


def telegram_chat_of(deliveries) -> int:
    return deliveries[-1].chat_id
