"""A test's dispatcher: the real one (`setup_dispatcher`) on what a test process shares, the borrower's dialogs'
router lent to it (tests/bot/dialog_router.py) and the catalogs read once (tests/bot/catalogs.py)."""

from typing import Any

from aiogram import Dispatcher
from aiogram.fsm.storage.base import BaseStorage

from bot.app.dispatcher import setup_dispatcher
from bot.backend import BackendClient
from bot.settings import BotSettings
from tests.bot import catalogs, dialog_router


def shared_dispatcher(
    *, backend: BackendClient, settings: BotSettings, storage: BaseStorage, **more: Any
) -> Dispatcher:
    return setup_dispatcher(
        backend=backend,
        settings=settings,
        storage=storage,
        dialogs=dialog_router.lend(),
        i18n=catalogs.shared(settings.default_language),
        **more,
    )
