"""Contact spoofing at linking (SPEC §3.1): the contact must be the sender's own, shared with the request-contact
button. Someone else's contact card (their Telegram id, or none), a contact with user id 0, the sender's own contact
forwarded or sent through a bot, and another borrower's phone with their second factor typed after it: each refused
politely in Russian and English with the button offered again, the chat still at the contact step, no phone kept,
and nothing linked, to the sender or to the borrower whose phone it was."""

import pytest

from tests.bot.conftest import ANNA, IVAN
from tests.bot.replies import texts
from tests.bot.walks import ONBOARD, data_of, enter, question, state_of
from tests.helpers import as_user

SENDER = 701_000_301
ANNAS_CHAT = 701_000_302
REFUSED = {
    "ru": "Это не ваш собственный номер. Ради вашей безопасности я принимаю только номер этого аккаунта Telegram: "
    "нажмите кнопку ниже.",
    "en": "This is not your own phone number. For your safety I accept only the number of this Telegram account: "
    "please use the button below.",
}
FORWARDED = {
    "ru": "Пересланный контакт не подтверждает, что номер принадлежит этому аккаунту. Ради вашей безопасности "
    "поделитесь номером кнопкой ниже.",
    "en": "A forwarded contact cannot show that the number is this account's own. For your safety please share it "
    "with the button below.",
}


def contact_message(chat, phone: str, user_id: int | None, **extra) -> dict:
    contact = {"phone_number": phone, "first_name": "Анна"} | ({"user_id": user_id} if user_id is not None else {})
    message = {
        "message_id": 7_000 + len(chat.session.log),
        "date": 1764150000,
        "chat": {"id": chat.user_id, "type": "private", "first_name": chat.first_name},
        "from": chat.user,
        "contact": contact,
    }
    return {"message": message | extra}


def _origin(chat) -> dict:
    return {"type": "user", "date": 1764140000, "sender_user": chat.user}


#: name -> (the phone, the contact's user id ("self" for the sender's), what else the message carries, the refusal)
SPOOFS = {
    "someone else's card": (ANNA[0], ANNAS_CHAT, {}, REFUSED),
    "a card without a Telegram id": (IVAN[0], None, {}, REFUSED),
    "a card of user 0": (IVAN[0], 0, {}, REFUSED),
    "the sender's own card, forwarded": (IVAN[0], "self", {"forward_origin": "origin"}, FORWARDED),
    "the sender's own card, sent through a bot": (
        IVAN[0],
        "self",
        {"via_bot": {"id": 99, "is_bot": True, "first_name": "Contacts"}},
        FORWARDED,
    ),
}


async def _refused(chat, asked, payload: dict, words: str) -> None:
    data = await data_of(chat)
    calls = await chat.feed(payload)
    assert texts(calls) == [words], "the refusal is not the polite one"
    assert question(calls)[1] == question(asked)[1] == ("contact",), "the contact button is not offered again"
    assert await state_of(chat) == "Onboarding:contact"
    assert await data_of(chat) == data and "phone" not in data


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("spoof", SPOOFS)
async def test_a_contact_not_shared_by_its_owner_is_refused(spoof, language, demo, chat_factory, client):
    chat, asked = await enter(chat_factory, "contact", SENDER, language)
    phone, owner, extra, words = SPOOFS[spoof]
    extra = {key: _origin(chat) if value == "origin" else value for key, value in extra.items()}
    payload = contact_message(chat, phone, chat.user_id if owner == "self" else owner, **extra)
    await _refused(chat, asked, payload, words[language])
    assert (await client.get("/api/v1/me", headers=as_user(SENDER))).status_code == 403


@pytest.mark.parametrize("language", ["ru", "en"])
async def test_another_borrowers_phone_and_their_factor_link_nothing(language, demo, chat_factory, client):
    """Anna's card, then Anna's second factor, then Anna's number typed as text: the chat stays unlinked, and Anna can
    still link her own chat (no attempt of hers was spent, no link of hers made)."""
    chat, asked = await enter(chat_factory, "contact", SENDER, language)
    await _refused(chat, asked, contact_message(chat, ANNA[0], ANNAS_CHAT), REFUSED[language])
    for typed in (ANNA[1], ANNA[0]):
        await chat.send(typed)
        assert await state_of(chat) == "Onboarding:contact", typed
        assert "phone" not in await data_of(chat)
    assert (await client.get("/api/v1/me", headers=as_user(SENDER))).status_code == 403
    anna = chat_factory(ANNAS_CHAT, language_code=language, phone=ANNA[0])
    await chat_factory.walker.walk(anna, ONBOARD)  # /start, consent, her own contact
    await anna.send(ANNA[1])
    me = await client.get("/api/v1/me", headers=as_user(ANNAS_CHAT))
    assert me.status_code == 200, "Anna could not link her own chat"
    assert (await client.get("/api/v1/me", headers=as_user(SENDER))).status_code == 403
