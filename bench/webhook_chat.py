"""A Telegram user in a private chat, as Telegram delivers it to a bot in webhook mode: each action an update POSTed
to the one address with the secret header; the turn ends when the replica that took it has marked its `update_id`
handled in Redis (`bot/seen_updates.py`). The dialog's state and draft are read from the FSM storage in Redis."""

import itertools
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
from aiogram.fsm.storage.base import StorageKey
from aiogram.fsm.storage.redis import RedisStorage

from bench.cluster import WEBHOOK_SECRET, until
from bot.app.runner import WEBHOOK_PATH
from fake_bot_api import FakeBotApi

#: Telegram numbers a bot's updates in one rising sequence across chats; so does every chat here.
_UPDATE_IDS = itertools.count(1_000)
TURN_SECONDS = 30


@dataclass(frozen=True)
class Step:
    """What the user does (`text`, `tap` a button's data, share their `contact`) and the state the dialog is in
    after it (None: no dialog open)."""

    kind: str
    value: str
    state: str | None


def say(words: str, state: str | None) -> Step:
    return Step("text", words, state)


def tap(data: str, state: str | None) -> Step:
    return Step("tap", data, state)


def share(state: str | None) -> Step:
    return Step("contact", "", state)


#: What Telegram sends with every update to a webhook set with a secret.
SECRET_HEADER = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}


def as_update(
    step: Step,
    *,
    update_id: int,
    user_id: int,
    bot_id: int,
    keyboard_message_id: int,
    phone: str = "",
    first_name: str = "Иван",
    language_code: str = "ru",
) -> dict[str, Any]:
    """The update Telegram delivers for `step` by user `user_id` in their private chat with bot `bot_id`: a tap is on
    the bot's message `keyboard_message_id`, a shared contact is `phone`."""
    user = {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": language_code}
    chat = {"id": user_id, "type": "private", "first_name": first_name}
    now = int(datetime.now(UTC).timestamp())
    if step.kind == "tap":
        message = {"message_id": keyboard_message_id, "date": now, "chat": chat, "text": "…"}
        message["from"] = {"id": bot_id, "is_bot": True, "first_name": "Ipoteka Assistant"}
        query = {"id": str(update_id), "from": user, "chat_instance": "topology", "data": step.value}
        return {"update_id": update_id, "callback_query": query | {"message": message}}
    content: dict[str, Any] = (
        {"contact": {"phone_number": phone, "first_name": first_name, "user_id": user_id}}
        if step.kind == "contact"
        else {"text": step.value}
    )
    message_id = update_id  # the user's own messages: any rising number
    return {
        "update_id": update_id,
        "message": {"message_id": message_id, "date": now, "chat": chat, "from": user, **content},
    }


@dataclass
class WebhookChat:
    """One user (`user_id`, also the chat's id) of the bot `bot_id`, posting to `address` (the proxy)."""

    address: str
    fake: FakeBotApi
    storage: RedisStorage
    bot_id: int
    user_id: int
    phone: str
    first_name: str = "Иван"
    language_code: str = "ru"
    turns: list[float] = field(default_factory=list)  # seconds from each POST to its update handled

    @property
    def _key(self) -> StorageKey:
        return StorageKey(bot_id=self.bot_id, chat_id=self.user_id, user_id=self.user_id)

    async def state(self) -> str | None:
        return await self.storage.get_state(self._key)

    async def data(self) -> dict[str, Any]:
        return await self.storage.get_data(self._key)

    async def walk(self, client: httpx.AsyncClient, steps: list[Step]) -> None:
        """Each step in turn; AssertionError when the dialog is not where the step should leave it."""
        for step in steps:
            await self.act(client, step)
            state = await self.state()
            assert state == step.state, f"after {step.kind} {step.value!r}: {state}, not {step.state}"

    async def act(self, client: httpx.AsyncClient, step: Step) -> None:
        update_id = next(_UPDATE_IDS)
        update = as_update(
            step,
            update_id=update_id,
            user_id=self.user_id,
            bot_id=self.bot_id,
            keyboard_message_id=self._last_keyboard(),
            phone=self.phone,
            first_name=self.first_name,
            language_code=self.language_code,
        )
        began = time.monotonic()
        answer = await client.post(
            f"{self.address}{WEBHOOK_PATH}", json=update, headers=SECRET_HEADER, timeout=TURN_SECONDS
        )
        assert answer.status_code == 200, f"the webhook answered {answer.status_code}: {answer.text[:200]}"
        handled = f"update {update_id} handled"
        await until(lambda: self._handled(update_id), within=TURN_SECONDS, what=handled, every=0.01)
        self.turns.append(time.monotonic() - began)

    async def _handled(self, update_id: int) -> bool:
        prefix = getattr(self.storage.key_builder, "prefix", "ipoteka-fsm")
        return await self.storage.redis.get(f"{prefix}:update:{update_id}") == b"handled"

    def _last_keyboard(self) -> int:
        """The id of the latest message to this chat that came with inline buttons."""
        for delivery in reversed(self.fake.deliveries):
            if delivery.chat_id == self.user_id and "inline_keyboard" in (delivery.reply_markup or {}):
                return delivery.message_id
        return 1
