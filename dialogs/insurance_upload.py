"""The renewed policy: asked for as a PDF or a photo, its type and size checked, sent for staff verification."""

from decimal import Decimal

from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.backend import BackendError
from bot.files import attachment_of, download
from bot.formatting import number
from bot.keyboards import inline
from bot.turn import Turn
from dialogs.insurance_overview import (
    KIND_KEY,
    LOAN_KEY,
    back_to_covers,
    cover_name,
    done_keyboard,
    menu_button,
    show_closed,
)
from dialogs.screens import screen
from dialogs.states import Insurance

_MEGABYTE = Decimal(1024 * 1024)
#: The backend's refusals of a file a borrower can cause; anything else is not theirs to fix.
_FILE_REFUSALS = frozenset({"unsupported_file_type", "file_too_large", "empty_file"})


@screen(Insurance.upload_file, "file")
async def ask_file(turn: Turn) -> None:
    kind = (await turn.state.get_data())[KIND_KEY]
    await turn.say(
        _(
            "Please send the renewed policy ({cover}) here as a PDF document or a photo, up to {limit} MB. "
            "I will pass it to the bank's staff for verification."
        ).format(cover=cover_name(kind), limit=_megabytes(turn, turn.settings.max_upload_bytes)),
        inline([[await back_to_covers(turn, "upload")], [menu_button()]]),
    )


async def on_file(message: Message, turn: Turn) -> None:
    attachment = attachment_of(message)  # a document or a photo: the router lets nothing else in
    refusal = attachment.refusal(turn.settings.max_upload_bytes)
    if refusal is not None:
        await turn.say(_refusal_text(turn, refusal, turn.settings.max_upload_bytes))
        await ask_file(turn)
        return
    data = await turn.state.get_data()
    upload = (attachment.file_name, await download(turn.bot, attachment), attachment.content_type)
    try:
        _document, new = await turn.backend.upload_policy(
            turn.user_id, data[LOAN_KEY], kind=data[KIND_KEY], upload=upload
        )
    except BackendError as exc:
        if exc.code == "loan_closed":
            await show_closed(turn)
            return
        if exc.code not in _FILE_REFUSALS:
            raise
        limit = int(exc.details.get("max_bytes", turn.settings.max_upload_bytes))
        await turn.say(_refusal_text(turn, exc.code, limit))
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
    await turn.say(text.format(cover=cover_name(data[KIND_KEY])), done_keyboard())


def _refusal_text(turn: Turn, why: str, max_bytes: int) -> str:
    """Why a file will not do, by the bot's own check ("type", "size") or the backend's refusal code."""
    if why in ("size", "file_too_large"):
        return _(
            "This file is larger than {limit} MB, the most I can take. Please send a smaller PDF or a photo."
        ).format(limit=_megabytes(turn, max_bytes))
    if why == "empty_file":
        return _("This file is empty. Please send the policy again.")
    return _(
        "I can take the policy only as a PDF, JPEG or PNG file, or as a photo. "
        "Please save it as PDF or take a photo of it."
    )


def _megabytes(turn: Turn, size: int) -> str:
    return number((Decimal(size) / _MEGABYTE).quantize(Decimal("0.1")).normalize(), turn.locale)
