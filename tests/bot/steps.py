"""A user's steps in a chat, as values: two walks that begin with equal steps share the snapshot of that beginning."""

from collections.abc import Awaitable
from dataclasses import dataclass

from bot.offline import Call, OfflineChat


@dataclass(frozen=True)
class Say:
    """Send a text."""

    words: str

    def __call__(self, chat: OfflineChat) -> Awaitable[list[Call]]:
        return chat.send(self.words)


@dataclass(frozen=True)
class Tap:
    """A button press with this data, on the latest message with buttons."""

    data: str

    def __call__(self, chat: OfflineChat) -> Awaitable[list[Call]]:
        return chat.press_data(self.data)


@dataclass(frozen=True)
class Press:
    """Press the shown button whose label contains `label`."""

    label: str

    def __call__(self, chat: OfflineChat) -> Awaitable[list[Call]]:
        return chat.press(self.label)


@dataclass(frozen=True)
class Pressing:
    """Press the shown button whose data starts with `prefix` (its id varies), else send `otherwise`'s data."""

    prefix: str
    otherwise: str

    def __call__(self, chat: OfflineChat) -> Awaitable[list[Call]]:
        shown = (b.callback_data for b in chat.buttons() if (b.callback_data or "").startswith(self.prefix))
        return chat.press_data(next(shown, self.otherwise))


@dataclass(frozen=True)
class Share:
    """Share the chat's own contact."""

    def __call__(self, chat: OfflineChat) -> Awaitable[list[Call]]:
        return chat.send_contact()
