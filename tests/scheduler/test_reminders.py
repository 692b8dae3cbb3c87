"""Every kind of push, planned by the backend at a chosen moment and sent by the scheduler to the fake Bot API,
in both languages: the words, the figures as Babel writes them, and the buttons that lead into the dialogs."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from bot.buttons import CallPerson, Nav
from tests.api.outbox_helpers import (
    add_record,
    certificate_row,
    document_row,
    holiday_row,
    outbox,
    pay,
    pay_through,
    set_borrower,
)
from tests.helpers import put
from tests.scheduler.conftest import USER, buttons

STAFF = "/api/v1/staff"
T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


async def push_due(backend, scheduler) -> dict:
    await backend.plan_reminders()
    return await scheduler.pump().drain()


PAYMENT_DAYS = {
    (at(2026, 12, 7, 9, 0), "ru"): "Через 3 дня, 10 декабря 2026, день платежа: <b>49\xa0300,88\xa0₽</b>.",
    (at(2026, 12, 7, 9, 0), "en"): "In 3 days, on 10 December 2026, is your payment day: <b>RUB\xa049,300.88</b>.",
    (at(2026, 12, 9, 9, 0), "ru"): "Завтра, 10 декабря 2026, день платежа: <b>49\xa0300,88\xa0₽</b>.",
    (at(2026, 12, 9, 9, 0), "en"): "Tomorrow, 10 December 2026, is your payment day: <b>RUB\xa049,300.88</b>.",
    (at(2026, 12, 10, 9, 0), "ru"): "Сегодня, 10 декабря 2026, день платежа: <b>49\xa0300,88\xa0₽</b>.",
    (at(2026, 12, 10, 9, 0), "en"): "Today, 10 December 2026, is your payment day: <b>RUB\xa049,300.88</b>.",
}


@pytest.mark.parametrize("moment", [at(2026, 12, 7, 9, 0), at(2026, 12, 9, 9, 0), at(2026, 12, 10, 9, 0)])
async def test_payment_reminders_3_and_1_days_before_and_on_the_day(
    backend, scheduler, telegram, clock, language, moment
):
    clock.now = moment
    outcomes = await push_due(backend, scheduler)
    assert outcomes == {"sent": 1}
    [push] = telegram.delivered_to(USER)
    assert push.method == "sendMessage"
    assert push.text.startswith("🔔 " + PAYMENT_DAYS[moment, language])
    assert buttons(push) == [Nav(to="pay").pack(), Nav(to="settings").pack()]
    assert "%" not in push.text and "рефинанс" not in push.text.lower()  # no offers inside a reminder
    assert await push_due(backend, scheduler) == {}  # planned again: nothing new, nothing twice
    assert len(telegram.delivered_to(USER)) == 1


async def test_the_days_ahead_are_the_borrowers_choice(backend, scheduler, telegram, clock, engine, borrower):
    await set_borrower(engine, borrower[0], reminder_days_ahead=[5])
    clock.now = at(2026, 12, 5, 9, 0)
    assert await push_due(backend, scheduler) == {"sent": 1}
    assert "5 дней" in telegram.delivered_to(USER)[0].text
    clock.now = at(2026, 12, 7, 9, 0)  # 3 days before: not chosen
    assert await push_due(backend, scheduler) == {}


async def test_a_calm_overdue_notice_offers_a_holiday_and_a_person(bank, backend, scheduler, telegram, clock, language):
    clock.now = at(2026, 12, 11, 9, 0)  # December's installment was not paid
    assert await push_due(backend, scheduler) == {"sent": 1}
    [push] = telegram.delivered_to(USER)
    expected = {
        "ru": "Платёж, который нужно было внести 10 декабря 2026, к нам ещё не поступил: "
        "к оплате <b>49\xa0300,88\xa0₽</b>",
        "en": "The payment due on 10 December 2026 has not reached us yet: <b>RUB\xa049,300.88</b> is outstanding.",
    }[language]
    assert push.text.startswith(expected)
    assert buttons(push) == [Nav(to="pay").pack(), Nav(to="holiday").pack(), CallPerson(why="hardship").pack()]


async def test_insurance_expiry_at_30_14_and_3_days(bank, backend, scheduler, telegram, clock, language):
    body = {
        "loan_external_id": "L-1",
        "kind": "property",
        "insurer": "СК Надёжная",
        "policy_number": "POL-1",
        "starts_on": "2025-12-26",
        "expires_on": "2026-12-26",
    }
    await pay_through(bank, "L-1", date(2026, 12, 10))  # no payment reminders in the way
    await put(bank, "policies/POL-1", body)
    await put(bank, "policies/POL-L", body | {"kind": "life", "policy_number": "POL-L"})
    for moment in (at(2026, 11, 26, 9, 0), at(2026, 12, 12, 9, 0), at(2026, 12, 23, 9, 0)):
        clock.now = moment
        assert await push_due(backend, scheduler) == {"sent": 2}
    texts = [push.text for push in telegram.delivered_to(USER)]
    assert len(texts) == 6
    if language == "en":
        assert "Your property insurance with СК Надёжная ends on 26 December 2026, in 30 days." in texts[0]
        assert any("in 3 days" in text and "requires this cover" in text for text in texts)
        assert any("life insurance" in text and "voluntary" in text for text in texts)
    else:
        assert "страхование имущества в СК Надёжная заканчивается 26 декабря 2026, через 30 дней" in texts[0]
        assert any("через 3 дня" in text and "обязательна" in text for text in texts)
        assert any("страхование жизни" in text and "добровольн" in text for text in texts)


async def decide(supervisor, what: str, record_id: int, body: dict) -> None:
    response = await supervisor.post(f"{STAFF}/{what}/{record_id}/decision", json=body)
    assert response.status_code == 200, response.text


async def test_a_decided_holiday_is_told_at_once(backend, scheduler, telegram, engine, supervisor, borrower, language):
    borrower_id, loan_id = borrower
    declined = await add_record(engine, holiday_row(borrower_id, loan_id, created_at=T0, idempotency_key="k2"))
    await decide(supervisor, "holidays", declined, {"decision": "reject", "reason": "Нужна справка <из центра>"})
    approved = await add_record(engine, holiday_row(borrower_id, loan_id, created_at=T0))
    await decide(supervisor, "holidays", approved, {"decision": "approve"})
    assert await scheduler.pump().drain() == {"sent": 2}
    second, first = telegram.delivered_to(USER)
    if language == "en":
        assert (
            first.text
            == f"✅ Your payment-holiday application № {approved} is approved: 3 months from 10 December 2026."
        )
        assert second.text.startswith(f"❌ Your payment-holiday application № {declined} is declined.")
    else:
        assert first.text.startswith(f"✅ Ваше заявление на ипотечные каникулы № {approved} одобрено: 3 месяца")
    assert "Нужна справка &lt;из центра&gt;" in second.text
    assert buttons(second) == [Nav(to="holiday").pack(), CallPerson(why="hardship").pack()]


async def test_a_signed_certificate_arrives_as_a_pdf(
    backend, scheduler, telegram, engine, supervisor, borrower, language
):
    borrower_id, loan_id = borrower
    ready = await add_record(engine, certificate_row(borrower_id, loan_id, created_at=T0))
    refused = await add_record(engine, certificate_row(borrower_id, loan_id, created_at=T0, year=2024))
    await decide(supervisor, "certificates", ready, {"decision": "approve"})
    await decide(supervisor, "certificates", refused, {"decision": "reject", "reason": "Год не закрыт"})
    assert await scheduler.pump().drain() == {"sent": 2}
    document, refusal = sorted(telegram.delivered_to(USER), key=lambda push: push.method)
    assert document.method == "sendDocument"
    assert document.file_name.endswith(".pdf")
    ready_text = {
        "ru": "📄 Ваш документ готов: Справка об уплаченных процентах за 2025 год.",
        "en": "📄 Your certificate is ready: Certificate of interest paid in 2025.",
    }
    assert ready_text[language] in document.text
    refused_text = {
        "ru": "К сожалению, сотрудники не смогли выдать документ, который вы заказывали (Справка об уплаченных "
        "процентах за 2024 год).",
        "en": "I am sorry: the staff could not issue the certificate you asked for (Certificate of interest paid in "
        "2024).",
    }
    assert refusal.method == "sendMessage" and "Год не закрыт" in refusal.text
    assert refused_text[language] in refusal.text


async def test_a_decided_policy_is_told(backend, scheduler, telegram, engine, supervisor, borrower, language):
    borrower_id, loan_id = borrower
    document_id = await add_record(engine, document_row(borrower_id, loan_id, created_at=T0))
    await decide(supervisor, "documents", document_id, {"decision": "reject", "reason": "Нечитаемый скан"})
    assert await scheduler.pump().drain() == {"sent": 1}
    [push] = telegram.delivered_to(USER)
    assert "Нечитаемый скан" in push.text
    assert buttons(push) == [Nav(to="insurance").pack()]
    assert (await outbox(engine))[0].status == "sent"


async def test_status_notices_wait_for_the_morning(backend, scheduler, telegram, clock, engine, supervisor, borrower):
    borrower_id, loan_id = borrower
    holiday = await add_record(engine, holiday_row(borrower_id, loan_id, created_at=T0))
    clock.now = at(2026, 11, 26, 20, 0)  # 23:00 in Moscow
    await decide(supervisor, "holidays", holiday, {"decision": "approve"})
    assert await scheduler.pump().drain() == {}
    clock.now = at(2026, 11, 27, 6, 0)  # 09:00
    assert await scheduler.pump().drain() == {"sent": 1}
    assert len(telegram.delivered_to(USER)) == 1


async def test_paid_in_advance_means_no_reminder(bank, backend, scheduler, telegram, clock, borrower):
    await pay(bank, "L-1", paid_on=date(2026, 12, 1), amount=Decimal("49300.88"), ext="P-EARLY")
    clock.now = at(2026, 12, 7, 9, 0)
    assert await push_due(backend, scheduler) == {}
    assert telegram.deliveries == []
