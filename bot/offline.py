"""Telegram without Telegram, for `ipoteka shell`, the tests and the benchmark.

`OfflineSession` answers the Bot API locally and logs every call; `OfflineChat` plays one user: it turns text,
contacts, stickers and button presses into `Update`s for the real dispatcher and keeps the keyboards it was shown.
"""

import io
import itertools
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.session.base import BaseSession
from aiogram.methods import (
    EditMessageReplyMarkup,
    EditMessageText,
    GetFile,
    GetMe,
    SendDocument,
    SendMessage,
    SendPhoto,
    TelegramMethod,
)
from aiogram.types import File, InlineKeyboardMarkup, Message, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update, User
from PIL import Image

_SENDS = (SendMessage, SendPhoto, SendDocument)
_EDITS = (EditMessageText, EditMessageReplyMarkup)


@cache
def sample_jpeg() -> bytes:
    """The photo `OfflineChat.send_photo` sends when given none: a real 10×10 JPEG, as the backend decodes it."""
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), "white").save(buffer, "JPEG")
    return buffer.getvalue()


@dataclass(frozen=True)
class Call:
    """One Bot API call the bot made and what the stand-in answered."""

    method: TelegramMethod[Any]
    result: Any


class OfflineSession(BaseSession):
    """Answers what Telegram would for the calls the bot makes; every call is kept in `log`, and the files users
    sent are kept in `files` by file id, for the bot to download."""

    def __init__(self) -> None:
        super().__init__()
        self.log: list[Call] = []
        self.message_ids = itertools.count(1)
        self.files: dict[str, bytes] = {}

    async def make_request(self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None) -> Any:  # noqa: ASYNC109 (aiogram's signature)
        result = self._answer(bot, method)
        self.log.append(Call(method, result))
        return result

    def _answer(self, bot: Bot, method: TelegramMethod[Any]) -> Any:
        if isinstance(method, GetMe):
            return User(id=bot.id, is_bot=True, first_name="Ipoteka Assistant", username="ipoteka_bot")
        if isinstance(method, GetFile) and method.file_id in self.files:
            size = len(self.files[method.file_id])
            return File(file_id=method.file_id, file_unique_id=method.file_id, file_size=size, file_path=method.file_id)
        if isinstance(method, _SENDS):
            return self._message(bot, method, next(self.message_ids))
        if isinstance(method, _EDITS):
            return self._message(bot, method, method.message_id or 0)
        if method.__returning__ is bool:
            return True
        raise NotImplementedError(f"the offline Telegram does not answer {type(method).__name__}")

    @staticmethod
    def _message(bot: Bot, method: Any, message_id: int) -> Message:
        payload: dict[str, Any] = {
            "message_id": message_id,
            "date": datetime.now(UTC),
            "chat": {"id": method.chat_id, "type": "private"},
            "from": {"id": bot.id, "is_bot": True, "first_name": "Ipoteka Assistant"},
        }
        if isinstance(method.reply_markup, InlineKeyboardMarkup):
            payload["reply_markup"] = method.reply_markup.model_dump()
        if isinstance(method, SendPhoto):
            payload["photo"] = [
                {"file_id": f"photo-{message_id}", "file_unique_id": f"p{message_id}", "width": 900, "height": 500}
            ]
            payload["caption"] = method.caption
        elif isinstance(method, SendDocument):
            name = getattr(method.document, "filename", None) or "document"
            payload["document"] = {
                "file_id": f"doc-{message_id}",
                "file_unique_id": f"d{message_id}",
                "file_name": name,
            }
            payload["caption"] = method.caption
        else:
            payload["text"] = getattr(method, "text", None) or ""
        return Message.model_validate(payload, context={"bot": bot})

    async def close(self) -> None:
        return None

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,  # noqa: ASYNC109 (aiogram's signature)
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        """A file a user sent, by the path `GetFile` answered (the file id)."""
        file_id = url.rsplit("/", 1)[-1]
        if file_id not in self.files:
            raise NotImplementedError("the offline Telegram has no such file to download")
        yield self.files[file_id]


@dataclass(frozen=True)
class Button:
    """A button the user can press now: an inline one (with its message) or one of the reply keyboard."""

    label: str
    callback_data: str | None = None
    message_id: int | None = None
    request_contact: bool = False


#: Telegram numbers a bot's updates in one rising sequence, whatever the chat; so does the offline Telegram, for every
#: chat in this process (the bot takes an update id once: `bot/seen_updates.py`).
_UPDATE_IDS = itertools.count(1)


def next_update_id() -> int:
    return next(_UPDATE_IDS)


