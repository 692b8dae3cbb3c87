"""A file a borrower sends, judged as it arrives and refused at once with the reason, the same in every dialog:
Telegram's type and size first, then the backend's rule on the bytes (a PDF opens with a page, a picture decodes)."""

from aiogram.exceptions import TelegramAPIError
from aiogram.utils.i18n import gettext as _

from bot.backend import BackendError
from bot.files import Attachment, download
from bot.turn import Turn

#: The backend's refusals of a file that the borrower can cause and fix by sending another one.
FILE_REFUSALS = frozenset(
    {
        "unsupported_file_type",
        "file_too_large",
        "empty_file",
        "pdf_unreadable",
        "pdf_no_pages",
        "pdf_protected",
        "pdf_polyglot",
        "image_unreadable",
        "image_too_large",
        "image_polyglot",
        "file_type_mismatch",
    }
)


async def fetched(turn: Turn, attachment: Attachment) -> tuple[bytes | None, str | None]:
    """The file's bytes, or why there are none: Telegram's type or size ("type", "size"), or the file gone."""
    if refusal := attachment.refusal(turn.settings.max_upload_bytes):
        return None, refusal
    try:
        return await download(turn.bot, attachment), None
    except TelegramAPIError:
        return None, "gone"


async def judged(turn: Turn, attachment: Attachment) -> tuple[str | None, str | None]:
    """The type the backend sees in the file, or the code of why it will not do (nothing is stored either way)."""
    content, refusal = await fetched(turn, attachment)
    if content is None:
        return None, refusal
    try:
        check = await turn.backend.check_file(
            turn.user_id, upload=(attachment.file_name, content, attachment.content_type)
        )
    except BackendError as exc:
        if exc.code not in FILE_REFUSALS:
            raise
        return None, exc.code
    return check.content_type, None


def file_problem(turn: Turn, code: str) -> str:
    """Why a file was not taken, in the borrower's words: the bot's own check, Telegram's, or the backend's code."""
    size = turn.settings.max_upload_bytes >> 20
    return {
        "type": _("I can take only PDF files and photos (JPEG or PNG)."),
        "size": _("It is larger than {size} MB.").format(size=size),
        "gone": _("Telegram no longer has this file."),
        "unsupported_file_type": _("Inside it is not a PDF, JPEG or PNG."),
        "file_too_large": _("It is larger than {size} MB.").format(size=size),
        "empty_file": _("The file is empty."),
        "pdf_unreadable": _("The PDF does not open: it looks damaged or incomplete. Please save or scan it again."),
        "pdf_no_pages": _("The PDF has no pages."),
        "pdf_protected": _("The PDF is locked by a password, so the staff could not open it. Please send it unlocked."),
        "pdf_polyglot": _("This is not a plain PDF: something else is hidden in it. Please save it again as a PDF."),
        "image_unreadable": _("The picture does not open: it looks damaged or incomplete. Please take it again."),
        "image_too_large": _("The picture is too large to open. Please send a smaller one."),
        "image_polyglot": _("This is not a plain picture: something else is hidden in it. Please take it again."),
        "file_type_mismatch": _(
            "Its name or type says it is one kind of file, but inside it is another. Please send it under its own name."
        ),
        "holiday_not_pending": _("The application is no longer under review."),
    }.get(code, _("The bank did not accept it."))
