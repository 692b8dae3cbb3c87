"""The payment-holiday wizard walked end to end in both languages through the real dispatcher and backend: what the
borrower is told at each step, and exactly what the backend stored."""

from datetime import date
from decimal import Decimal

import httpx
import pytest

from bot.formatting import money
from bot.offline import OfflineChat
from tests.bot.conftest import ALEXEI, ANNA, IVAN
from tests.bot.replies import text
from tests.bot.walks import data_of, question, state_of
from tests.helpers import as_user
from tests.samples import pdf

ELENA = ("+79160000006", "2674")  # demo borrower 6: a payment holiday approved and taken on this contract
PDF = pdf()
PAYMENT = Decimal("49300.88")  # IVAN's regular payment
WORDS = {
    "ru": {
        "menu": "Кредитные каникулы",
        "intro": "Ипотечные каникулы (закон 353-ФЗ, статья 6.1-1) позволяют до 6 месяцев не платить",
        "apply": "Подать заявление",
        "reason": "Что случилось?",
        "income_drop": "Снижение дохода",
        "job_loss": "Потеря работы",
        "other": "Другая причина",
        "before": "Какой был ваш средний доход в месяц за прошлый год",
        "after": "А какой у вас доход в месяц сейчас?",
        "months": "На сколько месяцев вам нужны каникулы?",
        "mode": "Ваш обычный платёж — {payment}.",
        "smaller": "Платить меньше",
        "nothing": "Не платить",
        "reduced": "Сумма должна быть больше нуля и меньше обычного платежа — {payment}.",
        "start": "Начало можно сдвинуть в прошлое до 2 месяцев: подойдёт любой день с 26 сентября 2026 по 26 "
        "декабря 2026.",
        "documents": "Документы помогут сотрудникам принять решение: справка о доходах за прошлый год",
        "got": "Получил: income.pdf.",
        "done": "Готово",
        "skip": "Пропустить",
        "income_line": "📎 Доход: ваш доход снизился на 60\xa0%, а платёж составляет 82,17\xa0% нового дохода. Закон "
        "требует снижения дохода более чем на 30\xa0% при платеже больше 50\xa0% нового дохода, так что это подходит",
        "cap_line": "✅ Сумма кредита, {principal}, не выше государственного лимита {cap}.",
        "length_line": "✅ 3 месяца: в пределах закона, от 1 до 6 месяцев.",
        "start_line": "✅ Начало, 10 декабря 2026, в допустимых пределах: с 26 сентября 2026 по 26 декабря 2026.",
        "reduced_line": "✅ Уменьшенный платёж, {reduced}, меньше вашего обычного платежа {payment}.",
        "met": "Условия, похоже, выполнены. Отмеченные 📎 сотрудники сверят с вашими документами.",
        "continue": "Дальше",
        "summary": [
            "Причина: 📉 Снижение дохода",
            "Доход в месяц за прошлый год: {before}",
            "Доход в месяц сейчас: {after}",
            "Срок: 3 месяца",
            "Платёж во время каникул: уменьшен до {reduced} в месяц",
            "Начало: 10 декабря 2026",
            "Документы: income.pdf, photo-",
        ],
        "confirm": "Подтвердить",
        "consent": "вы согласны, что банк обработает данные этого заявления",
        "send": "Подтверждаю",
        "sent": "Заявление № {number} отправлено. Сотрудники банка рассмотрят его и примут решение",
        "attached": "Приложены документы: income.pdf, photo-",
        "pending": "Ваше заявление на ипотечные каникулы уже в банке:",
        "under_review": "Статус: ⏳ на рассмотрении",
        "already_granted": "❌ По этому договору каникулы уже предоставлялись, а закон разрешает их один раз за "
        "договор.",
        "not_refusal": "Это не отказ: решаю не я, а сотрудники банка, и заявление всё равно можно отправить",
        "no_ground": "❌ Закон называет такие основания",
        "closed": "Этот кредит погашен полностью, поэтому ипотечные каникулы к нему не применяются.",
    },
    "en": {
        "menu": "Payment holiday",
        "intro": "A payment holiday (law 353-FZ, article 6.1-1) lets you pay nothing or pay less for up to 6 months",
        "apply": "Apply",
        "reason": "What has happened?",
        "income_drop": "Income drop",
        "job_loss": "Job loss",
        "other": "Other reason",
        "before": "What was your average monthly income last year",
        "after": "And what is your monthly income now?",
        "months": "For how many months do you need the holiday?",
        "mode": "Your regular payment is {payment}.",
        "smaller": "Pay a smaller amount",
        "nothing": "Pay nothing",
        "reduced": "It must be more than zero and less than your regular payment of {payment}.",
        "start": "The start may be backdated by up to 2 months: any day from 26 September 2026 to 26 December 2026.",
        "documents": "Documents help the staff decide: an income statement for last year",
        "got": "Got it: income.pdf.",
        "done": "Done",
        "skip": "Skip",
        "income_line": "📎 Income: your income is down 60%, and the payment is 82.17% of your new income. The law asks "
        "for an income drop of more than 30% with the payment above 50% of the new income, so this fits",
        "cap_line": "✅ The loan amount, {principal}, is within the government limit of {cap}.",
        "length_line": "✅ 3 months: within the law's 1 to 6 months.",
        "start_line": "✅ The start, 10 December 2026, is within the allowed dates: 26 September 2026 to 26 December "
        "2026.",
        "reduced_line": "✅ The reduced payment, {reduced}, is below your regular payment of {payment}.",
        "met": "The conditions look met. The staff will check the ones marked 📎 against your documents.",
        "continue": "Continue",
        "summary": [
            "Reason: 📉 Income drop",
            "Monthly income last year: {before}",
            "Monthly income now: {after}",
            "Length: 3 months",
            "Payment during the holiday: reduced to {reduced} a month",
            "Start: 10 December 2026",
            "Documents: income.pdf, photo-",
        ],
        "confirm": "Confirm",
        "consent": "you agree that the bank processes the data of this application",
        "send": "I confirm",
        "sent": "Application № {number} is sent. The bank's staff will consider it and decide",
        "attached": "Documents attached: income.pdf, photo-",
        "pending": "Your application for a payment holiday is already with the bank:",
        "under_review": "Status: ⏳ under review",
        "already_granted": "❌ A payment holiday was already granted on this contract, and the law allows one per "
        "contract.",
        "not_refusal": "This is not a refusal: I do not decide, the bank's staff do, and you can still send",
        "no_ground": "❌ The law names these grounds",
        "closed": "This loan is repaid in full, so a payment holiday does not apply to it.",
    },
}
LANGUAGES = list(WORDS)


