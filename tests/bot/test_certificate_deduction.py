"""The tax-deduction overview in the certificates dialog, in both languages: interest paid by year and in total (the
schedule's figures), against the law's cap, a button per year leading to that year's certificate; bad input in it."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest

from tests.bot.conftest import IVAN
from tests.bot.replies import text, toasts
from tests.bot.test_certificates import WORDS as KIND_WORDS
from tests.bot.test_certificates import documents, paid_rows, pdf_text, rub, schedule_of, stored, total
from tests.bot.walks import enter, question, state_of

LAST_COMPLETED = date(2026, 10, 31)  # the demo day is 26 November 2026
YEARS = (2021, 2022, 2023, 2024, 2025, 2026)
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " "})
WORDS = {
    "ru": {
        "button": "🧮 Налоговый вычет",
        "head": "<b>Налоговый вычет по процентам по ипотеке</b>",
        "intro": "Проценты, которые вы уплатили по этому кредиту, по календарным годам:",
        "year": "• {year} год: {amount}",
        "current": "• 2026 год (по 31 октября 2026): {amount}",
        "total": "Всего с начала кредита: {amount}.",
        "law": (
            "Закон (ст. 220 НК РФ): по кредиту, полученному с 2014 года, к вычету принимается не более "
            "3 000 000,00 ₽ процентов, а вернуть можно 13 % от суммы вычета, то есть не более 390 000,00 ₽."
        ),
        "used": "Уплаченные вами проценты составляют {used} из этого лимита ({share}), остаётся {left}.",
        "decides": "Сколько вернут именно вам, зависит от уплаченного вами НДФЛ, а решает это налоговая.",
        "delivery": "Справка об уплаченных процентах за 2025 год. Как вам удобнее?",
        "no_year": "В 2019 году платежей по этому кредиту не было. Пожалуйста, выберите год ниже.",
        "inactive": "Эта кнопка больше не действует.",
        "buttons": "Пожалуйста, ответьте одной из кнопок.",
    },
    "en": {
        "button": "🧮 Tax deduction",
        "head": "<b>Tax deduction on mortgage interest</b>",
        "intro": "Interest you paid on this loan, by calendar year:",
        "year": "• {year}: {amount}",
        "current": "• 2026, to 31 October 2026: {amount}",
        "total": "In total since the loan began: {amount}.",
        "law": (
            "The law (Tax Code art. 220): for a loan taken from 2014 on, the deduction counts at most "
            "RUB 3,000,000.00 of interest, and the refund is 13% of the deduction, so at most RUB 390,000.00."
        ),
        "used": "The interest you have paid takes {used} of that cap ({share}); {left} of it is left.",
        "decides": "How much you get back depends on the income tax you paid, and the tax office decides.",
        "delivery": "Certificate of interest paid in 2025. How would you like it?",
        "no_year": "There were no payments on this loan in 2019. Please choose a year below.",
        "inactive": "This button is no longer active.",
        "buttons": "Please answer with one of the buttons.",
    },
}
LANGUAGES = list(WORDS)


def money(amount: Decimal, language: str) -> str:
    """The bot's money written without Babel: 49 300,88 ₽ / RUB 49,300.88."""
    return rub(amount) if language == "ru" else f"RUB {amount:,.2f}"


def share(used: Decimal, language: str) -> str:
    """The share of the cap used, to 0.01 percent, trailing zeros dropped: 86,7 % / 86.7%."""
    value = f"{(used * 100 / Decimal(3_000_000)).quantize(Decimal('0.01'), ROUND_HALF_UP):.2f}".rstrip("0").rstrip(".")
    return f"{value.replace('.', ',')} %" if language == "ru" else f"{value}%"


@pytest.mark.parametrize("language", LANGUAGES)
async def test_interest_by_year_against_the_cap_then_a_years_certificate(language, linked, client):
    words = WORDS[language]
    chat = await linked(IVAN, 21301, language_code=language)
    await chat.press(KIND_WORDS[language]["menu"])
    calls = await chat.press(words["button"])
    assert await state_of(chat) == "Certificates:deduction"
    shown = text(calls).translate(_SPACES)
    schedule = await schedule_of(client, 21301)
    by_year = {year: total(paid_rows(schedule, year=year, until=LAST_COMPLETED), "interest") for year in YEARS}
    overall = sum(by_year.values())
    expected = [
        words["head"],
        words["intro"],
        *(words["year"].format(year=year, amount=money(by_year[year], language)) for year in YEARS[:-1]),
        words["current"].format(amount=money(by_year[2026], language)),
        words["total"].format(amount=money(overall, language)),
        "",
        words["law"],
        words["used"].format(
            used=money(overall, language),
            share=share(overall, language),
            left=money(Decimal(3_000_000) - overall, language),
        ),
    ]
    lines = shown.splitlines()
    start = lines.index(expected[0])
    assert lines[start : start + len(expected)] == expected
    assert words["decides"] in shown
    assert question(calls)[1] == (*(f"certyear:{year}" for year in reversed(YEARS)), "nav:certificates")

    calls = await chat.press("2025")
    assert await state_of(chat) == "Certificates:delivery"
    assert question(calls)[0].startswith(words["delivery"])
    [document] = documents(await chat.press(KIND_WORDS[language]["pdf"]))
    assert document.document.filename == "spravka-procenty-2025.pdf"
    assert f"За 2025 год уплачено процентов: {rub(by_year[2025])}," in pdf_text(document)
    [request] = await stored(client, 21301)
    assert (request["kind"], request["year"], request["status"]) == ("interest_paid", 2025, "ready")


@pytest.mark.parametrize("language", LANGUAGES)
async def test_bad_input_in_the_overview_is_answered_and_asks_again(language, demo, chat_factory, client):
    words = WORDS[language]
    chat, calls = await enter(chat_factory, "certificates_deduction", 21302, language_code=language)
    asked = question(calls)
    for send in (
        lambda: chat.send("сколько мне вернут?"),
        chat.send_sticker,
        lambda: chat.send("\x00\x07\u202e2025"),
        lambda: chat.send("2025"),
    ):
        calls = await send()
        assert words["buttons"] in text(calls) and question(calls) == asked
        assert await state_of(chat) == "Certificates:deduction"
    for forged in ("certyear:x", "certyear:-1", "certyear:99999999999", "certtax:1", "cert:schedule", "certsign:0"):
        calls = await chat.press_data(forged)
        assert toasts(calls) == [words["inactive"]] and question(calls) == asked, forged
        assert await state_of(chat) == "Certificates:deduction"
    calls = await chat.press_data("certyear:2019")  # a well-formed year without payments
    assert words["no_year"] in text(calls) and question(calls) == asked
    assert await state_of(chat) == "Certificates:deduction"
    calls = await chat.press_data("nav:certificates")
    assert await state_of(chat) == "Certificates:kind"
    calls = await chat.press_data("certyear:2025")  # the overview's button pressed again later: stale
    assert toasts(calls) == [words["inactive"]]
    assert await stored(client, 21302) == []
