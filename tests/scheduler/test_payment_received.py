"""The thanks for a payment the bank recorded, sent by the scheduler in both languages, word for word."""

from datetime import UTC, date, datetime
from decimal import Decimal

from bot.buttons import Nav
from tests.api.outbox_helpers import pay
from tests.scheduler.conftest import USER, buttons

DECEMBER = date(2026, 12, 10)
PAYMENT = Decimal("49300.88")

ON_TIME = {
    "ru": "✅ Спасибо: ваш платёж <b>49\xa0300,88\xa0₽</b> от 10 декабря 2026 поступил в банк.\n\n"
    "Погашено: ▰▱▱▱▱▱▱▱▱▱ 19,13\xa0%\n"
    "Остаток долга: 3\xa0234\xa0683,35\xa0₽, впереди 111 платежей",
    "en": "✅ Thank you: your payment of <b>RUB\xa049,300.88</b> made on 10 December 2026 has reached the bank.\n\n"
    "Repaid: ▰▱▱▱▱▱▱▱▱▱ 19.13%\n"
    "Principal left: RUB\xa03,234,683.35, 111 payments to go",
}
CLEARED = {
    "ru": "Просроченные платежи теперь оплачены: просрочки по кредиту нет.",
    "en": "The overdue payments are now covered: the loan has no arrears.",
}
STILL_OVERDUE = {
    "ru": "По прошлым платежам ещё не оплачено: 29\xa0300,88\xa0₽.",
    "en": "Still overdue from earlier payments: RUB\xa029,300.88.",
}


async def test_a_payment_on_time_is_thanked_with_the_progress(bank, scheduler, telegram, clock, language):
    clock.now = datetime(2026, 12, 10, 12, 0, tzinfo=UTC)
    await pay(bank, "L-1", paid_on=DECEMBER, amount=PAYMENT, ext="P-DEC")
    assert await scheduler.pump().drain() == {"sent": 1}
    [push] = telegram.delivered_to(USER)
    assert push.text == ON_TIME[language]
    assert buttons(push) == [Nav(to="balance").pack(), Nav(to="settings").pack()]


async def test_a_late_payment_says_whether_the_arrears_are_cleared(bank, scheduler, telegram, clock, language):
    clock.now = datetime(2026, 12, 14, 9, 0, tzinfo=UTC)
    await pay(bank, "L-1", paid_on=date(2026, 12, 14), amount=Decimal("20000.00"), ext="P-PART")
    await pay(bank, "L-1", paid_on=date(2026, 12, 14), amount=PAYMENT - Decimal("20000.00"), ext="P-REST")
    assert await scheduler.pump().drain() == {"sent": 2}
    part, rest = telegram.delivered_to(USER)
    assert part.text.split("\n\n")[1] == STILL_OVERDUE[language]
    assert rest.text.split("\n\n")[1] == CLEARED[language]
    assert rest.text.split("\n\n")[2] == ON_TIME[language].split("\n\n")[1]  # the same progress as paid on time
    for push in (part, rest):
        assert "💳" not in push.text and "holiday" not in push.text.lower()  # no offers in a thank-you


async def test_nothing_is_sent_with_the_notice_turned_off(bank, client, scheduler, telegram, clock, language):
    await client.patch(
        "/api/v1/me/settings", headers={"X-Telegram-User-Id": str(USER)}, json={"payment_received_notices": False}
    )
    clock.now = datetime(2026, 12, 10, 12, 0, tzinfo=UTC)
    await pay(bank, "L-1", paid_on=DECEMBER, amount=PAYMENT, ext="P-DEC")
    assert await scheduler.pump().drain() == {}
    assert telegram.delivered_to(USER) == []
