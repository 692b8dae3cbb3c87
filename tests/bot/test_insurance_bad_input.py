"""Insurance renewal's bad input: files of the wrong type or size, bytes that are not what they claim, the wrong kind
of message where a file is expected, stale and forged buttons, the backend down at the last step."""

import pytest
from aiogram.methods import AnswerCallbackQuery, GetFile, SendMessage

from tests.bot.conftest import DMITRY
from tests.bot.replies import text, texts, toasts
from tests.bot.test_insurance import PDF, insurance_of
from tests.bot.walks import data_of, enter, keys, question, state_of
from tests.samples import BROKEN

MEGABYTE = 1024 * 1024
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#: The same words as the holiday wizard's (dialogs/file_checks.py), after "Not taken: <file name>. ".
REFUSED = {
    "ru": {
        "not_taken": "Не принят: {name}. ",
        "type": "Я принимаю только файлы PDF и фотографии (JPEG или PNG).",
        "inside": "Внутри это не PDF, JPEG или PNG.",
        "size": "Он больше 10 МБ.",
        "empty": "Файл пустой.",
        "pdf_unreadable": (
            "PDF не открывается: похоже, он повреждён или неполный. Сохраните или отсканируйте его заново."
        ),
        "pdf_no_pages": "В PDF нет ни одной страницы.",
        "pdf_protected": "PDF закрыт паролем, и сотрудники не смогут его открыть. Пришлите его без пароля.",
        "pdf_polyglot": "Это не обычный PDF: в нём спрятано что-то ещё. Пожалуйста, сохраните его заново как PDF.",
        "image_polyglot": "Это не обычное изображение: в нём спрятано что-то ещё. Сделайте снимок заново.",
        "image_unreadable": "Изображение не открывается: похоже, оно повреждено или неполное. Сделайте снимок заново.",
        "not_a_file": "Пожалуйста, пришлите файл документом PDF или фотографией.",
    },
    "en": {
        "not_taken": "Not taken: {name}. ",
        "type": "I can take only PDF files and photos (JPEG or PNG).",
        "inside": "Inside it is not a PDF, JPEG or PNG.",
        "size": "It is larger than 10 MB.",
        "empty": "The file is empty.",
        "pdf_unreadable": "The PDF does not open: it looks damaged or incomplete. Please save or scan it again.",
        "pdf_no_pages": "The PDF has no pages.",
        "pdf_protected": "The PDF is locked by a password, so the staff could not open it. Please send it unlocked.",
        "pdf_polyglot": "This is not a plain PDF: something else is hidden in it. Please save it again as a PDF.",
        "image_polyglot": "This is not a plain picture: something else is hidden in it. Please take it again.",
        "image_unreadable": "The picture does not open: it looks damaged or incomplete. Please take it again.",
        "not_a_file": "Please send the file as a PDF document or a photo.",
    },
}
BAD_FILES = {
    # what is sent, its name, which refusal it gets, whether the bot downloads it (the backend judges the bytes)
    "a Word document": (
        lambda chat: chat.send_document(b"PK\x03\x04word", "policy.docx", DOCX),
        "policy.docx",
        "type",
        False,
    ),
    "a text file": (
        lambda chat: chat.send_document(b"policy", "policy.txt", "text/plain"),
        "policy.txt",
        "type",
        False,
    ),
    "no type at all": (lambda chat: chat.send_document(b"%PDF-1.4", "policy", ""), "policy", "type", False),
    "claimed over 10 MB": (lambda chat: chat.send_document(PDF, size=10 * MEGABYTE + 1), "policy.pdf", "size", False),
    "a PDF that is not one": (
        lambda chat: chat.send_document(b"<html>policy</html>", "policy.pdf"),
        "policy.pdf",
        "inside",
        True,
    ),
    "a photo that is not one": (lambda chat: chat.send_photo(b"GIF89a not a jpeg"), "photo-", "inside", True),
    "over 10 MB, claimed small": (
        lambda chat: chat.send_document(PDF + bytes(10 * MEGABYTE), size=1000),
        "policy.pdf",
        "size",
        True,
    ),
    "an empty file": (lambda chat: chat.send_document(b"", "policy.pdf"), "policy.pdf", "empty", True),
    **{
        f"broken: {name}": (
            lambda chat, content=content, mime_type=mime_type, name=name: chat.send_document(content, name, mime_type),
            name,
            code,
            True,
        )
        for name, (content, mime_type, code) in BROKEN.items()
    },
}
NOT_A_FILE = {
    "text": lambda chat: chat.send("here is my policy"),
    "4000 characters": lambda chat: chat.send(("Полис? Policy? " * 300)[:4000]),
    "sticker": lambda chat: chat.send_sticker(),
    "voice": lambda chat: chat.send_voice(),
    "contact": lambda chat: chat.send_contact(),
}


async def _asked_for_the_file(linked, user_id: int, language: str):
    chat = await linked(DMITRY, user_id, language_code=language)
    await chat.press_data("nav:insurance")
    return chat, await chat.press_data("ins:upload")


@pytest.mark.parametrize("language", ["ru", "en"])
async def test_files_that_will_not_do_are_refused_and_asked_for_again(language, linked, client):
    chat, asked = await _asked_for_the_file(linked, 22101 if language == "ru" else 22102, language)
    draft = await data_of(chat)
    words = REFUSED[language]
    for name, (send, file_name, refusal, downloaded) in BAD_FILES.items():
        calls = await send(chat)
        said = texts(calls)[0]
        assert said.startswith(words["not_taken"].format(name=file_name).rstrip(". ")), name
        assert said.endswith(words[refusal]), name
        assert question(calls) == question(asked), f"{name}: the file is not asked for again"
        assert any(isinstance(c.method, GetFile) for c in calls) is downloaded, name
        assert await state_of(chat) == "Insurance:upload_file", name
        assert await data_of(chat) == draft, name
    assert (await insurance_of(client, chat.user_id))["documents"] == []


