"""Talk to a person: from the menu, /operator in any state, offered after two misunderstood messages in a row or
words of complaint; the case stored with the reason and the chat's recent steps, the answer time told."""

import pytest

from api.models import StaffRole
from tests.api.outbox_helpers import add_staff, client_with
from tests.bot.conftest import IVAN
from tests.bot.replies import text, texts, toasts
from tests.bot.walks import question, state_of
from tests.helpers import as_user

MENU_KEYS = (
    "nav:balance",
    "nav:pay",
    "nav:early",
    "nav:certificates",
    "nav:insurance",
    "nav:holiday",
    "nav:refinancing",
    "nav:person",
    "nav:settings",
    "nav:help",
)

USER = 30001


async def cases(client, user_id: int) -> list[dict]:
    response = await client.get("/api/v1/me/support-cases", headers=as_user(user_id))
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize(
    ("language", "asked", "filed", "in_hours"),
    [
        ("ru", "о чём оно", "передано сотрудникам: № ", "в рабочее время сегодня"),
        ("en", "what is it about", "with our staff: case № ", "during working hours today"),
    ],
)
async def test_from_the_menu_with_a_message(linked, client, language, asked, filed, in_hours):
    chat = await linked(IVAN, USER, language_code=language)
    await chat.send("/menu")
    calls = await chat.press("👤")
    assert asked in text(calls)
    assert await state_of(chat) == "Person:topic"

    calls = await chat.send("Хочу уточнить график после досрочного погашения")
    reply = text(calls)
    (case,) = await cases(client, USER)
    assert f"{filed}{case['id']}" in reply
    assert in_hours in reply
    assert case["reason"] == "requested"
    assert case["summary"] == "Хочу уточнить график после досрочного погашения"
    assert case["loan_id"] == 1
    assert case["recent_steps"], "the staff's card gets the chat's last steps"
    assert not any("график" in step for step in case["recent_steps"]), "steps never carry what the borrower wrote"
    assert any("button nav:person" in step for step in case["recent_steps"])
    assert await state_of(chat) is None


@pytest.mark.parametrize(("language", "filed"), [("ru", "передано сотрудникам"), ("en", "with our staff")])
async def test_control_characters_in_the_words_are_dropped_and_the_rest_filed(linked, client, language, filed):
    chat = await linked(IVAN, USER, language_code=language)
    await chat.send("/operator")

    calls = await chat.send("Платёж\x00 не\x1b[31m прошёл\x7f\nвчера\tвечером")

    assert filed in text(calls)
    (case,) = await cases(client, USER)
    assert case["summary"] == "Платёж не[31m прошёл\nвчера\tвечером"  # line breaks and tabs are text


async def test_a_forged_press_with_control_characters_is_a_readable_step_for_staff(linked, client):
    chat = await linked(IVAN, USER, language_code="en")
    await chat.press_data("nav:\x1b[2J\u202eevil\x00")  # forged: the fallback answers it
    await chat.send("/operator\x07")
    await chat.send("Please call me")

    (case,) = await cases(client, USER)
    assert "· button nav:?[2J?evil?" in " | ".join(case["recent_steps"])
    assert any(step.endswith("· /operator?") for step in case["recent_steps"])


async def test_operator_inside_a_dialog_and_sent_as_it_is(linked, client):
    chat = await linked(IVAN, USER, language_code="en")
    await chat.send("/settings")
    await chat.press("When to remind")
    assert await state_of(chat) == "SettingsForm:days"
    calls = await chat.send("/operator")
    assert "what is it about" in text(calls)
    calls = await chat.press("Send as it is")
    (case,) = await cases(client, USER)
    assert case["summary"] == ""
    assert any(step.startswith("SettingsForm:days · /operator") for step in case["recent_steps"])
    assert f"case № {case['id']}" in text(calls)

    again = await chat.press_data("tostaff")  # a second tap on the same button: stale now, nothing more stored
    assert toasts(again) == ["This button is no longer active."]
    assert len(await cases(client, USER)) == 1


async def test_a_second_request_joins_the_open_case(linked, client):
    chat = await linked(IVAN, USER, language_code="en")
    await chat.send("/operator")
    await chat.send("First question")
    await chat.send("/operator")
    calls = await chat.send("Second question")
    (case,) = await cases(client, USER)
    assert f"added to case № {case['id']}" in text(calls)


async def test_out_of_hours_says_when_staff_are_back(linked, client, clock):
    chat = await linked(IVAN, USER, language_code="en")
    clock.advance(days=2)  # Saturday 28 November, 12:00 in Moscow
    await chat.send("/operator")
    calls = await chat.press("Send as it is")
    assert "back on 30 November 2026 at 09:00 (Moscow time)" in text(calls)


