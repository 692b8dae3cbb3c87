"""Early repayment walked in both languages: the amount as people type it, the backend engine's figures, the request
filed once as a staff case (double taps, stale and forged buttons, the backend failing at Confirm), a closed loan."""

import asyncio
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from bot.formatting import day, money
from tests.bot.conftest import ALEXEI, ANNA, IVAN
from tests.bot.replies import text, texts, toasts
from tests.bot.walks import data_of, enter, question, refuses_forged, state_of
from tests.engine.test_estimate_properties import SEED_TERMS, printed
from tests.helpers import as_user

WORDS = {
    "ru": {
        "owed": "Остаток основного долга на 26 ноября 2026: {}.",
        "ask": "Какую сумму вы хотите погасить досрочно?",
        "mode": "Что должно измениться после досрочного погашения {}?",
        "shorter": "Сократить срок",
        "smaller": "Уменьшить платёж",
        "if": "Если {} досрочно погасить {}:",
        "stays": "• ежемесячный платёж не меняется: {};",
        "payment": "• ежемесячный платёж: {} вместо {};",
        "term": "• срок не меняется: последний платёж {};",
        "before": "Платежи, срок которых наступает до этой даты, — всего {} — вносятся в свои даты, как обычно.",
        "payoff": "Чтобы полностью погасить кредит {}, внесите в этот день {}:",
        "principal": "• основной долг: {};",
        "interest": "• проценты с {} по {}: {};",
        "overdue_item": "• просроченные платежи: {};",
        "deferred": "• проценты, отложенные на время ипотечных каникул: {};",
        "closes": "Кредит закрывается, когда внесена вся эта сумма; платежей после этого не будет.",
        "saved_vs": "Экономия на процентах по сравнению с графиком: {}.",
        "overdue": "Обратите внимание: {} просрочено с {}. Эту сумму нужно внести сейчас, что бы вы ни решили",
        "saved": "• экономия на процентах: {}.",
        "notice": "не позднее чем за 30 дней до погашения: чтобы погасить {}, подайте его не позднее {}.",
        "phone": "позвоните в банк: 8 800 000-00-00",
        "file": "Подать заявку",
        "other": "Другой вариант",
        "confirm": "Подтвердить",
        "request": "Досрочное погашение: {}, {}, с уменьшением ежемесячного платежа.",
        "filed": "Ваше обращение передано сотрудникам: № {}.",
        "today": "Специалист свяжется с вами в рабочее время сегодня.",
        "closed": "Кредит погашен полностью: досрочно погашать нечего.",
        "menu": "Что вы хотите сделать?",
    },
    "en": {
        "owed": "Principal owed on 26 November 2026: {}.",
        "ask": "How much would you like to repay early?",
        "mode": "What should repaying {} early change?",
        "shorter": "Shorter term",
        "smaller": "Smaller payment",
        "if": "If you repay {1} early on {0}:",
        "stays": "• the monthly payment stays {};",
        "payment": "• monthly payment: {} instead of {};",
        "term": "• the term stays: the last payment on {};",
        "before": "The payments falling due before then, {} in all, are paid on their dates as usual.",
        "payoff": "To repay the loan in full on {}, pay that day {}:",
        "principal": "• principal: {};",
        "interest": "• interest from {} to {}: {};",
        "overdue_item": "• overdue payments: {};",
        "deferred": "• interest deferred by the payment holiday: {};",
        "closes": "The loan is closed once all of it is paid; there are no payments after that.",
        "saved_vs": "Interest saved against the schedule: {}.",
        "overdue": "Please note: {} has been overdue since {}. It is due now, whatever you decide about repaying",
        "saved": "• interest saved: {}.",
        "notice": "at least 30 days before the repayment: to repay on {}, file it by {}.",
        "phone": "call the bank on 8 800 000-00-00",
        "file": "File the request",
        "other": "Other option",
        "confirm": "Confirm",
        "request": "Early repayment of {} on {}, to lower the monthly payment.",
        "filed": "Your request is with our staff: case № {}.",
        "today": "A specialist will contact you during working hours today.",
        "closed": "This loan is repaid in full: there is nothing to repay early.",
        "menu": "What would you like to do?",
    },
}
LANGUAGES = list(WORDS)
UNREADABLE = "I could not read that as an amount"
ABOVE_ZERO = "The amount must be above zero."
MOST = "The most you can repay early is {}:"
NO_LONGER_ACTIVE = "This button is no longer active."


