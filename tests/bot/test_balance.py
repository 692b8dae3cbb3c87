"""The menu, balance with the payoff chart, and payment details, in both languages, figures from the backend."""

from decimal import Decimal

import pytest

from bot.formatting import money
from tests.bot.conftest import ANNA, IVAN
from tests.bot.replies import photos, text
from tests.helpers import as_user

WORDS = {
    "ru": {
        "balance": "Остаток и прогресс",
        "pay": "Как оплатить",
        "owed": "• остаток основного долга: {}",
        "paid": "• уже выплачено: {} основного долга и {} процентов",
        "overdue": "{} просрочено с",
        "help_call": "позвоните по номеру 8 800 000-00-00",
        "menu": "Что вы хотите сделать?",
    },
    "en": {
        "balance": "Balance and progress",
        "pay": "How to pay",
        "owed": "• principal owed: {}",
        "paid": "• paid so far: {} of principal and {} of interest",
        "overdue": "{} has been overdue since",
        "help_call": "or call 8 800 000-00-00",
        "menu": "What would you like to do?",
    },
}
LANGUAGES = list(WORDS)


async def _summary(client, user: int) -> dict:
    profile = (await client.get("/api/v1/me", headers=as_user(user))).json()
    url = f"/api/v1/me/loans/{profile['selected_loan_id']}/summary"
    return (await client.get(url, headers=as_user(user))).json()


@pytest.mark.parametrize("language", LANGUAGES)
async def test_balance_shows_the_backends_figures_and_a_chart(language, linked, client):
    words = WORDS[language]
    chat = await linked(IVAN, 3001, language_code=language)
    summary = await _summary(client, 3001)

    shown = await chat.press(words["balance"])

    [photo] = photos(shown)
    assert photo.photo.data.startswith(b"\x89PNG")
    assert len(photo.photo.data) > 10_000
    body = text(shown)
    assert words["owed"].format(money(Decimal(summary["outstanding_principal"]), language)) in body
    paid = words["paid"].format(
        money(Decimal(summary["principal_paid"]), language), money(Decimal(summary["interest_paid"]), language)
    )
    assert paid in body
    assert words["overdue"].format("") not in body


@pytest.mark.parametrize("language", LANGUAGES)
async def test_arrears_are_stated_calmly_with_the_way_out(language, linked, client):
    words = WORDS[language]
    chat = await linked(ANNA, 3002, language_code=language)
    summary = await _summary(client, 3002)
    assert Decimal(summary["overdue_amount"]) > 0

    body = text(await chat.send("/balance"))

    assert words["overdue"].format(money(Decimal(summary["overdue_amount"]), language)) in body
    assert words["help_call"] in body


async def test_the_menu_shows_progress_on_every_loan_screen(linked):
    chat = await linked(IVAN, 3004)
    menu = text(await chat.send("/menu"))
    assert "Погашено: ▰▱▱▱▱▱▱▱▱▱ 18,75\xa0%" in menu
    assert "впереди 112 платежей" in menu
