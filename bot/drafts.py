"""Typed dialog drafts: a dialog's answers so far as a pydantic model, stored in the chat's FSM data.

The FSM data is the storage format (Redis keeps it between updates and restarts), so a draft is stored as JSON-safe
values only (strings and ints: money and dates as text) under the keys its dialog has always used, and unknown keys
are ignored: a draft stored before a field was added still reads, the new field taking its default.

A draft that ends in a request to the backend keeps the request's idempotency key, drawn when the dialog begins, so a
retry after a lost answer (the bot's own, or the borrower pressing again) sends the key the first attempt sent.
"""

import hashlib
import secrets
from typing import Any, ClassVar, Self

from aiogram.fsm.context import FSMContext
from pydantic import BaseModel, ConfigDict


class Draft(BaseModel):
    """A dialog's draft. `KEY` set: stored as one object under that key; else its fields are keys of the data."""

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)
    KEY: ClassVar[str | None] = None

    @classmethod
    async def load(cls, state: FSMContext) -> Self:
        """The stored draft, or an empty one (every field's default) when none is stored."""
        data = await state.get_data()
        return cls.model_validate((data.get(cls.KEY) or {}) if cls.KEY else data)

    async def store(self, state: FSMContext) -> Self:
        """Every field is written, so one set back to its default replaces the value stored before."""
        stored = self.model_dump(mode="json", by_alias=True)
        await state.update_data({self.KEY: stored} if self.KEY else stored)
        return self

    async def replace(self, state: FSMContext) -> Self:
        """Stored as the chat's only data: a dialog begun afresh, nothing of another kept."""
        stored = self.model_dump(mode="json", by_alias=True)
        await state.set_data({self.KEY: stored} if self.KEY else stored)
        return self

    async def change(self, state: FSMContext, **changes: Any) -> Self:
        """This draft with `changes` (validated like the stored values), stored."""
        return await type(self).model_validate(self.model_dump() | changes).store(state)


def new_key() -> str:
    """A fresh idempotency key, drawn once for a draft and kept in it to its end."""
    return secrets.token_urlsafe(12)


def request_key(key: str, *choice: object) -> str:
    """The idempotency key of the request a draft sends with `choice` made: the same choice, the same key; another
    choice in the same draft (a year changed, other words, another file) is another request."""
    given = "|".join(str(part) for part in choice).encode()
    return f"{key}-{hashlib.blake2s(given, digest_size=6).hexdigest()}"