@dataclass
class OfflineChat:
    """One Telegram user in a private chat with the bot."""

    dispatcher: Dispatcher
    bot: Bot
    session: OfflineSession
    user_id: int
    first_name: str = "Иван"
    language_code: str | None = "ru"
    phone: str = "+79161234567"
    inline_keyboards: dict[int, InlineKeyboardMarkup] = field(default_factory=dict)
    reply_keyboard: ReplyKeyboardMarkup | None = None
    _update_ids: itertools.count = field(default_factory=lambda: _UPDATE_IDS)

    @property
    def user(self) -> dict[str, Any]:
        user = {"id": self.user_id, "is_bot": False, "first_name": self.first_name}
        if self.language_code:
            user["language_code"] = self.language_code
        return user

    # --- what the user does ---------------------------------------------------------------------------------

    async def send(self, text: str) -> list[Call]:
        return await self._message({"text": text})

    async def send_contact(self, phone: str | None = None, *, user_id: int | str | None = "self") -> list[Call]:
        contact: dict[str, Any] = {"phone_number": phone or self.phone, "first_name": self.first_name}
        owner = self.user_id if user_id == "self" else user_id
        if owner is not None:
            contact["user_id"] = owner
        return await self._message({"contact": contact})

    async def send_sticker(self) -> list[Call]:
        sticker = {
            "file_id": "sticker",
            "file_unique_id": "s",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
        return await self._message({"sticker": sticker})

    async def send_photo(self, content: bytes | None = None) -> list[Call]:
        content = sample_jpeg() if content is None else content
        file_id = self._keep(content)
        size = len(content)
        sizes = [{"file_id": file_id, "file_unique_id": file_id, "width": 10, "height": 10, "file_size": size}]
        return await self._message({"photo": sizes})

    async def send_document(
        self, content: bytes, file_name: str = "policy.pdf", mime_type: str = "application/pdf", size: int | None = None
    ) -> list[Call]:
        """A file as a document; `size` lets a test claim a size Telegram would report without sending the bytes."""
        file_id = self._keep(content)
        document = {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": len(content) if size is None else size,
        }
        return await self._message({"document": document})

    async def send_voice(self) -> list[Call]:
        return await self._message({"voice": {"file_id": "voice", "file_unique_id": "v", "duration": 2}})

    async def press(self, label: str) -> list[Call]:
        """Press the button whose label contains `label`: the latest message's inline buttons first."""
        for button in self.buttons():
            if label in button.label:
                return await self.press_button(button)
        raise LookupError(f"no button {label!r} among {[b.label for b in self.buttons()]}")

    async def press_button(self, button: Button) -> list[Call]:
        if button.callback_data is not None:
            return await self.press_data(button.callback_data, message_id=button.message_id)
        if button.request_contact:
            return await self.send_contact()
        return await self.send(button.label)

    async def press_data(self, data: str, *, message_id: int | None = None) -> list[Call]:
        """A callback query with any data, from any message: stale and forged presses included."""
        message_id = message_id or (max(self.inline_keyboards) if self.inline_keyboards else 1)
        message = {
            "message_id": message_id,
            "date": datetime.now(UTC),
            "chat": {"id": self.user_id, "type": "private"},
            "from": {"id": self.bot.id, "is_bot": True, "first_name": "Ipoteka Assistant"},
            "text": "…",
        }
        query = {
            "id": str(next(self._update_ids)),
            "from": self.user,
            "chat_instance": "offline",
            "data": data,
            "message": message,
        }
        return await self.feed({"callback_query": query})

    # --- what the user sees ---------------------------------------------------------------------------------

    def buttons(self) -> list[Button]:
        """The inline buttons of the latest message that has them, then the reply keyboard's."""
        found: list[Button] = []
        if self.inline_keyboards:
            message_id = max(self.inline_keyboards)
            for row in self.inline_keyboards[message_id].inline_keyboard:
                found += [Button(b.text, callback_data=b.callback_data, message_id=message_id) for b in row]
        if self.reply_keyboard is not None:
            for row in self.reply_keyboard.keyboard:
                found += [Button(b.text, request_contact=bool(b.request_contact)) for b in row]
        return found

    # --- plumbing -------------------------------------------------------------------------------------------

    def _keep(self, content: bytes) -> str:
        file_id = f"file-{len(self.session.files) + 1}"
        self.session.files[file_id] = content
        return file_id

    async def _message(self, content: dict[str, Any]) -> list[Call]:
        message = {
            "message_id": next(self.session.message_ids),
            "date": datetime.now(UTC),
            "chat": {"id": self.user_id, "type": "private", "first_name": self.first_name},
            "from": self.user,
            **content,
        }
        return await self.feed({"message": message})

    async def feed(self, payload: dict[str, Any]) -> list[Call]:
        """Feed one update to the dispatcher; the calls the bot made while handling it."""
        update = Update.model_validate({"update_id": next(self._update_ids), **payload}, context={"bot": self.bot})
        start = len(self.session.log)
        await self.dispatcher.feed_update(self.bot, update)
        calls = self.session.log[start:]
        for call in calls:
            self._track(call)
        return calls

    def _track(self, call: Call) -> None:
        markup = getattr(call.method, "reply_markup", None)
        if isinstance(markup, ReplyKeyboardMarkup):
            self.reply_keyboard = markup
        elif isinstance(markup, ReplyKeyboardRemove):
            self.reply_keyboard = None
        if isinstance(call.result, Message):
            if isinstance(markup, InlineKeyboardMarkup):
                self.inline_keyboards[call.result.message_id] = markup
            elif isinstance(call.method, _EDITS):
                self.inline_keyboards.pop(call.result.message_id, None)