async def _loan(client, user: int) -> int:
    return (await client.get("/api/v1/me", headers=as_user(user))).json()["selected_loan_id"]


async def _summary(client, user: int) -> dict:
    url = f"/api/v1/me/loans/{await _loan(client, user)}/summary"
    return (await client.get(url, headers=as_user(user))).json()


async def _estimate(client, user: int, amount: str, mode: str):
    url = f"/api/v1/me/loans/{await _loan(client, user)}/early-repayment/estimate"
    return await client.post(url, json={"amount": amount, "mode": mode}, headers=as_user(user))


async def _cases(client, user: int) -> list[dict]:
    return (await client.get("/api/v1/me/support-cases", headers=as_user(user))).json()


def _m(amount: str, language: str) -> str:
    return money(Decimal(amount), language)


def _d(iso: str, language: str) -> str:
    return day(date.fromisoformat(iso), language)


@pytest.mark.parametrize("language", LANGUAGES)
async def test_estimate_in_both_modes_then_filed_once(language, linked, client):
    words, user = WORDS[language], 20000 + LANGUAGES.index(language)
    chat = await linked(IVAN, user, language_code=language)
    summary = await _summary(client, user)

    asked = text(await chat.press_data("nav:early"))
    assert "ИК-2021/000457" in asked and "▰" in asked, "the loan's progress is not shown"
    assert words["owed"].format(_m(summary["outstanding_principal"], language)) in asked
    assert words["ask"] in asked

    assert words["mode"].format(_m("150000", language)) in text(await chat.send("150 000"))
    assert (await data_of(chat))["early_amount"] == "150000.00"

    shorter = (await _estimate(client, user, "150000", "shorter_term")).json()
    shown = text(await chat.press(words["shorter"]))
    assert words["if"].format(_d(shorter["on_date"], language), _m("150000", language)) in shown
    assert words["stays"].format(_m(shorter["payment_after"], language)) in shown
    assert shorter["installments_after"] == 102 and shorter["installments_before"] == 111
    assert f"{shorter['installments_after']} " in shown and f" {shorter['installments_before']};" in shown
    assert _d(shorter["last_date_after"], language) in shown and _d(shorter["last_date_before"], language) in shown
    assert words["saved"].format(_m(shorter["interest_saved"], language)) in shown
    without, with_it = printed(SEED_TERMS), printed(SEED_TERMS, f"{shorter['on_date']}:150000:shorter_term")
    settled = sum(1 for row in without if row[1] <= shorter["on_date"])
    printed_saving = sum(Decimal(r[4]) for r in without[settled:]) - sum(Decimal(r[4]) for r in with_it[settled:])
    assert Decimal(shorter["interest_saved"]) == printed_saving, "the bot's figure is not what ipoteka schedule prints"
    assert words["before"].format(_m(shorter["due_before"], language)) in shown  # the 10 December installment
    assert shorter["overdue_amount"] == "0.00" and words["overdue"].split(":")[0] not in shown
    assert words["notice"].format(_d(shorter["on_date"], language), _d(shorter["apply_by"], language)) in shown
    assert words["phone"] in shown

    smaller = (await _estimate(client, user, "150000", "smaller_payment")).json()
    shown = text(await chat.press(words["other"]))
    assert words["payment"].format(_m(smaller["payment_after"], language), _m(smaller["payment_before"], language)) in (
        shown
    )
    assert words["term"].format(_d(smaller["last_date_after"], language)) in shown
    assert words["saved"].format(_m(smaller["interest_saved"], language)) in shown
    assert Decimal(smaller["payment_after"]) < Decimal(smaller["payment_before"])

    request = words["request"].format(_m("150000", language), _d(smaller["on_date"], language))
    assert request in text(await chat.press(words["file"]))
    assert await _cases(client, user) == [], "a case was opened before Confirm"
    done = text(await chat.press(words["confirm"]))

    [case] = await _cases(client, user)
    assert (case["reason"], case["summary"], case["loan_id"]) == ("early_repayment", request, summary["loan_id"])
    assert case["details"] == {"amount": "150000.00", "mode": "smaller_payment", "on_date": smaller["on_date"]}
    assert words["filed"].format(case["id"]) in done and words["today"] in done
    assert await state_of(chat) is None