async def stored(client: httpx.AsyncClient, user_id: int) -> list[dict]:
    """The borrower's applications as the backend holds them, newest first."""
    response = await client.get("/api/v1/me/holidays", headers=as_user(user_id))
    assert response.status_code == 200, response.text
    return response.json()


def pick(day: date) -> str:
    return f"date:{day.toordinal()}"


@pytest.mark.parametrize("language", LANGUAGES)
async def test_income_drop_with_a_reduced_payment_and_documents(language, linked, client):
    words = WORDS[language]
    fmt = {
        "payment": money(PAYMENT, language),
        "reduced": money(Decimal(15000), language),
        "before": money(Decimal(150000), language),
        "after": money(Decimal("60000.50"), language),
        "principal": money(Decimal(4_000_000), language),
        "cap": money(Decimal(15_000_000), language),
    }
    chat = await linked(IVAN, 23001, language_code=language)
    intro = await chat.press(words["menu"])
    assert words["intro"] in text(intro)
    assert question(intro)[1] == ("hol:apply", "hol:list", "nav:menu")
    assert words["reason"] in text(await chat.press(words["apply"]))
    assert words["before"] in text(await chat.press(words["income_drop"]))
    assert words["after"] in text(await chat.send("150 000 ₽"))
    assert words["months"] in text(await chat.send("60 000,50"))
    assert words["mode"].format(**fmt) in text(await chat.press("3"))
    assert words["reduced"].format(**fmt) in text(await chat.press(words["smaller"]))
    asked = await chat.send("15 000")
    assert words["start"] in text(asked)
    shown = question(asked)[1]
    assert pick(date(2026, 11, 1)) in shown and pick(date(2026, 11, 30)) in shown, "today's month is not shown"
    assert f"month:{date(2026, 10, 1).toordinal()}" in shown and f"month:{date(2026, 12, 1).toordinal()}" in shown
    assert words["documents"] in text(await chat.press_data(pick(date(2026, 12, 10))))
    assert words["got"] in text(await chat.send_document(PDF, "income.pdf"))
    await chat.send_photo()
    precheck = text(await chat.press(words["done"]))
    for line in ("income_line", "cap_line", "length_line", "start_line", "reduced_line", "met"):
        assert words[line].format(**fmt) in precheck, line
    assert "The loan amount, 4,000,000.00 RUB" not in precheck, "the backend's own English text is shown"
    summary = text(await chat.press(words["continue"]))
    for line in words["summary"]:
        assert line.format(**fmt) in summary
    assert words["consent"] in text(await chat.press(words["confirm"]))
    assert await state_of(chat) == "HolidayWizard:consent"

    sent = await chat.press(words["send"])
    [holiday] = await stored(client, 23001)
    assert words["sent"].format(number=holiday["id"]) in text(sent)
    assert words["attached"] in text(sent)
    assert question(sent)[1] == ("hol:list", "nav:menu")
    assert await state_of(chat) is None
    assert {key: holiday[key] for key in ("status", "reason", "months", "mode", "start_date")} == {
        "status": "submitted",
        "reason": "income_drop",
        "months": 3,
        "mode": "reduced",
        "start_date": "2026-12-10",
    }
    assert Decimal(holiday["income_before"]) == Decimal("150000.00")
    assert Decimal(holiday["income_after"]) == Decimal("60000.50")
    assert Decimal(holiday["reduced_payment"]) == Decimal("15000.00")
    assert holiday["precheck"]["eligible"] is True
    proof = [(d["file_name"], d["content_type"], d["size"]) for d in holiday["documents"]]
    assert proof[0] == ("income.pdf", "application/pdf", len(PDF))
    assert proof[1][0].startswith("photo-") and proof[1][1] == "image/jpeg" and len(proof) == 2

    again = await chat.press_data("nav:holiday")
    assert words["pending"] in text(again) and words["under_review"] in text(again)
    assert await state_of(chat) == "HolidayApplications:detail", "a second application was started"


