"""How to pay: every field in the text, the photo's QR code read back by a real decoder, its sum the amount shown;
a repaid loan told there is nothing to pay; the arrears screen's three ways out, each leading where it says."""

from datetime import date
from decimal import Decimal

import pytest
from aiogram.methods import SendMessage, SendPhoto
from sqlalchemy import update

from api.demo.cast import CAST
from api.demo.plans import repayment_account
from api.models import Loan
from bot.formatting import day, money
from tests.bot.conftest import ALEXEI, ANNA, IVAN
from tests.bot.replies import photos, text, toasts
from tests.bot.walks import state_of
from tests.gost_qr import decode, fields
from tests.helpers import as_user

WORDS = {
    "ru": {
        "pay": "Как оплатить",
        "how": "Как оплатить дистанционно: отсканируйте QR-код в приложении вашего банка",
        "recipient": "Получатель: {}",
        "inn": "ИНН получателя: {}, КПП: {}",
        "account": "Счёт: {}",
        "bank": "Банк получателя: {}",
        "bik": "БИК: {}",
        "corr": "Корр. счёт: {}",
        "next": "Сумма: {}, ближайший платёж, до {}",
        "overdue": "Сумма: {}, просроченные платежи",
        "purpose": "Назначение платежа: {}",
        "caption": "Отсканируйте этот код в приложении вашего банка: реквизиты и сумма заполнятся сами.",
        "closed": "Этот кредит погашен полностью: платить ничего не нужно.",
        "pay_overdue": "Оплатить просрочку",
        "holiday": "Кредитные каникулы",
        "holiday_intro": "Ипотечные каникулы (закон 353-ФЗ, статья 6.1-1)",
        "person": "Связаться с сотрудником",
        "person_ask": "Я передам ваше обращение сотрудникам банка.",
        "stale": "Эта кнопка больше не активна.",
    },
    "en": {
        "pay": "How to pay",
        "how": "How to pay remotely: scan the QR code in your bank's app",
        "recipient": "Recipient: {}",
        "inn": "Recipient's INN: {}, KPP: {}",
        "account": "Account: {}",
        "bank": "Bank: {}",
        "bik": "BIC: {}",
        "corr": "Corr. account: {}",
        "next": "Amount: {}, the next payment, by {}",
        "overdue": "Amount: {}, the overdue payments",
        "purpose": "Purpose: {}",
        "caption": "Scan this code in your bank's app: the details and the amount are filled in.",
        "closed": "This loan is repaid in full: there is nothing to pay.",
        "pay_overdue": "Pay the overdue amount",
        "holiday": "Payment holiday",
        "holiday_intro": "A payment holiday (law 353-FZ, article 6.1-1)",
        "person": "Talk to a person",
        "person_ask": "I will pass your request to the bank's staff.",
        "stale": "This button is no longer active.",
    },
}
LANGUAGES = list(WORDS)


def _account_of(phone: str, bik: str) -> str:
    [borrower] = [b for b in CAST if b.phone == phone]
    return repayment_account(borrower.loans[0], bik)


async def _summary(client, user: int) -> dict:
    profile = (await client.get("/api/v1/me", headers=as_user(user))).json()
    url = f"/api/v1/me/loans/{profile['selected_loan_id']}/summary"
    return (await client.get(url, headers=as_user(user))).json()


def _check_details(language: str, calls, summary: dict, *, account: str, settings, amount_line: str) -> None:
    """The text lists every field; the one photo's QR code holds exactly the same, the sum the amount shown."""
    words, bank = WORDS[language], settings.bank
    contract_date = summary["contract_date"].split("-")
    purpose = f"Погашение кредита по договору № {summary['contract_number']} от {'.'.join(reversed(contract_date))}"
    body = text(calls)
    for line in (
        words["how"],
        words["recipient"].format(bank.name),
        words["inn"].format(bank.inn, bank.kpp),
        words["account"].format(account),
        words["bank"].format(bank.name),
        words["bik"].format(bank.bik),
        words["corr"].format(bank.correspondent_account),
        amount_line,
        words["purpose"].format(purpose),
    ):
        assert line in body, line
    [photo] = photos(calls)
    kinds = [type(call.method) for call in calls]
    assert kinds.index(SendPhoto) < kinds.index(SendMessage)  # the code first, the details under it
    assert photo.caption == words["caption"]
    payload = decode(photo.photo.data)
    assert payload == summary["payment_details"]["qr_payload"]
    got = fields(payload)
    assert got == {
        "Name": bank.name,
        "PersonalAcc": account,
        "BankName": bank.name,
        "BIC": bank.bik,
        "CorrespAcc": bank.correspondent_account,
        "PayeeINN": bank.inn,
        "KPP": bank.kpp,
        "Sum": got["Sum"],
        "Purpose": purpose,
    }
    shown = Decimal(got["Sum"]) / 100
    assert shown == Decimal(summary["payment_details"]["amount_due"])
    assert money(shown, language) in amount_line


@pytest.mark.parametrize("language", LANGUAGES)
async def test_how_to_pay_gives_every_field_and_a_qr_code_with_the_next_payment(language, linked, client, settings):
    words = WORDS[language]
    chat = await linked(IVAN, 3101, language_code=language)
    summary = await _summary(client, 3101)
    amount_line = words["next"].format(
        money(Decimal(summary["next_payment_amount"]), language),
        day(date.fromisoformat(summary["next_payment_date"]), language),
    )

    calls = await chat.press(words["pay"])

    account = _account_of(IVAN[0], settings.bank.bik)
    _check_details(language, calls, summary, account=account, settings=settings, amount_line=amount_line)
    assert summary["next_payment_amount"] == "49300.88"  # the seed's annuity, as `ipoteka schedule` prints it