ACCEPTED = {"150 000": "150000.00", "150000,50": "150000.50", "1 500 000 ₽": "1500000.00", "1,500,000.00": "1500000.00"}


@pytest.mark.parametrize("typed", ACCEPTED)
async def test_amounts_as_people_type_them(typed, demo, chat_factory, client):
    chat, _ = await enter(chat_factory, "early_amount", 20010)
    await chat.send(typed)
    assert await state_of(chat) == "EarlyRepayment:mode"
    assert (await data_of(chat))["early_amount"] == ACCEPTED[typed]
    expected = (await _estimate(client, 20010, ACCEPTED[typed], "smaller_payment")).json()
    shown = text(await chat.press_data("early:smaller_payment"))
    assert f"If you repay {money(Decimal(ACCEPTED[typed]), 'en')} early" in shown
    assert f"monthly payment: {money(Decimal(expected['payment_after']), 'en')} instead of" in shown


REFUSED = {
    "-5": ABOVE_ZERO,
    "0": ABOVE_ZERO,
    "0,00": ABOVE_ZERO,
    "abc": UNREADABLE,
    "1e6": UNREADABLE,
    "NaN": UNREADABLE,
    "150 000,555": UNREADABLE,
    ("Сколько? " * 500)[:4000]: UNREADABLE,
}


@pytest.mark.parametrize("typed", REFUSED, ids=lambda typed: typed[:12])
async def test_malformed_and_absurd_amounts_are_asked_again(typed, demo, chat_factory, client):
    chat, asked = await enter(chat_factory, "early_amount", 20011)
    calls = await chat.send(typed)
    assert REFUSED[typed] in texts(calls)[0]
    assert question(calls) == question(asked)
    assert await state_of(chat) == "EarlyRepayment:amount"
    assert "early_amount" not in await data_of(chat)


@pytest.mark.parametrize("who", [IVAN, ANNA], ids=["on time", "in arrears"])
async def test_above_the_balance_names_the_exact_maximum_and_the_full_repayment(who, linked, client):
    chat = await linked(who, 20012, language_code="en")
    asked = await chat.press_data("nav:early")
    summary = (
        await client.get(f"/api/v1/me/loans/{await _loan(client, 20012)}/summary", headers=as_user(20012))
    ).json()
    refusal = (await _estimate(client, 20012, summary["outstanding_principal"], "shorter_term")).json()["error"]
    assert refusal["code"] == "amount_above_balance"
    most = refusal["balance"]  # on the repayment date, after the scheduled payment before it
    assert Decimal(most) < Decimal(summary["outstanding_principal"])
    for typed in (summary["outstanding_principal"], "5 000 000", "999 999 999 999 999"):
        calls = await chat.send(typed)
        assert MOST.format(money(Decimal(most), "en")) in texts(calls)[0], typed
        assert f"enter exactly {money(Decimal(most), 'en')}" in texts(calls)[0]
        assert question(calls) == question(asked)
        assert await state_of(chat) == "EarlyRepayment:amount"

    full = await chat.send(most)
    assert await state_of(chat) == "EarlyRepayment:estimate", "the full repayment still asks for a mode"
    expected = (await _estimate(client, 20012, most, "shorter_term")).json()
    assert expected["balance_after"] == "0.00" and expected["payoff"]["principal"] == most
    assert f"pay that day {money(Decimal(expected['payoff']['total']), 'en')}:" in text(full)
    assert f"Interest saved against the schedule: {money(Decimal(expected['interest_saved']), 'en')}." in text(full)
    assert "earlystep:file" in question(full)[1] and not any(k.startswith("early:") for k in question(full)[1])
    await chat.press_data("earlystep:file")
    await chat.press_data("earlystep:confirm")
    [case] = await _cases(client, 20012)
    assert case["summary"].endswith(", repaying the loan in full.")
    assert case["details"]["amount"] == most


