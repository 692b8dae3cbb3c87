"""An unlinked chat outside onboarding's steps: a typed request for a person or for help is answered before
onboarding greets the chat (anything else is onboarding's, as before)."""

from aiogram import F, Router
from aiogram.filters import BaseFilter, StateFilter
from aiogram.types import Message

from bot.intents.reader import IntentReader, Reading
from bot.turn import Turn
from dialogs.filters import Linked
from dialogs.typed.reading import answer_unlinked, read, unlinked_request


class UnlinkedRequest(BaseFilter):
    """The text reads as a request an unlinked chat may make; gives the `reading`."""

    async def __call__(self, message: Message, turn: Turn, intents: IntentReader) -> bool | dict[str, Reading]:
        reading = read(intents, message, turn)
        return {"reading": reading} if unlinked_request(reading) else False


async def on_request(message: Message, turn: Turn, reading: Reading) -> None:
    await answer_unlinked(turn, reading, None)


def router() -> Router:
    r = Router(name="typed_unlinked")
    r.message.filter(Linked(False))
    r.message.register(on_request, StateFilter(None), F.text, ~F.text.startswith("/"), UnlinkedRequest())
    return r
