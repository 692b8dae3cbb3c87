"""The command menu and descriptions are registered in Russian (the default) and English."""

from aiogram import Bot
from aiogram.methods import SetMyCommands, SetMyDescription, SetMyShortDescription

from bot.commands import register_commands
from bot.i18n import create_i18n
from bot.offline import OfflineSession


async def test_commands_and_descriptions_in_both_languages():
    session = OfflineSession()
    await register_commands(Bot("42:TEST", session=session), create_i18n("ru"))
    commands = {c.method.language_code: c.method for c in session.log if isinstance(c.method, SetMyCommands)}
    assert set(commands) == {None, "en"}
    assert [c.command for c in commands[None].commands] == ["menu", "balance", "settings", "operator", "help", "cancel"]
    assert commands[None].commands[0].description == "Главное меню"
    assert commands["en"].commands[0].description == "Main menu"
    assert commands[None].scope.type == "all_private_chats"
    descriptions = {
        c.method.language_code: c.method.description for c in session.log if isinstance(c.method, SetMyDescription)
    }
    assert descriptions[None].startswith("Помощник вашего ипотечного банка")
    assert descriptions["en"].startswith("The assistant of your mortgage bank")
    short = [c.method for c in session.log if isinstance(c.method, SetMyShortDescription)]
    assert {m.language_code for m in short} == {None, "en"}