@pytest.mark.parametrize(
    ("language", "offer"), [("ru", "связаться с сотрудником"), ("en", "Would you like to talk to a person?")]
)
async def test_two_misunderstood_messages_offer_a_person(linked, client, language, offer):
    chat = await linked(IVAN, USER, language_code=language)
    first = await chat.send("какая погода завтра")
    assert offer not in text(first)
    calls = await chat.send("а послезавтра")
    assert offer in text(calls)
    assert question(calls)[1] == MENU_KEYS, "the menu follows the offer"
    await chat.press_data("person:misunderstood")
    await chat.press_data("tostaff")
    (case,) = await cases(client, USER)
    assert case["reason"] == "misunderstood"


async def test_an_understood_message_ends_the_run_of_misses(linked):
    chat = await linked(IVAN, USER, language_code="en")
    await chat.send("weather?")
    await chat.send("/menu")
    calls = await chat.send("weather tomorrow?")
    assert "talk to a person" not in text(calls)


async def test_a_wrong_answer_inside_a_dialog_counts_and_no_thanks_goes_back(linked, client):
    chat = await linked(IVAN, USER, language_code="en")
    await chat.send("/settings")
    await chat.press("Quiet hours")
    await chat.send_sticker()
    calls = await chat.send("whenever")
    assert "Would you like to talk to a person?" in text(calls)
    assert "When may I write to you?" in question(calls)[0], "the question follows the offer"
    calls = await chat.press_data("notnow")
    assert toasts(calls) == ["All right."]
    assert await state_of(chat) == "SettingsForm:hours"
    assert await cases(client, USER) == []


@pytest.mark.parametrize(
    ("language", "words"), [("ru", "Это безобразие, хочу подать жалобу!"), ("en", "This is outrageous, I complain")]
)
async def test_complaint_offers_a_person_at_once(linked, client, language, words):
    chat = await linked(IVAN, USER, language_code=language)
    calls = await chat.send(words)
    assert ("недовольны" if language == "ru" else "unhappy") in text(calls)
    assert "person:complaint" in str([call.method.reply_markup for call in calls])
    await chat.press_data("person:complaint")
    await chat.send(words)
    (case,) = await cases(client, USER)
    assert case["reason"] == "complaint"
    assert case["summary"] == words


@pytest.mark.parametrize(
    ("language", "words", "unhappy", "not_understood"),
    [
        ("ru", "Это безобразие, хочу подать жалобу!", "недовольны", "не понял"),
        ("en", "This is outrageous, I complain", "unhappy", "did not understand"),
    ],
)
async def test_a_complaint_gets_one_reply_and_no_thanks_shows_the_menu(
    linked, language, words, unhappy, not_understood
):
    chat = await linked(IVAN, USER, language_code=language)
    calls = await chat.send(words)
    assert unhappy in text(calls)
    assert not_understood not in text(calls), "an apology, not also 'I did not understand'"
    assert len(texts(calls)) == 1
    calls = await chat.press_data("notnow")
    assert question(calls)[1] == MENU_KEYS


@pytest.mark.parametrize(
    ("language", "words", "unhappy"),
    [
        ("ru", "Подскажите, пожалуйста, какая погода завтра", "недовольны"),
        ("en", "Could you please tell me the weather tomorrow", "unhappy"),
    ],
)
async def test_politeness_is_not_taken_for_a_complaint(linked, language, words, unhappy):
    chat = await linked(IVAN, USER, language_code=language)
    calls = await chat.send(words)
    assert unhappy not in text(calls)
    assert "person:complaint" not in str([call.method.reply_markup for call in calls])
    assert question(calls)[1] == MENU_KEYS


async def test_bad_input_while_asking_what_it_is_about(linked, client):
    chat = await linked(IVAN, USER, language_code="en")
    await chat.send("/operator")
    calls = await chat.send_sticker()
    assert "I can only read text here." in text(calls)
    assert "what is it about" in question(calls)[0]
    calls = await chat.send("x" * 2001)
    assert "(2000 characters)" in text(calls)
    assert await cases(client, USER) == []
    for forged in ("person:requested", "person:", "person:low_rating:1", "tostaff:1"):
        calls = await chat.press_data(forged)
        assert toasts(calls) == ["This button is no longer active."], forged
    assert await cases(client, USER) == []
    assert await state_of(chat) == "Person:topic"


async def unlinked_case(client, user_id: int) -> dict:
    response = await client.get(f"/api/v1/unlinked/support-cases/{user_id}")
    assert response.status_code == 200, response.text
    return response.json()


