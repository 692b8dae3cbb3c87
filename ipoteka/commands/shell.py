"""`ipoteka shell`: chat in the terminal with the real dispatcher, dialogs and backend, as a demo borrower."""

import asyncio
import shutil
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Literal

import httpx
import typer
from aiogram import Bot
from aiogram.fsm.storage.memory import MemoryStorage
from pydantic import ValidationError
from rich.console import Console

from api.app import API_PREFIX, create_app
from api.demo.cast import CAST, DemoBorrower
from api.demo.plans import contract_digits
from api.settings import Settings
from bot.app import setup_dispatcher
from bot.backend import BackendClient
from bot.i18n import CatalogsMissingError
from bot.offline import Call, OfflineChat, OfflineSession
from bot.settings import BotSettings
from ipoteka.commands.run import check_schema
from ipoteka.database import SchemaMissingError
from ipoteka.shell_view import ShellView

OFFLINE_TOKEN = "42:OFFLINE"  # noqa: S105 (a stand-in: the offline session never reaches Telegram)
#: Demo borrower N chats as Telegram user 700000 + N on every run, so a chat linked once stays linked.
SHELL_USER_BASE = 700_000
PROMPT = "you> "
QUIT = "/quit"
MAX_WIDTH = 100

Read = Callable[[], str]  # the next line typed; EOFError when input ends
Write = Callable[[str], None]


def demo_borrower(number: int) -> DemoBorrower:
    return next(borrower for borrower in CAST if borrower.number == number)


def hint(borrower: DemoBorrower, files: Path, width: int = 100) -> str:
    """The paragraph the shell opens with: who you are, how to link, how buttons work."""
    digits = contract_digits(borrower.loans[0].contract_number)
    text = (
        f"You are {borrower.short_name}, demo borrower {borrower.number} ({borrower.note}), chatting with the real "
        f"bot, dialogs and backend; nothing goes to Telegram. To link the chat, share your phone "
        f"({borrower.phone}) with the bot's button, then give the second factor {digits} "
        f"or {borrower.birth_date:%d.%m.%Y}. Buttons show as [1], [2], ...: type a number to press one, anything "
        f"else is sent as a message. Start with /start; {QUIT} or Ctrl-D leaves. "
        f"Photos and documents are saved to {files}/."
    )
    return textwrap.fill(text, width=width)


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


async def _act(chat: OfflineChat, view: ShellView, line: str, write: Write) -> list[Call]:
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
    width: int = 100,
) -> None:
    """The shell on a backend client already built (in-process app, or the tests' app); text wrapped to `width`."""
    write(hint(borrower, files, width))
    await converse(open_chat(backend, settings, borrower, language), ShellView(files, width), read, write)


async def _serve(
    api_settings: Settings, bot_settings: BotSettings, *, borrower: DemoBorrower, language: str, files: Path
) -> None:
    """The backend app in-process, its lifespan entered, and the shell on a client that calls it directly."""
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
                read=_read,
                write=print,
                width=min(shutil.get_terminal_size((MAX_WIDTH, 24)).columns, MAX_WIDTH),
            )
        finally:
            await backend.aclose()


def _read() -> str:
    line = input(PROMPT)
    if not sys.stdin.isatty():  # a script piped in: show what was typed
        print(line)
    return line


def shell(
    borrower: Annotated[
        int, typer.Option(min=1, max=len(CAST), help="The demo borrower to be (`ipoteka demo-data` lists them).")
    ] = 1,
    language: Annotated[
        Literal["ru", "en"] | None, typer.Option(help="Telegram's interface language (default: the borrower's).")
    ] = None,
    files: Annotated[Path, typer.Option(help="Folder for the photos and documents the bot sends.")] = Path(
        "shell-files"
    ),
) -> None:
    """Chat with the bot in the terminal, offline, as a demo borrower (run `ipoteka demo-data` first)."""
    errors = Console(stderr=True)
    who = demo_borrower(borrower)
    try:
        api_settings, bot_settings = Settings(), BotSettings()
    except ValidationError as exc:
        errors.print(f"Bad settings: {exc}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    try:
        asyncio.run(_serve(api_settings, bot_settings, borrower=who, language=language or who.language, files=files))
    except (SchemaMissingError, CatalogsMissingError) as exc:
        errors.print(str(exc), markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        print()