@pytest.mark.parametrize("language", LANGUAGES)
async def test_job_loss_in_arrears_backdated_full_holiday_without_documents(language, linked, client):
    words = WORDS[language]
    chat = await linked(ANNA, 23002, language_code=language)
    for step in (words["menu"], words["apply"], words["job_loss"]):
        await chat.press(step)
    await chat.send("85000")
    await chat.send("0")
    await chat.press("6")
    await chat.press(words["nothing"])
    assert words["documents"].split(":")[0] in text(await chat.send("26.09.2026"))  # the earliest start allowed
    assert question(await chat.send_sticker())[1] == ("hol:done", "hol:back"), "Skip is not offered"
    precheck = text(await chat.press(words["skip"]))
    assert "❌" not in precheck
    await chat.press(words["continue"])
    await chat.press(words["confirm"])
    await chat.press(words["send"])
    [holiday] = await stored(client, 23002)
    assert (holiday["reason"], holiday["months"], holiday["mode"], holiday["reduced_payment"]) == (
        "job_loss",
        6,
        "full",
        None,
    )
    assert (holiday["income_before"], holiday["income_after"], holiday["start_date"]) == (
        "85000.00",
        "0.00",
        "2026-09-26",
    )
    assert holiday["documents"] == []
    assert [r["outcome"] for r in holiday["precheck"]["rules"] if r["code"] == "grounds"] == ["registered_unemployment"]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_second_holiday_on_the_contract_is_explained_and_can_still_be_sent(language, linked, client):
    words = WORDS[language]
    chat = await linked(ELENA, 23003, language_code=language)
    before = await stored(client, 23003)
    assert [h["status"] for h in before] == ["approved"], "the demo's holiday is not there"
    for step in (words["menu"], words["apply"], words["other"]):
        await chat.press(step)
    await chat.send("70000")
    await chat.send("65000")
    await chat.press("2")
    await chat.press(words["nothing"])
    await chat.send("01.12.2026")
    precheck = text(await chat.press(words["skip"]))
    assert words["already_granted"] in precheck
    assert words["no_ground"] in precheck
    assert words["not_refusal"] in precheck
    assert question(await chat.press(words["continue"]))[1] == ("hol:edit", "hol:confirm", "hol:back")
    await chat.press(words["confirm"])
    await chat.press(words["send"])
    holidays = await stored(client, 23003)
    assert [h["status"] for h in holidays] == ["submitted", "approved"]
    assert holidays[0]["precheck"]["eligible"] is False
    assert (holidays[0]["reason"], holidays[0]["start_date"]) == ("other", "2026-12-01")


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_repaid_loan_is_not_eligible(language, linked, client):
    chat = await linked(ALEXEI, 23004, language_code=language)
    calls = await chat.press(WORDS[language]["menu"])
    assert WORDS[language]["closed"] in text(calls)
    assert question(calls)[1] == ("nav:menu",)
    assert await state_of(chat) is None
    assert await stored(client, 23004) == []


async def test_back_to_the_intro_and_apply_again_keeps_the_draft(linked):
    chat: OfflineChat = await linked(IVAN, 23005, language_code="en")
    await chat.press("Payment holiday")
    await chat.press("Apply")
    await chat.press("Income drop")
    await chat.send("150000")
    draft = (await data_of(chat))["holiday"]
    assert draft["income_before"] == "150000.00" and len(draft["key"]) >= 16
    for state in ("HolidayWizard:income_before", "HolidayWizard:reason", "HolidayWizard:intro"):
        await chat.press_data("hol:back")
        assert await state_of(chat) == state
    await chat.press("Apply")
    assert (await data_of(chat))["holiday"] == draft, "the draft or its key changed"
    calls = await chat.send("/menu")
    assert await state_of(chat) is None and "nav:holiday" in question(calls)[1]
    assert "holiday" not in await data_of(chat), "the menu kept the draft"
