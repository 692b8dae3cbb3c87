"""Documents in the payment-holiday wizard: each judged as it arrives (Telegram's type and size, then the backend's
rule on the bytes) and refused at once with the reason; the good ones kept in the draft by their Telegram ids only, at
most five, listed in the summary (a refused one never); after sending, each is uploaded as proof."""

from datetime import UTC, datetime

import httpx
import pytest

from bot.offline import OfflineChat
from tests.bot.replies import text, texts
from tests.bot.walks import data_of, enter, question, state_of
from tests.helpers import as_user
from tests.samples import BROKEN, JPEG, PNG, pdf

PDF = pdf()
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MB = 1024 * 1024
REFUSED = {
    "en": {
        "pdf_unreadable": "The PDF does not open: it looks damaged or incomplete. Please save or scan it again.",
        "pdf_no_pages": "The PDF has no pages.",
        "pdf_protected": "The PDF is locked by a password, so the staff could not open it. Please send it unlocked.",
        "pdf_polyglot": "This is not a plain PDF: something else is hidden in it. Please save it again as a PDF.",
        "image_polyglot": "This is not a plain picture: something else is hidden in it. Please take it again.",
        "image_unreadable": "The picture does not open: it looks damaged or incomplete. Please take it again.",
        "not_taken": "Not taken: {name}. ",
        "got": "Got it: {name}.",
        "documents": "Documents: {names}",
    },
    "ru": {
        "pdf_unreadable": (
            "PDF не открывается: похоже, он повреждён или неполный. Сохраните или отсканируйте его заново."
        ),
        "pdf_no_pages": "В PDF нет ни одной страницы.",
        "pdf_protected": "PDF закрыт паролем, и сотрудники не смогут его открыть. Пришлите его без пароля.",
        "pdf_polyglot": "Это не обычный PDF: в нём спрятано что-то ещё. Пожалуйста, сохраните его заново как PDF.",
        "image_polyglot": "Это не обычное изображение: в нём спрятано что-то ещё. Сделайте снимок заново.",
        "image_unreadable": "Изображение не открывается: похоже, оно повреждено или неполное. Сделайте снимок заново.",
        "not_taken": "Не принят: {name}. ",
        "got": "Получил: {name}.",
        "documents": "Документы: {names}",
    },
}


async def stored(client: httpx.AsyncClient, user_id: int) -> list[dict]:
    return (await client.get("/api/v1/me/holidays", headers=as_user(user_id))).json()


async def send_again(chat: OfflineChat, file_id: str, name: str) -> list:
    """The same Telegram file sent a second time (Telegram keeps its file id)."""
    document = {"file_id": file_id, "file_unique_id": file_id, "file_name": name, "mime_type": "application/pdf"}
    message = {
        "message_id": 10_000,
        "date": datetime.now(UTC),
        "chat": {"id": chat.user_id, "type": "private"},
        "from": chat.user,
        "document": document,
    }
    return await chat.feed({"message": message})


@pytest.mark.parametrize("language", ["ru", "en"])
async def test_files_that_do_not_open_are_refused_at_once_and_never_in_the_summary(language, demo, chat_factory):
    words = REFUSED[language]
    chat, asked = await enter(chat_factory, "holiday_documents", 23211 if language == "ru" else 23212, language)
    for name, (content, mime_type, code) in BROKEN.items():
        calls = await chat.send_document(content, name, mime_type)
        assert words["not_taken"].format(name=name) + words[code] in texts(calls), name
        assert question(calls) == question(asked), f"{name}: the question is not asked again as it was"
    assert (await data_of(chat))["holiday"]["documents"] == []
    for name, content, mime_type in (("statement.pdf", PDF, "application/pdf"), ("scan.png", PNG, "image/png")):
        assert words["got"].format(name=name) in texts(await chat.send_document(content, name, mime_type))
    await chat.send_document(JPEG, "scan.jpg", "image/jpeg")  # a JPEG Telegram calls PNG: tests/attacks/test_file_types
    kept = (await data_of(chat))["holiday"]["documents"]
    assert [(f["file_name"], f["content_type"]) for f in kept] == [
        ("statement.pdf", "application/pdf"),
        ("scan.png", "image/png"),
        ("scan.jpg", "image/jpeg"),
    ]
    await chat.press_data("hol:done")
    summary = text(await chat.press_data("hol:next"))
    assert words["documents"].format(names="statement.pdf, scan.png, scan.jpg") in summary
    assert not any(name in summary for name in BROKEN)


