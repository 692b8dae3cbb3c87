"""Dialogs kept in Redis survive a restart: a new dispatcher on a new storage object carries on where the old one
stopped (Redis at 127.0.0.1:6379, database 15; skipped when it is not running)."""

from bot.app.dispatcher import DRAFT_TTL
from tests.bot.conftest import IVAN
from tests.bot.replies import texts
from tests.bot.restarts import chat_on, key
from tests.bot.walks import ONBOARD, data_of, question, state_of
from tests.helpers import as_user


async def test_linking_resumes_after_a_restart(redis, prefix, boot, demo, client):
    first = chat_on(await boot(), 6001)
    for step in ONBOARD:
        await step(first)
    assert await state_of(first) == "Onboarding:second_factor"
    assert await redis.exists(key(prefix, 6001, "state")), "the state is not kept in Redis"

    second = chat_on(await boot(), 6001)
    assert await state_of(second) == "Onboarding:second_factor"
    assert (await data_of(second))["phone"] == IVAN[0]
    calls = await second.send(IVAN[1])
    assert texts(calls)
    assert await state_of(second) == "ReminderOffer:ask"
    assert question(calls)[1] == ("remind:1", "remind:0")
    me = await client.get("/api/v1/me", headers=as_user(6001))
    assert me.status_code == 200 and me.json()["first_name"] == "Иван"


async def test_a_settings_draft_survives_a_restart(redis, prefix, boot, demo, client):
    first = chat_on(await boot(), 6002)
    for step in (*ONBOARD, lambda chat: chat.send(IVAN[1]), lambda chat: chat.press_data("remind:1")):
        await step(first)
    await first.send("/settings")
    await first.press_data("set:days")
    await first.press_data("day:14")
    draft = await data_of(first)
    assert 14 in draft["days"]
    assert 0 < await redis.ttl(key(prefix, 6002, "data")) <= DRAFT_TTL.total_seconds()

    second = chat_on(await boot(), 6002)
    assert await data_of(second) == draft
    await second.press_data("days")
    saved = (await client.get("/api/v1/me/settings", headers=as_user(6002))).json()["reminder_days_ahead"]
    assert sorted(saved, reverse=True) == draft["days"]
    assert await state_of(second) == "SettingsForm:main"
