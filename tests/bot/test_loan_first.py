"""A borrower with several loans and none chosen yet: every way into a loan screen (a button, even from an old
message, or a command) leads to the choice of the loan first, and nothing of the screen is shown before it."""

import pytest

from bot.buttons import Nav
from tests.bot.conftest import MARIA
from tests.bot.replies import texts, toasts

CHOICE = "You have several loans. Which one shall I show?"
LOAN_SCREENS = ("menu", "balance", "pay", "early", "certificates", "insurance", "holiday", "refinancing")


@pytest.mark.parametrize("to", LOAN_SCREENS)
async def test_a_loan_button_before_the_choice_asks_for_the_loan(to, linked):
    chat = await linked(MARIA, 2601, language_code="en")
    shown = await chat.press_data(Nav(to=to).pack())
    assert texts(shown) == [CHOICE]
    assert toasts(shown) == [None]  # the spinner stopped, no "no longer active"
    assert len(chat.buttons()) == 2


@pytest.mark.parametrize("command", ["/balance", "/menu", "/start"])
async def test_a_loan_command_before_the_choice_asks_for_the_loan(command, linked):
    chat = await linked(MARIA, 2602, language_code="en")
    shown = await chat.send(command)
    assert texts(shown) == [CHOICE]


async def test_the_loan_chosen_the_same_button_shows_its_screen(linked):
    chat = await linked(MARIA, 2603, language_code="en")
    await chat.press_data(Nav(to="balance").pack())
    await chat.press_button(chat.buttons()[0])
    shown = await chat.press_data(Nav(to="balance").pack())
    assert "principal owed" in "\n".join(texts(shown))
