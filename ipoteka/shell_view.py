"""The terminal chat of `ipoteka shell`: typed lines played in an offline chat, the bot's answers shown as plain
text with numbered buttons, its photos and documents saved to files."""

import html
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from aiogram import Bot
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendDocument, SendMessage, SendPhoto
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup, Message, ReplyKeyboardMarkup, ReplyKeyboardRemove

from bot.app import setup_dispatcher
from bot.backend import BackendClient
from bot.offline import Button, Call, OfflineChat, OfflineSession
from bot.settings import BotSettings

OFFLINE_TOKEN = "42:OFFLINE"  # noqa: S105 (a stand-in: the offline session never reaches Telegram)
QUIT = "/quit"
BOT = "bot> "
INDENT = " " * len(BOT)
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?>")

Read = Callable[[], str]  # the next line typed; EOFError when input ends
Write = Callable[[str], None]


def plain(text: str) -> str:
    """Telegram HTML as terminal text: tags dropped, entities decoded."""
    return html.unescape(_TAG.sub("", text))


def block(text: str, first: str = BOT, width: int | None = None) -> list[str]:
    """Lines of one message: the prefix on the first, the rest indented under it; wrapped to `width` if given."""
    lines = text.splitlines() or [""]
    if width is not None:
        room = max(width - len(INDENT), 20)
        lines = [part for line in lines for part in (textwrap.wrap(line, room) or [""])]
    return [f"{first}{lines[0]}".rstrip(), *(f"{INDENT}{line}".rstrip() for line in lines[1:])]


def keyboard_lines(rows: list[list[Button]]) -> list[str]:
    """Each keyboard row on one line: `[1] ✅ I agree   [2] No, thanks`, numbered on across rows."""
    lines, number = [], 0
    for row in rows:
        labels = []
        for button in row:
            number += 1
            labels.append(f"[{number}] {button.label}")
        lines.append(INDENT + "   ".join(labels))
    return lines


def _rows(call: Call) -> list[list[Button]] | None:
    """The buttons a call shows, row by row; None when it shows no keyboard."""
    markup = getattr(call.method, "reply_markup", None)
    if isinstance(markup, InlineKeyboardMarkup) and isinstance(call.result, Message):
        message_id = call.result.message_id
        return [
            [Button(b.text, callback_data=b.callback_data, message_id=message_id) for b in row]
            for row in markup.inline_keyboard
        ]
    if isinstance(markup, ReplyKeyboardMarkup):
        return [[Button(b.text, request_contact=bool(b.request_contact)) for b in row] for row in markup.keyboard]
    return None


@dataclass
class ShellView:
    """Turns the Bot API calls of each turn into terminal lines; the buttons last shown are the ones to press."""

    files: Path
    width: int | None = None
    buttons: list[Button] = field(default_factory=list)

    def show(self, calls: list[Call]) -> list[str]:
        lines: list[str] = []
        for call in calls:
            lines += self._content(call)
            rows = _rows(call)
            if rows is not None:
                self.buttons = [button for row in rows for button in row]
                lines += keyboard_lines(rows)
            elif isinstance(getattr(call.method, "reply_markup", None), ReplyKeyboardRemove):
                self.buttons = [b for b in self.buttons if b.callback_data is not None]
        return lines

    def pick(self, text: str) -> Button | None:
        """The button a typed number presses (`1` is the first shown); None for anything else, `0457` included."""
        if not text.isdigit() or text.startswith("0") or int(text) > len(self.buttons):
            return None
        return self.buttons[int(text) - 1]

    def _content(self, call: Call) -> list[str]:
        method = call.method
        if isinstance(method, SendMessage):
            return block(plain(method.text), width=self.width)
        if isinstance(method, EditMessageText):
            return block(plain(method.text), f"{BOT}(edited) ", self.width)
        if isinstance(method, (SendPhoto, SendDocument)):
            return self._file(call)
        if isinstance(method, AnswerCallbackQuery) and method.text:
            return block(plain(method.text), f"{BOT}(notice) ", self.width)
        return []

    def _file(self, call: Call) -> list[str]:
        method = call.method
        media = method.photo if isinstance(method, SendPhoto) else method.document
        kind = "photo" if isinstance(method, SendPhoto) else "document"
        if not isinstance(media, BufferedInputFile):
            return [f"{BOT}[{kind}]"]
        self.files.mkdir(parents=True, exist_ok=True)
        message_id = call.result.message_id if isinstance(call.result, Message) else 0
        path = self.files / f"{message_id:03d}-{Path(media.filename or kind).name}"
        path.write_bytes(media.data)
        lines = [f"{BOT}[{kind} saved to {path}]"]
        if method.caption:
            lines += block(plain(method.caption), INDENT, self.width)
        return lines


def open_chat(
    backend: BackendClient, settings: BotSettings, *, user_id: int, first_name: str, language: str, phone: str
) -> OfflineChat:
    """A private chat with a fresh dispatcher (memory storage) over an offline Telegram."""
    dispatcher = setup_dispatcher(backend=backend, settings=settings, storage=MemoryStorage())
    session = OfflineSession()
    bot = Bot(OFFLINE_TOKEN, session=session)
    return OfflineChat(
        dispatcher, bot, session, user_id=user_id, first_name=first_name, language_code=language, phone=phone
    )


async def converse(chat: OfflineChat, view: ShellView, read: Read, write: Write) -> None:
    """Read a line, play it in the chat, write the bot's answer; until `/quit` or the end of input."""
    while True:
        try:
            line = read().strip()
        except EOFError:
            return
        if line == QUIT:
            return
        if line:
            for shown in view.show(await _act(chat, view, line, write)):
                write(shown)


async def _act(chat: OfflineChat, view: ShellView, line: str, write: Write) -> list[Call]:
    """A number presses the button shown under it (a contact button shares the chat's own phone); text is sent."""
    button = view.pick(line)
    if button is None:
        return await chat.send(line)
    if button.request_contact:
        write(f"(you share your phone number {chat.phone})")
    else:
        write(f"(you press {button.label})")
    return await chat.press_button(button)