@pytest.mark.parametrize("language", LANGUAGES)
async def test_in_arrears_the_balance_offers_its_three_ways_and_each_leads_there(language, linked, client, settings):
    words = WORDS[language]
    chat = await linked(ANNA, 3102, language_code=language)
    summary = await _summary(client, 3102)
    overdue = Decimal(summary["overdue_amount"])
    assert overdue > 0

    await chat.send("/balance")
    labels = [button.label for button in chat.buttons()]
    assert [label for label in labels if not label.endswith(("Меню", "Menu"))] == [
        "💳 " + words["pay_overdue"],
        "🌿 " + words["holiday"],
        "👤 " + words["person"],
    ]

    calls = await chat.press(words["pay_overdue"])
    amount_line = words["overdue"].format(money(overdue, language))
    account = _account_of(ANNA[0], settings.bank.bik)
    _check_details(language, calls, summary, account=account, settings=settings, amount_line=amount_line)

    await chat.send("/balance")
    assert words["holiday_intro"] in text(await chat.press(words["holiday"]))
    assert await state_of(chat) == "HolidayWizard:intro"

    await chat.send("/balance")
    assert words["person_ask"] in text(await chat.press(words["person"]))
    assert await state_of(chat) == "Person:topic"
    await chat.send("Не успеваю с платежом")
    [case] = (await client.get("/api/v1/me/support-cases", headers=as_user(3102))).json()
    assert (case["reason"], case["reasons"]) == ("hardship", ["hardship"])  # staff see money trouble first


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_repaid_loan_is_told_there_is_nothing_to_pay_and_no_details(language, linked):
    words = WORDS[language]
    chat = await linked(ALEXEI, 3103, language_code=language)

    calls = await chat.press(words["pay"])

    assert text(calls).startswith(words["closed"])
    assert photos(calls) == []
    body = text(calls)
    for field in ("bik", "corr", "account", "purpose", "recipient"):
        assert words[field].format("").strip() not in body, field


async def test_the_arrears_buttons_pressed_late_or_forged_are_answered(linked, bank, client, settings):
    chat = await linked(ANNA, 3104, language_code="en")
    await chat.send("/balance")
    pay_button = next(b for b in chat.buttons() if "Pay the overdue amount" in b.label)
    summary = await _summary(client, 3104)
    await bank.put(
        "/api/v1/integration/payments/LATE-1",
        json={"loan_external_id": "DEMO-L-02", "paid_on": summary["on_date"], "amount": summary["overdue_amount"]},
    )

    late = await chat.press_button(pay_button)  # the arrears are paid since: the details say what is due now

    now = await _summary(client, 3104)
    assert now["overdue_amount"] == "0.00"
    assert "the overdue payments" not in text(late)
    assert fields(decode(photos(late)[0].photo.data))["Sum"] == str(int(Decimal(now["next_payment_amount"]) * 100))
    for forged in ("nav:pay_overdue", "nav:pay:1", "nav:" + "p" * 60, "nav:holiday\x00", "nav:"):
        calls = await chat.press_data(forged)
        assert toasts(calls) == [WORDS["en"]["stale"]], forged


MORE_WORDS = {
    "ru": {
        "covered": "Сумма: сейчас платить ничего не нужно, платёж 10 декабря 2026 уже оплачен заранее",
        "own_sum": "Отсканируйте этот код в приложении вашего банка: реквизиты заполнятся сами, а сумму укажите вы.",
        "no_account": "Счёт: его сообщат в банке по номеру 8 800 000-00-00",
    },
    "en": {
        "covered": "Amount: nothing is due now; the payment of 10 December 2026 is already covered",
        "own_sum": "Scan this code in your bank's app: the details are filled in, the amount is yours to enter.",
        "no_account": "Account: the bank will give it to you on 8 800 000-00-00",
    },
}


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_payment_made_ahead_leaves_nothing_due_and_a_code_without_a_sum(language, linked, bank, client):
    chat = await linked(IVAN, 3105, language_code=language)
    summary = await _summary(client, 3105)
    ahead = {"loan_external_id": "DEMO-L-01", "paid_on": summary["on_date"], "amount": summary["next_payment_amount"]}
    assert (await bank.put("/api/v1/integration/payments/AHEAD-1", json=ahead)).status_code == 201

    calls = await chat.press(WORDS[language]["pay"])

    assert MORE_WORDS[language]["covered"] in text(calls)
    [photo] = photos(calls)
    assert photo.caption == MORE_WORDS[language]["own_sum"]
    assert "Sum" not in fields(decode(photo.photo.data))


@pytest.mark.parametrize("language", LANGUAGES)
async def test_without_an_account_on_file_the_bank_is_named_to_ask_and_no_code_is_sent(language, linked, engine):
    chat = await linked(IVAN, 3106, language_code=language)
    async with engine.begin() as conn:
        await conn.execute(update(Loan).where(Loan.external_id == "DEMO-L-01").values(repayment_account=None))

    calls = await chat.press(WORDS[language]["pay"])

    assert MORE_WORDS[language]["no_account"] in text(calls)
    assert photos(calls) == []
