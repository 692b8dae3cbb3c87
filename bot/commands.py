"""The command menu and the bot's descriptions, registered with Telegram in Russian (the default) and English."""

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeAllPrivateChats
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from bot.i18n import LANGUAGES


def commands() -> list[BotCommand]:
    """The commands in the language active in the i18n context."""
    return [
        BotCommand(command="menu", description=_("Main menu")),
        BotCommand(command="balance", description=_("Balance and progress")),
        BotCommand(command="settings", description=_("Language, reminders, loan")),
        BotCommand(command="operator", description=_("Talk to a person")),
        BotCommand(command="help", description=_("What I can do")),
        BotCommand(command="cancel", description=_("Stop what we are doing")),
    ]


def descriptions() -> tuple[str, str]:
    """The long description (shown before /start) and the short one (in the profile)."""
    return (
        _(
            "The assistant of your mortgage bank: balance and progress to full repayment, payment reminders, "
            "certificates, insurance renewal and payment holidays, and a person whenever you need one."
        ),
        _("Your mortgage: balance, reminders, certificates."),
    )


async def register_commands(bot: Bot, i18n: I18n) -> None:
    """Set the command menu and descriptions for each language; Russian also as the default for other languages."""
    with i18n.context():
        for language in LANGUAGES:
            with i18n.use_locale(language):
                code = None if language == i18n.default_locale else language
                scope = BotCommandScopeAllPrivateChats()
                description, short = descriptions()
                await bot.set_my_commands(commands(), scope=scope, language_code=code)
                await bot.set_my_description(description, language_code=code)
                await bot.set_my_short_description(short, language_code=code)