async def test_wrong_types_and_sizes_are_refused_and_good_files_kept_by_id(demo, chat_factory):
    chat, asked = await enter(chat_factory, "holiday_documents", 23201)
    assert question(asked)[1] == ("hol:done", "hol:back")
    assert "Skip" in chat.buttons()[0].label

    calls = await chat.send_document(b"PK\x03\x04 a word file", "report.docx", DOCX)
    assert "Not taken: report.docx. I can take only PDF files and photos (JPEG or PNG)." in texts(calls)
    calls = await chat.send_document(PDF, "scan.pdf", size=30 * MB)
    assert "Not taken: scan.pdf. It is larger than 10 MB." in texts(calls)
    calls = await chat.send_document(b"GIF89a", "cat.gif", "image/gif")
    assert "Not taken: cat.gif. I can take only PDF files and photos (JPEG or PNG)." in texts(calls)
    calls = await chat.send_document(b"this is not a pdf", "fake.pdf")  # Telegram's type says PDF; the bytes do not
    assert "Not taken: fake.pdf. Inside it is not a PDF, JPEG or PNG." in texts(calls)
    calls = await chat.send_document(b"", "empty.pdf")
    assert "Not taken: empty.pdf. The file is empty." in texts(calls)
    assert (await data_of(chat))["holiday"]["documents"] == []
    for kind in ("send_sticker", "send_voice"):
        calls = await getattr(chat, kind)()
        assert "Please send the file as a PDF document or a photo." in texts(calls), kind
        await chat.send_document(b"PK", "x.docx", DOCX)  # handled: the next wrong kind is not a second miss in a row
    calls = await chat.send("here is my statement")
    assert "Please send the file as a PDF document or a photo." in texts(calls)
    assert question(calls) == question(asked)

    calls = await chat.send_document(PDF, "statement.pdf")
    assert "Got it: statement.pdf." in texts(calls)
    assert "Received: statement.pdf." in text(calls) and "Done" in chat.buttons()[0].label
    [kept] = (await data_of(chat))["holiday"]["documents"]
    assert kept == {"file_id": kept["file_id"], "file_name": "statement.pdf", "content_type": "application/pdf"}
    assert "I already have this file." in texts(await send_again(chat, kept["file_id"], "statement.pdf"))
    await chat.send_photo()
    await chat.send_document(PNG, "page.png", "image/png")
    await chat.send_document(pdf("second"), "second.pdf")
    await chat.send_document(pdf("third"), "third.pdf")
    calls = await chat.send_document(pdf("sixth"), "sixth.pdf")
    assert "I take up to 5 files here. Press Done; you can add more after sending." in texts(calls)
    names = [f["file_name"] for f in (await data_of(chat))["holiday"]["documents"]]
    assert len(names) == 5 and "sixth.pdf" not in names
    assert await state_of(chat) == "HolidayWizard:documents"


async def test_after_sending_each_file_is_uploaded_as_proof(demo, chat_factory, client):
    chat, _ = await enter(chat_factory, "holiday_documents", 23202)
    await chat.send_document(PDF, "income-2025.pdf")
    await chat.send_document(PNG, "benefit.png", "image/png")
    for step in ("hol:done", "hol:next", "hol:confirm"):
        await chat.press_data(step)
    sent = await chat.press_data("hol:submit")
    [holiday] = await stored(client, 23202)
    reply = text(sent)
    assert f"Application № {holiday['id']} is sent." in reply
    assert "Documents attached: income-2025.pdf, benefit.png." in reply
    assert "Not attached" not in reply
    assert [(d["file_name"], d["content_type"], d["size"]) for d in holiday["documents"]] == [
        ("income-2025.pdf", "application/pdf", len(PDF)),
        ("benefit.png", "image/png", len(PNG)),
    ]
