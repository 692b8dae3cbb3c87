"""Documents in the payment-holiday wizard: PDFs and photos kept in the draft by their Telegram ids only, wrong types
and sizes refused, at most five; after sending, each is uploaded as proof and the borrower told which were attached."""

from datetime import UTC, datetime

import httpx

from bot.offline import OfflineChat
from tests.bot.replies import text, texts
from tests.bot.walks import data_of, enter, question, state_of
from tests.helpers import as_user

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(32)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MB = 1024 * 1024


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


async def test_wrong_files_are_refused_and_good_ones_kept_by_id(demo, chat_factory):
    chat, asked = await enter(chat_factory, "holiday_documents", 23201)
    assert question(asked)[1] == ("hol:done", "hol:back")
    assert "Skip" in chat.buttons()[0].label

    calls = await chat.send_document(b"PK\x03\x04 a word file", "report.docx", DOCX)
    assert "Not taken: report.docx. I can take only PDF files and photos (JPEG or PNG)." in texts(calls)
    calls = await chat.send_document(PDF, "scan.pdf", size=30 * MB)
    assert "Not taken: scan.pdf. It is larger than 10 MB." in texts(calls)
    calls = await chat.send_document(b"GIF89a", "cat.gif", "image/gif")
    assert "Not taken: cat.gif. I can take only PDF files and photos (JPEG or PNG)." in texts(calls)
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
    await chat.send_document(PDF + b"2", "second.pdf")
    await chat.send_document(PDF + b"3", "third.pdf")
    calls = await chat.send_document(PDF + b"4", "sixth.pdf")
    assert "I take up to 5 files here. Press Done; you can add more after sending." in texts(calls)
    names = [f["file_name"] for f in (await data_of(chat))["holiday"]["documents"]]
    assert len(names) == 5 and "sixth.pdf" not in names
    assert await state_of(chat) == "HolidayWizard:documents"


async def test_after_sending_each_file_is_uploaded_and_the_failures_named(demo, chat_factory, client):
    chat, _ = await enter(chat_factory, "holiday_documents", 23202)
    await chat.send_document(PDF, "income-2025.pdf")
    await chat.send_document(b"this is not a pdf", "fake.pdf")  # Telegram's type says PDF; the bytes do not
    await chat.send_document(PNG, "benefit.png", "image/png")
    for step in ("hol:done", "hol:next", "hol:confirm"):
        await chat.press_data(step)
    sent = await chat.press_data("hol:submit")
    [holiday] = await stored(client, 23202)
    reply = text(sent)
    assert f"Application № {holiday['id']} is sent." in reply
    assert "Documents attached: income-2025.pdf, benefit.png." in reply
    assert "Not attached: fake.pdf. Inside it is not a PDF, JPEG or PNG." in reply
    assert "You can send these again under My applications." in reply
    assert [(d["file_name"], d["content_type"]) for d in holiday["documents"]] == [
        ("income-2025.pdf", "application/pdf"),
        ("benefit.png", "image/png"),
    ]
    assert [d["size"] for d in holiday["documents"]] == [len(PDF), len(PNG)]
