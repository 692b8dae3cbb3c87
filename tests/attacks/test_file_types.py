"""Wrong and lying file types, on every backend route that takes a file (from the OpenAPI document) and in the chat:
a name that says `.pdf` on a picture, `.exe` or `.pdf.gz` on a PDF, a declared type that is not the bytes' own, an
executable or a script named as a picture or a PDF, a picture whose header declares a hundred thousand pixels square
in a few hundred bytes (a decompression bomb). Each is refused with its own code and a plain reason, nothing is
stored, and the same files told the truth about are taken. (`api/documents/content.py` parses the bytes,
`api/documents/uploads.py` holds the name and the declared type to them; the PDFs that do not open, the polyglots
and the empty file are in tests/api/test_documents.py and tests/bot/test_insurance_bad_input.py.)"""

import struct
import zlib

import pytest
from sqlalchemy import func, select

from api.models import Document
from tests.api.outbox_helpers import session_of
from tests.attacks.routes import body_types, filled, form, ids, operations
from tests.attacks.worlds import two_borrowers
from tests.bot.replies import texts
from tests.bot.walks import data_of, enter, question
from tests.helpers import as_user
from tests.samples import JPEG, PNG, pdf

PDF = pdf("a policy")
UPLOADS = [
    (method, path) for method, path in operations(under="/api/v1/") if "multipart/form-data" in body_types(method, path)
]


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(side: int = 100_000) -> bytes:
    """A PNG whose header says `side`×`side` pixels (10 gigapixels) over a few hundred bytes of data."""
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)  # 8-bit greyscale
    rows = zlib.compress(b"\x00" * (side + 1) * 4, 9)  # four rows of a picture that claims 100,000
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", rows) + _chunk(b"IEND", b"")


#: name, bytes, declared type -> the status and code of the refusal
LIES = {
    "a picture named .pdf": (("policy.pdf", PNG, "application/octet-stream"), 422, "file_type_mismatch"),
    "a picture declared a PDF": (("policy", PNG, "application/pdf"), 422, "file_type_mismatch"),
    "a JPEG named and declared PNG": (("scan.png", JPEG, "image/png"), 422, "file_type_mismatch"),
    "a JPEG named right, declared PNG": (("scan.jpg", JPEG, "image/png"), 422, "file_type_mismatch"),
    "a PDF named .exe": (("policy.exe", PDF, "application/pdf"), 422, "file_type_mismatch"),
    "a PDF named .exe to read .pdf": (("policy\u202efdp.exe", PDF, "application/pdf"), 422, "file_type_mismatch"),
    "a PDF named .pdf.gz": (("policy.pdf.gz", PDF, "application/pdf"), 422, "file_type_mismatch"),
    "a PDF named .docx": (("policy.docx", PDF, "application/pdf"), 422, "file_type_mismatch"),
    "a PDF declared text/html": (("policy.pdf", PDF, "text/html"), 422, "file_type_mismatch"),
    "an executable named .jpg": (
        ("photo.jpg", b"MZ\x90\x00\x03" + bytes(200), "image/jpeg"),
        415,
        "unsupported_file_type",
    ),
    "an ELF named .pdf": (
        ("policy.pdf", b"\x7fELF\x02\x01\x01" + bytes(200), "application/pdf"),
        415,
        "unsupported_file_type",
    ),
    "a script named .png": (("scan.png", b"#!/bin/sh\nrm -rf /\n", "image/png"), 415, "unsupported_file_type"),
    "a decompression bomb": (("scan.png", png_bomb(), "image/png"), 422, "image_too_large"),
}
TRUTHS = {
    "a PDF": ("policy.pdf", PDF, "application/pdf"),
    "a PDF in capitals, its type with a charset": ("POLICY.PDF", PDF, "application/pdf; charset=binary"),
    "a JPEG as Telegram's photo": ("photo-7.jpg", JPEG, "image/jpeg"),
    "a JPEG named .jpeg, declared image/jpg": ("scan.jpeg", JPEG, "image/jpg"),
    "a PNG with no extension, no type": ("scan", PNG, "application/octet-stream"),
    "a date for a name": ("справка 12.03.2024", PNG, ""),
}


