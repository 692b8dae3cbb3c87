"""Every typed answer read by a parser (amounts, dates) is noted when unreadable, before its own hint: words of
complaint are answered with the offer of a person first, then the hint and the same question again."""

import pytest

from tests.bot.replies import texts
from tests.bot.walks import STARTS, enter, question, state_of

READERS = (
    "early_amount",
    "certificates_day",
    "holiday_income_before",
    "holiday_income_after",
    "holiday_reduced_payment",
    "holiday_start",
)
OFFER = "I am sorry you are unhappy. A person from the bank can look into it. Shall I pass it on?"


@pytest.mark.parametrize("start", READERS)
async def test_a_complaint_instead_of_the_answer_is_offered_a_person_then_asked_again(start, demo, chat_factory):
    chat, opened = await enter(chat_factory, start, 2701)
    calls = await chat.send("This is outrageous, I complain")
    said = texts(calls)
    assert said[0] == OFFER
    assert len(said) == 3, "the offer, the hint, the question"
    assert question(calls) == question(opened)
    assert await state_of(chat) == STARTS[start].state
