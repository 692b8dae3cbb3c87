"""The renewed policy: asked for as a PDF or a photo, judged as it arrives, sent for staff verification."""

import hashlib
from decimal import Decimal

from aiogram import html
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.backend import BackendError
from bot.drafts import request_key
from bot.files import attachment_of
from bot.formatting import number
from bot.keyboards import inline
from bot.screens import Screen, Screens
from bot.turn import Turn
from dialogs.file_checks import FILE_REFUSALS, fetched, file_problem
from dialogs.insurance.overview import (
    InsuranceDraft,
    back_to_covers,
    cover_name,
    done_keyboard,
    menu_button,
    show_closed,
)
from dialogs.states import Insurance

_MEGABYTE = Decimal(1024 * 1024)


async def ask_file(turn: Turn) -> None:
    kind = (await InsuranceDraft.load(turn.state)).kind
    await turn.say(
        _(
            "Please send the renewed policy ({cover}) here as a PDF document or a photo, up to {limit} MB. "
            "I will pass it to the bank's staff for verification."
        ).format(cover=cover_name(kind), limit=_megabytes(turn, turn.settings.max_upload_bytes)),
        inline([[await back_to_covers(turn, "upload")], [menu_button()]]),
    )


async def on_file(message: Message, turn: Turn) -> None:
    """Sent to the backend as it arrives, which judges it by the rule every upload follows: a file that will not do
    is refused at once with the reason (the same words as in the holiday wizard) and asked for again."""
    attachment = attachment_of(message)  # a document or a photo: the router lets nothing else in
    content, refusal = await fetched(turn, attachment)
    draft = await InsuranceDraft.load(turn.state)
    if content is not None:
        upload = (attachment.file_name, content, attachment.content_type)
        key = request_key(draft.key, "policy", draft.kind, hashlib.sha256(content).hexdigest())
        try:
            _document, new = await turn.backend.upload_policy(
                turn.user_id, draft.loan_id, kind=draft.kind, upload=upload, key=key
            )
        except BackendError as exc:
            if exc.code == "loan_closed":
                await show_closed(turn)
                return
            if exc.code not in FILE_REFUSALS:
                raise
            refusal = exc.code
    if refusal is not None:
        name = html.quote(attachment.file_name)
        await turn.say(_("Not taken: {name}. {problem}").format(name=name, problem=file_problem(turn, refusal)))
        await ask_file(turn)
        return
    await turn.reset()
    if new:
        text = _(
            "Thank you: the policy ({cover}) is sent to the bank's staff for verification. "
            "I will tell you here when they have checked it."
        )
    else:
        text = _("This file ({cover}) is already being checked by the bank's staff. I will tell you the result here.")
    await turn.say(text.format(cover=cover_name(draft.kind)), done_keyboard())


def _megabytes(turn: Turn, size: int) -> str:
    return number((Decimal(size) / _MEGABYTE).quantize(Decimal("0.1")).normalize(), turn.locale)


SCREENS: Screens = {
    Insurance.upload_file.state: Screen("file", ask_file),
}
