"""The terminal chat of `ipoteka shell`: typed lines played in an offline chat with the real bot and backend, the
bot's answers shown as plain text with numbered buttons, its photos and documents saved to files."""

import html
import mimetypes
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from aiogram import Bot
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendDocument, SendMessage, SendPhoto
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup, Message, ReplyKeyboardMarkup, ReplyKeyboardRemove

from api.app import API_PREFIX, create_app
from api.demo.cast import DemoBorrower
from api.demo.plans import contract_digits
from api.settings import Settings
from bot.app.dispatcher import setup_dispatcher
from bot.backend import BackendClient
from bot.offline import Button, Call, OfflineChat, OfflineSession
from bot.settings import BotSettings
from ipoteka.database import check_schema

OFFLINE_TOKEN = "42:OFFLINE"  # noqa: S105 (a stand-in: the offline session never reaches Telegram)
#: Demo borrower N chats as Telegram user 700000 + N on every run, so a chat linked once stays linked.
SHELL_USER_BASE = 700_000
QUIT = "/quit"
SEND_FILE = "/file"
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
    lines: list[str] = []
    for number, line in enumerate(text.splitlines() or [""]):
        lead = first if number == 0 else INDENT
        if width is None or not line.strip():
            lines.append(f"{lead}{line}".rstrip())
        else:
            lines += textwrap.wrap(line, width, initial_indent=lead, subsequent_indent=INDENT)
    return lines


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


def hint(borrower: DemoBorrower, files: Path, width: int | None = None) -> str:
    """The paragraph the shell opens with: who you are, how to link the chat, how buttons work."""
    digits = contract_digits(borrower.loans[0].contract_number)
    text = (
        f"You are {borrower.short_name}, demo borrower {borrower.number} ({borrower.note}), chatting with the real "
        f"bot, dialogs and backend; nothing goes to Telegram. To link the chat, share your phone "
        f"({borrower.phone}) with the bot's button, then give the second factor {digits} "
        f"or {borrower.birth_date:%d.%m.%Y}. Buttons show as [1], [2], ...: type a number to press one, anything "
        f"else is sent as a message; {SEND_FILE} PATH sends a file (an insurance policy, a proof). "
        f"Start with /start; {QUIT} or Ctrl-D leaves. "
        f"Photos and documents are saved to {files}/."
    )
    return textwrap.fill(text, width=width) if width else text


def open_chat(backend: BackendClient, settings: BotSettings, borrower: DemoBorrower, language: str) -> OfflineChat:
    """The borrower's private chat with a fresh dispatcher (memory storage) over an offline Telegram."""
    dispatcher = setup_dispatcher(backend=backend, settings=settings, storage=MemoryStorage())
    session = OfflineSession()
    return OfflineChat(
        dispatcher,
        Bot(OFFLINE_TOKEN, session=session),
        session,
        user_id=SHELL_USER_BASE + borrower.number,
        first_name=borrower.first_name,
        language_code=language,
        phone=borrower.phone,
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


def _read_file(name: str) -> tuple[str, bytes, str] | None:
    """A local file as the shell sends it: its name, bytes and the type its extension suggests."""
    path = Path(name).expanduser()
    if not path.is_file():
        return None
    return path.name, path.read_bytes(), mimetypes.guess_type(path.name)[0] or "application/octet-stream"


async def _send_file(chat: OfflineChat, name: str, write: Write) -> list[Call]:
    found = _read_file(name)
    if found is None:
        write(f"(no file {name})")
        return []
    file_name, content, content_type = found
    write(f"(you send {file_name}, {content_type}, {len(content)} bytes)")
    return await chat.send_document(content, file_name, content_type)


async def _act(chat: OfflineChat, view: ShellView, line: str, write: Write) -> list[Call]:
    """A number presses the button shown under it (a contact button shares the chat's own phone); `/file PATH`
    sends a file as a document; other text is sent."""
    if line.startswith(SEND_FILE + " "):
        return await _send_file(chat, line.removeprefix(SEND_FILE).strip(), write)
    button = view.pick(line)
    if button is None:
        return await chat.send(line)
    if button.request_contact:
        write(f"(you share your phone number {chat.phone})")
    else:
        write(f"(you press {button.label})")
    return await chat.press_button(button)


async def run_shell(
    backend: BackendClient,
    *,
    settings: BotSettings,
    borrower: DemoBorrower,
    language: str,
    files: Path,
    read: Read,
    write: Write,
    width: int | None = None,
) -> None:
    """The shell on a backend client already built (the in-process app, or the tests'); text wrapped to `width`."""
    write(hint(borrower, files, width))
    await converse(open_chat(backend, settings, borrower, language), ShellView(files, width), read, write)


async def run_in_process(
    api_settings: Settings,
    bot_settings: BotSettings,
    *,
    borrower: DemoBorrower,
    language: str,
    files: Path,
    read: Read,
    write: Write,
    width: int | None = None,
) -> None:
    """The shell on the backend app built here, its lifespan entered, called without a network.

    `SchemaMissingError` when `ipoteka db upgrade` has not run on the settings' database.
    """
    await check_schema(api_settings)
    app = create_app(api_settings)
    async with app.router.lifespan_context(app):
        backend = BackendClient.create(
            f"http://shell{API_PREFIX}",
            token=api_settings.service_token.get_secret_value(),
            transport=httpx.ASGITransport(app=app),
        )
        try:
            await run_shell(
                backend,
                settings=bot_settings,
                borrower=borrower,
                language=language,
                files=files,
                read=read,
                write=write,
                width=width,
            )
        finally:
            await backend.aclose()
