"""The satisfaction survey after a delivered certificate: a 1–5 rating and an optional comment stored once, at most
one survey a week, "Not now" respected, and a low score offering a person."""

from collections.abc import AsyncIterator

import pytest

from bot.backend import BackendClient
from tests.bot.conftest import IVAN
from tests.bot.ratings import stored_ratings
from tests.bot.replies import text, toasts
from tests.bot.switch import NOT_ANSWERING, Switch
from tests.bot.walks import question, state_of
from tests.conftest import SERVICE_TOKEN
from tests.helpers import as_user

USER = 31001


@pytest.fixture
async def backend(switch: Switch, bot_settings) -> AsyncIterator[BackendClient]:
    """Overrides the shared fixture: one retry, as the bot's own client makes, so a lost answer is asked again."""
    client = BackendClient.create(bot_settings.backend_url, token=SERVICE_TOKEN, retries=1, transport=switch)
    yield client
    await switch.settle()
    await client.aclose()


RATE_KEYS = ("rate:1", "rate:2", "rate:3", "rate:4", "rate:5", "rate:0")


async def delivered(chat) -> list:
    """A schedule certificate asked for and delivered: the calls of the delivery, the survey among them."""
    await chat.press_data("nav:certificates")
    await chat.press_data("cert:schedule")
    return await chat.press_data("certsign:0")


@pytest.mark.parametrize(
    ("language", "asked", "thanks"),
    [
        ("ru", "Насколько вам было удобно получить справку", "Спасибо за оценку!"),
        ("en", "getting the certificate", "Thank you for your rating!"),
    ],
)
async def test_rating_with_a_comment(linked, engine, language, asked, thanks):
    chat = await linked(IVAN, USER, language_code=language)
    calls = await delivered(chat)
    assert asked in text(calls)
    assert question(calls)[1] == RATE_KEYS
    calls = await chat.press_data("rate:4")
    assert await state_of(chat) == "Survey:comment"
    assert question(calls)[1] == ("nocomment",)
    calls = await chat.send("Всё быстро, спасибо")
    assert thanks in text(calls)
    assert await state_of(chat) is None
    [(subject, subject_id, score, comment)] = await stored_ratings(engine)
    assert (subject, score, comment) == ("certificate", 4, "Всё быстро, спасибо")
    assert subject_id is not None


@pytest.mark.parametrize(
    ("language", "score", "asked", "not_said"),
    [
        ("ru", 1, "Что пошло не так?", "Спасибо!"),
        ("ru", 2, "Что пошло не так?", "Спасибо!"),
        ("ru", 3, "Спасибо! Хотите добавить комментарий?", "Что пошло не так?"),
        ("en", 1, "What went wrong?", "Thank you!"),
        ("en", 2, "What went wrong?", "Thank you!"),
        ("en", 5, "Thank you! Would you like to add a comment?", "What went wrong?"),
    ],
)
async def test_a_low_score_is_not_thanked_for(linked, language, score, asked, not_said):
    chat = await linked(IVAN, USER, language_code=language)
    await delivered(chat)
    calls = await chat.press_data(f"rate:{score}")
    assert asked in text(calls)
    assert not_said not in text(calls)


async def test_a_low_score_offers_a_person_who_gets_the_case(linked, engine, client):
    chat = await linked(IVAN, USER, language_code="en")
    await delivered(chat)
    await chat.press_data("rate:1")
    calls = await chat.press_data("nocomment")
    assert "Would you like a person from the bank to look into it?" in text(calls)
    assert question(calls)[1] == ("person:low_rating", "notnow")
    assert [row[2:] for row in await stored_ratings(engine)] == [(1, None)]
    await chat.press_data("person:low_rating")
    await chat.press_data("tostaff")
    [case] = (await client.get("/api/v1/me/support-cases", headers=as_user(USER))).json()
    assert case["reason"] == "low_rating"


async def test_not_now_and_no_second_survey_within_a_week(linked, engine):
    chat = await linked(IVAN, USER, language_code="en")
    await delivered(chat)
    calls = await chat.press_data("rate:0")
    assert "I will not ask again for a while." in text(calls)
    assert await state_of(chat) is None
    calls = await delivered(chat)
    assert "rate:1" not in str([call.method for call in calls]), "a second survey within the week"
    assert await state_of(chat) != "Survey:score"
    assert await stored_ratings(engine) == []


async def test_bad_input_in_the_survey(linked, engine):
    chat = await linked(IVAN, USER, language_code="en")
    await delivered(chat)
    for forged in ("rate:6", "rate:-1", "rate:x", "rate:", "nocomment"):
        calls = await chat.press_data(forged)
        assert toasts(calls) == ["This button is no longer active."], forged
        assert await state_of(chat) == "Survey:score"
    calls = await chat.send("five")
    assert "Please answer with one of the buttons." in text(calls)
    await chat.press_data("rate:5")
    calls = await chat.send_sticker()
    assert "I can only read text here." in text(calls)
    calls = await chat.send("x" * 2001)
    assert "(2000 characters)" in text(calls)
    assert await state_of(chat) == "Survey:comment"
    await chat.press_data("nocomment")
    again = await chat.press_data("nocomment")
    assert toasts(again) == ["This button is no longer active."]
    assert [row[2:] for row in await stored_ratings(engine)] == [(5, None)], "one rating, stored once"


@pytest.mark.parametrize("mode", ["late once", "late"])
async def test_a_rating_answered_too_late_is_stored_once(linked, engine, switch, mode):
    chat = await linked(IVAN, USER, language_code="en")
    await delivered(chat)
    await chat.press_data("rate:4")
    switch.mode = mode  # stored, the answer lost: retried by the client ("late once") or sent again by the borrower
    calls = await chat.send("Всё быстро")
    if mode == "late":
        assert NOT_ANSWERING in text(calls)
        switch.mode = "up"
        calls = await chat.send("Всё быстро")
    assert "Thank you for your rating!" in text(calls)
    assert [rating[2:] for rating in await stored_ratings(engine)] == [(4, "Всё быстро")]