@pytest.mark.parametrize("kind", ["sticker", "photo", "voice"])
async def test_not_text_at_the_amount_is_asked_again(kind, demo, chat_factory):
    chat, asked = await enter(chat_factory, "early_amount", 20013)
    calls = await getattr(chat, f"send_{kind}")()
    assert texts(calls)[0] == "I can only read text here."
    assert question(calls) == question(asked)
    assert await state_of(chat) == "EarlyRepayment:amount"


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_closed_loan_has_nothing_to_repay(language, linked, client):
    words = WORDS[language]
    chat = await linked(ALEXEI, 20014, language_code=language)
    calls = await chat.press_data("nav:early")
    assert texts(calls)[0] == words["closed"]
    assert words["menu"] in texts(calls)[-1]
    assert await state_of(chat) is None
    assert (await _estimate(client, 20014, "1000", "shorter_term")).status_code == 409


async def test_back_buttons_lead_back_step_by_step(demo, chat_factory):
    chat, _ = await enter(chat_factory, "early_confirm", 20015)
    await chat.press("Back")
    assert await state_of(chat) == "EarlyRepayment:estimate"
    await chat.press("Back")
    assert await state_of(chat) == "EarlyRepayment:mode"
    await chat.press("Back")
    assert await state_of(chat) == "EarlyRepayment:amount"
    calls = await chat.press("Back")
    assert await state_of(chat) is None and "What would you like to do?" in text(calls)


FORGED = {
    "early_amount": ("early:shorter_term", "earlystep:file", "earlystep:confirm", "refi:family", "early:x"),
    "early_mode": ("early:longer", "early:", "early:shorter_term:1", "earlystep:confirm", "earlystep:file"),
    "early_estimate": ("early:hack", "earlystep:confirm", "earlystep:estimate", "earlystep:", "earlystep:" + "x" * 60),
    "early_confirm": ("earlystep:file", "earlystep:CONFIRM", "early:smaller_payment", "refistep:confirm", "nav:hack"),
}


@pytest.mark.parametrize("name", FORGED)
async def test_forged_buttons_change_nothing(name, demo, chat_factory, client):
    chat, asked = await enter(chat_factory, name, 20016)
    await refuses_forged(chat, asked, FORGED[name])
    assert await _cases(client, 20016) == []


async def test_double_confirm_files_one_case(demo, chat_factory, client):
    chat, _ = await enter(chat_factory, "early_confirm", 20017)
    confirm = next(b for b in chat.buttons() if b.callback_data == "earlystep:confirm")
    first = await chat.press_button(confirm)
    assert "Your request is with our staff" in text(first)
    stale = await chat.press_button(confirm)
    assert NO_LONGER_ACTIVE in toasts(stale)
    assert "What would you like to do?" in text(stale)
    assert len(await _cases(client, 20017)) == 1


async def test_two_taps_at_once_file_one_case(demo, chat_factory, client):
    chat, _ = await enter(chat_factory, "early_confirm", 20018)
    confirm = next(b for b in chat.buttons() if b.callback_data == "earlystep:confirm")
    both = await asyncio.gather(chat.press_button(confirm), chat.press_button(confirm))
    [case] = await _cases(client, 20018)
    told = [line for calls in both for line in texts(calls) if f"case № {case['id']}" in line]
    assert told, "the borrower was not told the case number"
    assert await state_of(chat) is None


@pytest.mark.parametrize("mode", ["down", "late"])
async def test_backend_failing_at_confirm_keeps_the_draft_a_retry_files_once(mode, demo, chat_factory, client, switch):
    chat, _ = await enter(chat_factory, "early_confirm", 20019)
    draft = await data_of(chat)
    switch.mode = mode
    calls = await chat.press_data("earlystep:confirm")
    switch.mode = "up"
    assert "not answering" in text(calls)
    assert await state_of(chat) == "EarlyRepayment:confirm"
    assert await data_of(chat) == draft
    assert len(await _cases(client, 20019)) == (1 if mode == "late" else 0)

    calls = await chat.press_data("earlystep:confirm")
    [case] = await _cases(client, 20019)
    assert f"case № {case['id']}" in text(calls)
    assert case["details"] == {"amount": "150000.00", "mode": "shorter_term", "on_date": draft["early_on_date"]}
    assert await state_of(chat) is None