async def transcript_texts(app, engine, case_id: int) -> list[str]:
    await add_staff(engine, StaffRole.SUPERVISOR, "person-supervisor")
    async with client_with(app, "person-supervisor") as staff:
        response = await staff.get(f"/api/v1/staff/support-cases/{case_id}/transcript")
    assert response.status_code == 200, response.text
    return [message["text"] for message in response.json()["messages"]]


@pytest.mark.parametrize(
    ("language", "button", "asked", "filed", "added"),
    [
        ("ru", "Связаться с сотрудником", "о чём оно", "передано сотрудникам: № ", "Добавил к вашему обращению № "),
        ("en", "Talk to a person", "what is it about", "with our staff: case № ", "Added to your request № "),
    ],
)
async def test_an_unlinked_chat_reaches_a_person_from_the_greeting(
    chat_factory, demo, client, app, engine, language, button, asked, filed, added
):
    chat = chat_factory(USER, language_code=language)
    await chat.send("/start")
    assert asked in text(await chat.press(button))
    assert await state_of(chat) == "Person:topic"
    calls = await chat.send("Не могу привязать чат, номер сменился")
    case = await unlinked_case(client, USER)
    assert f"{filed}{case['id']}" in text(calls)
    assert (case["summary"], case["loan_id"]) == ("Не могу привязать чат, номер сменился", None)
    card = (await client.get(f"/api/v1/relay/cases/{case['id']}/card")).json()
    assert (card["linked"], card["loans"], card["first_name"]) == (False, [], "Иван")

    calls = await chat.send("Вы тут?")  # before staff join: kept in the case and acknowledged
    assert f"{added}{case['id']}" in text(calls)
    assert "понял" not in text(calls) and "understand" not in text(calls)
    assert await transcript_texts(app, engine, case["id"]) == ["Вы тут?"]
    greeting = await chat.send("/start")  # linking is still open to the chat
    assert "152" in text(greeting)


async def test_the_way_back_from_the_question_is_the_greeting(chat_factory, demo, client):
    chat = chat_factory(USER, language_code="en")
    await chat.send("/operator")
    calls = await chat.press("Back")
    assert "Hello! I am the assistant" in text(calls)
    assert await state_of(chat) == "Onboarding:consent"
    calls = await chat.press_data("person:complaint")  # a linked chat's offer, forged here
    assert toasts(calls) == ["This button is no longer active."]
    assert "Hello! I am the assistant" in text(calls)
    assert (await client.get(f"/api/v1/unlinked/support-cases/{USER}")).status_code == 404


@pytest.mark.parametrize(("language", "offer"), [("ru", "сотрудник банка"), ("en", "A person from the bank")])
async def test_a_locked_out_chat_is_offered_a_person(chat_factory, demo, client, language, offer):
    chat = chat_factory(USER, language_code=language)
    await chat.send("/start")
    await chat.press("✅")
    await chat.send_contact()
    for _ in range(5):
        calls = await chat.send("1111")
    assert offer in text(calls)
    assert "nav:person" in str([call.method.reply_markup for call in calls])
    await chat.press_data("nav:person")
    await chat.press_data("tostaff")
    assert (await unlinked_case(client, USER))["summary"] == ""


@pytest.mark.parametrize(
    ("language", "added"), [("ru", "Добавил к вашему обращению № "), ("en", "Added to your request № ")]
)
async def test_what_a_linked_borrower_writes_before_staff_join_is_kept(linked, client, app, engine, language, added):
    chat = await linked(IVAN, USER, language_code=language)
    await chat.send("/operator")
    await chat.send("Вопрос по графику")
    (case,) = await cases(client, USER)
    for words in ("какая погода завтра", "а послезавтра", "Это безобразие!"):
        calls = await chat.send(words)
        assert f"{added}{case['id']}" in text(calls), words
        assert "person:" not in str([call.method.reply_markup for call in calls]), "no offer of a person: one is coming"
    assert await transcript_texts(app, engine, case["id"]) == [
        "какая погода завтра",
        "а послезавтра",
        "Это безобразие!",
    ]
    calls = await chat.send("/menu")  # the dialogs still work meanwhile
    assert question(calls)[1] == MENU_KEYS


async def test_unreadable_answers_inside_a_dialog_count_too(linked):
    chat = await linked(IVAN, USER, language_code="en")
    await chat.press_data("nav:early")
    first = await chat.send("a lot")
    assert "talk to a person" not in text(first)
    calls = await chat.send("everything")
    assert "Would you like to talk to a person?" in text(calls)
    assert question(calls) == question(first), "the amount is asked again after the offer"
    assert await state_of(chat) == "EarlyRepayment:amount"