def test_the_bomb_is_small_and_says_it_is_huge():
    bomb = png_bomb()
    assert len(bomb) < 1000
    assert struct.unpack(">II", bomb[16:24]) == (100_000, 100_000)  # IHDR's width and height


async def _documents(engine) -> int:
    async with session_of(engine) as session:
        return await session.scalar(select(func.count()).select_from(Document))


@pytest.mark.parametrize(("method", "path"), UPLOADS, ids=ids(UPLOADS))
async def test_lying_files_are_refused_with_the_reason_and_honest_ones_taken(
    app, bank, client, engine, clock, method, path
):
    a, _ = await two_borrowers(bank, client, engine, clock)
    address, headers = filled(path, a.ids), as_user(a.user)
    stored = await _documents(engine)
    for name, (file, status, code) in LIES.items():
        response = await client.request(method, address, headers=headers, **form(method, path, file))
        assert (response.status_code, response.json()["error"]["code"]) == (status, code), f"{name}: {response.text}"
        assert response.json()["error"]["message"], name
    assert await _documents(engine) == stored, "a refused file was stored"
    for name, (file_name, content, declared) in TRUTHS.items():
        file = (file_name, pdf(name) if content is PDF else content, declared)  # a PDF of its own each time
        response = await client.request(method, address, headers=headers, **form(method, path, file))
        assert response.status_code in (200, 201), f"{name}: {response.text}"


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (("policy.pdf", PNG, "application/pdf"), "The file is named policy.pdf but holds a PNG picture"),
        (("scan.jpg", JPEG, "image/png"), "The file is sent as image/png but holds a JPEG picture"),
        (("policy\u202efdp.exe", PDF, "application/pdf"), "The file is named policyfdp.exe but holds a PDF"),
    ],
)
async def test_the_refusal_says_what_the_file_is(client, bank, engine, clock, file, message):
    a, _ = await two_borrowers(bank, client, engine, clock)
    response = await client.post("/api/v1/me/documents/check", files={"file": file}, headers=as_user(a.user))
    error = response.json()["error"]
    assert error["message"] == f"{message}; please send it as what it is."
    assert error["found"] in ("application/pdf", "image/png", "image/jpeg")


# --- in the chat ------------------------------------------------------------------------------------------------

WORDS = {
    "en": {
        "not_taken": "Not taken: {name}. ",
        "file_type_mismatch": "Its name or type says it is one kind of file, but inside it is another. Please send "
        "it under its own name.",
        "unsupported_file_type": "Inside it is not a PDF, JPEG or PNG.",
        "image_too_large": "The picture is too large to open. Please send a smaller one.",
    },
    "ru": {
        "not_taken": "Не принят: {name}. ",
        "file_type_mismatch": "По имени или типу это один вид файла, а внутри другой. Пришлите его под его настоящим "
        "именем.",
        "unsupported_file_type": "Внутри это не PDF, JPEG или PNG.",
        "image_too_large": "Изображение слишком большое, я не могу его открыть. Пришлите изображение поменьше.",
    },
}
#: What a borrower's Telegram can send (a type Telegram says is not PDF, JPEG or PNG never reaches the backend).
IN_THE_CHAT = [
    name
    for name, ((_, _, declared), _, _) in LIES.items()
    if declared in ("application/pdf", "image/jpeg", "image/png")
]


@pytest.mark.parametrize("language", ["ru", "en"])
async def test_the_borrower_is_told_why_a_lying_file_is_not_taken(language, demo, chat_factory):
    words = WORDS[language]
    chat, asked = await enter(
        chat_factory, "holiday_documents", 701_000_201 if language == "ru" else 701_000_202, language
    )
    for name in IN_THE_CHAT:
        (file_name, content, declared), _, code = LIES[name]
        calls = await chat.send_document(content, file_name, declared)
        assert words["not_taken"].format(name=file_name) + words[code] in texts(calls), name
        assert question(calls) == question(asked), f"{name}: the question is not asked again"
    assert (await data_of(chat))["holiday"]["documents"] == []
