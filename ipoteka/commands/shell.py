"""`ipoteka shell`: chat in the terminal with the real dispatcher, dialogs and backend, as a demo borrower."""

import asyncio
import shutil
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import Annotated, Literal

import typer
from pydantic import ValidationError
from rich.console import Console

from api.demo.cast import CAST
from api.settings import Settings
from bot.settings import BotSettings
from ipoteka.database import SchemaMissingError

PROMPT = "you> "
MIN_WIDTH, MAX_WIDTH = 40, 100


def _read() -> str:
    try:
        line = input(PROMPT)
    except KeyboardInterrupt:  # Ctrl-C at the prompt leaves like Ctrl-D
        print()
        raise EOFError from None
    if not sys.stdin.isatty():  # a script piped in: show what was typed
        print(line)
    return line


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


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
    # aiogram and the app take seconds to import: only this command pays for them, not the whole CLI.
    from bot.i18n import CatalogsMissingError
    from ipoteka.shell_view import run_in_process

    errors = Console(stderr=True)
    who = next(member for member in CAST if member.number == borrower)
    try:
        api_settings, bot_settings = Settings(), BotSettings()
    except ValidationError as exc:
        errors.print(f"Bad settings: {exc}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    width = max(MIN_WIDTH, min(shutil.get_terminal_size((MAX_WIDTH, 24)).columns, MAX_WIDTH))
    chat = run_in_process(
        api_settings,
        bot_settings,
        borrower=who,
        language=language or who.language,
        files=files,
        read=_read,
        write=print,
        width=width,
    )
    # Under asyncio.run's own Ctrl-C handling input() would not return before Enter; this one interrupts it.
    previous = signal.signal(signal.SIGINT, _interrupt)
    try:
        asyncio.run(chat)
    except (SchemaMissingError, CatalogsMissingError) as exc:
        errors.print(str(exc), markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        print()
    finally:
        signal.signal(signal.SIGINT, previous)