async def test_out_of_hours_says_when_staff_are_back(demo, chat_factory, client, clock):
    chat, _ = await enter(chat_factory, "early_confirm", 20020, language_code="ru")
    clock.now = datetime(2026, 11, 27, 16, 30, tzinfo=UTC)  # Friday 19:30 in Moscow: staff are gone
    calls = await chat.press_data("earlystep:confirm")
    assert "Специалисты вернутся 30 ноября 2026 в 09:00 (время: Москва)" in text(calls)


async def _payoff_walk(chat, client, user: int) -> tuple[dict, str]:
    """The whole principal typed: the backend's payoff and what the bot said."""
    await chat.press_data("nav:early")
    summary = await _summary(client, user)
    most = (await _estimate(client, user, summary["outstanding_principal"], "shorter_term")).json()["error"]["balance"]
    shown = text(await chat.send(most))
    return (await _estimate(client, user, most, "shorter_term")).json(), shown


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("who", [IVAN, ANNA], ids=["on time", "in arrears"])
async def test_a_full_payoff_states_the_exact_sum_itemised(language, who, linked, client):
    words, user = WORDS[language], 20030 + LANGUAGES.index(language) + 2 * (who is ANNA)
    chat = await linked(who, user, language_code=language)
    estimate, shown = await _payoff_walk(chat, client, user)
    payoff = estimate["payoff"]
    on_date = estimate["on_date"]
    assert Decimal(payoff["interest"]) > 0, "the interest accrued to the date is part of the payoff"
    total = Decimal(payoff["principal"]) + Decimal(payoff["interest"]) + Decimal(payoff["overdue_amount"])
    assert Decimal(payoff["total"]) == total
    assert words["payoff"].format(_d(on_date, language), _m(payoff["total"], language)) in shown
    assert words["principal"].format(_m(payoff["principal"], language)) in shown
    since = _d(payoff["interest_since"], language)
    assert words["interest"].format(since, _d(on_date, language), _m(payoff["interest"], language)) in shown
    assert words["closes"] in shown
    assert words["saved_vs"].format(_m(estimate["interest_saved"], language)) in shown
    overdue_item = words["overdue_item"].format(_m(payoff["overdue_amount"], language))
    if who is ANNA:
        assert payoff["overdue_amount"] == estimate["overdue_amount"] == "60074.94"
        assert overdue_item in shown
    else:
        assert payoff["overdue_amount"] == "0.00" and words["overdue_item"].split(":")[0] not in shown


ELENA = ("+79160000006", "2674")  # demo borrower 6: a payment holiday approved and taken


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_payoff_after_a_holiday_includes_what_it_deferred(language, linked, client):
    words, user = WORDS[language], 20050 + LANGUAGES.index(language)
    chat = await linked(ELENA, user, language_code=language)
    estimate, shown = await _payoff_walk(chat, client, user)
    payoff = estimate["payoff"]
    assert Decimal(payoff["deferred_interest"]) > 0, "the holiday's interest is not forgiven"
    total = sum(Decimal(payoff[key]) for key in ("principal", "interest", "deferred_interest", "overdue_amount"))
    assert Decimal(payoff["total"]) == total
    assert words["deferred"].format(_m(payoff["deferred_interest"], language)) in shown
    assert words["payoff"].format(_d(estimate["on_date"], language), _m(payoff["total"], language)) in shown


@pytest.mark.parametrize("language", LANGUAGES)
async def test_arrears_are_stated_in_every_estimate(language, linked, client):
    words, user = WORDS[language], 20040 + LANGUAGES.index(language)
    chat = await linked(ANNA, user, language_code=language)
    await chat.press_data("nav:early")
    await chat.send("100 000")
    for mode in ("shorter_term", "smaller_payment"):
        estimate = (await _estimate(client, user, "100000", mode)).json()
        assert estimate["overdue_amount"] == "60074.94"
        shown = text(await chat.press_data(f"early:{mode}"))
        overdue = words["overdue"].format(_m("60074.94", language), _d(estimate["overdue_since"], language))
        assert overdue in shown, mode
        assert "8 800 000-00-00" in shown