@pytest.mark.parametrize("language", ["ru", "en"])
async def test_anything_but_a_file_gets_the_question_again(language, linked, client):
    chat, asked = await _asked_for_the_file(linked, 22103 if language == "ru" else 22104, language)
    for name, send in NOT_A_FILE.items():
        calls = await send(chat)
        assert texts(calls)[0] == REFUSED[language]["not_a_file"], name
        assert question(calls) == question(asked), name
        assert await state_of(chat) == "Insurance:upload_file", name
        await chat.press_data("ins:upload")  # understood (the cover, the only one, again): a run of misses ends
    await chat.send_sticker()
    calls = await chat.send_voice()  # a second miss in a row: a person is offered, the question stays open
    offered = [keys(c.method.reply_markup) or () for c in calls if isinstance(c.method, SendMessage)]
    assert any("person:misunderstood" in buttons for buttons in offered)
    assert await state_of(chat) == "Insurance:upload_file"
    assert (await insurance_of(client, chat.user_id))["documents"] == []


FORGED = {
    "insurance_overview": ("inscover:property", "inspay:1", "ins:hack", "ins:", "ins:upload:x", "zzz:1"),
    "insurance_upload_kind": (
        "inscover:title",  # a real cover, but not one of this loan's
        "inscover:car",
        "inscover:",
        "inscover:property:x",
        "inspay:1",
        "ins:quote",
        "ins:hack",
        "inscover:" + "x" * 80,
    ),
    "insurance_upload_file": ("inscover:life", "inspay:0", "ins:quote", "ins:hack"),
    "insurance_quote_kind": (
        "inscover:title",
        "inscover:PROPERTY",
        "inspay:1",  # the old button that asked for a payment before any price
        "inspay:1:99999:1",  # no such quote
        "inspay:1:0:0",
        "inspay:x:y:z",
        "ins:upload",
    ),
}


@pytest.mark.parametrize("name", FORGED)
async def test_forged_buttons_change_nothing(name, demo, chat_factory, client):
    chat, asked = await enter(chat_factory, name, 22105)
    data = await data_of(chat)
    for forged in FORGED[name]:
        calls = await chat.press_data(forged)
        assert any(isinstance(c.method, AnswerCallbackQuery) for c in calls), forged
        assert any("no longer active" in (toast or "") for toast in toasts(calls)), forged
        assert await state_of(chat) == f"Insurance:{name.removeprefix('insurance_')}", forged
        assert await data_of(chat) == data, forged
        assert question(calls) == question(asked), f"{forged}: the same screen is not shown again"
    stored = await insurance_of(client, 22105)
    assert stored["documents"] == [] and stored["open_quote_requests"] == []


async def test_stale_buttons_after_moving_on(demo, chat_factory, client):
    chat, _ = await enter(chat_factory, "insurance_upload_kind", 22106)
    life = next(b for b in chat.buttons() if b.callback_data == "inscover:life")
    asked = await chat.press_data("inscover:property")
    calls = await chat.press_button(life)  # the choice of cover, pressed again under the file question
    assert "This button is no longer active." in toasts(calls)
    assert question(calls) == question(asked)
    assert (await data_of(chat))["insurance_kind"] == "property"

    await chat.press_data("ins:upload")  # Back to the choice, then on to a quote
    await chat.press_data("nav:insurance")
    await chat.press_data("ins:quote")
    property_cover = next(b for b in chat.buttons() if b.callback_data == "inscover:property")
    await chat.press_button(property_cover)
    calls = await chat.press_button(property_cover)  # a double tap: the menu, and still one request
    assert "This button is no longer active." in toasts(calls)
    quotes = (await insurance_of(client, 22106))["open_quote_requests"]
    assert [(q["kind"], q["status"], q["pay_later"]) for q in quotes] == [("property", "requested", None)]


@pytest.mark.parametrize("mode", ["down", "late"])
async def test_backend_failing_at_the_upload_then_a_retry_stores_one(mode, linked, client, switch):
    chat, _ = await _asked_for_the_file(linked, 22107, "en")
    draft = await data_of(chat)
    switch.mode = mode
    calls = await chat.send_document(PDF)
    switch.mode = "up"
    assert "not answering" in text(calls)
    assert await state_of(chat) == "Insurance:upload_file"
    assert await data_of(chat) == draft
    assert len((await insurance_of(client, 22107))["documents"]) == (1 if mode == "late" else 0)

    calls = await chat.send_document(PDF)
    sent = "is sent to the bank's staff" if mode == "down" else "is already being checked by the bank's staff"
    assert sent in text(calls)
    assert len((await insurance_of(client, 22107))["documents"]) == 1


async def test_backend_failing_at_the_quote_then_a_retry_asks_once(demo, chat_factory, client, switch):
    chat, _ = await enter(chat_factory, "insurance_quote_kind", 22108)
    draft = await data_of(chat)
    switch.mode = "down"
    calls = await chat.press_data("inscover:life")
    switch.mode = "up"
    assert "not answering" in text(calls)
    assert await state_of(chat) == "Insurance:quote_kind"
    assert (await data_of(chat))["insurance_loan"] == draft["insurance_loan"]
    assert (await insurance_of(client, 22108))["open_quote_requests"] == []

    assert "your request for a renewal quote (life insurance) is sent" in text(await chat.press_data("inscover:life"))
    quotes = (await insurance_of(client, 22108))["open_quote_requests"]
    assert [(q["kind"], q["status"]) for q in quotes] == [("life", "requested")]
