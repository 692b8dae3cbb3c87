"""Judging a file before it is stored: the rule every upload follows (a PDF must open with a page, a picture must
decode), answered for the bot as soon as a borrower sends a file; nothing is stored."""

import pytest
from fpdf import FPDF
from fpdf.enums import EncryptionMethod
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import Document
from tests.helpers import as_user
from tests.samples import BROKEN, JPEG, PNG, pdf

USER = 700_000_501
LIMIT = 4096
PATH = "/api/v1/me/documents/check"


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"max_upload_bytes": LIMIT})


def _check(client, content: bytes, name: str = "file", declared: str = "application/octet-stream", user: int = USER):
    return client.post(PATH, files={"file": (name, content, declared)}, headers=as_user(user))


@pytest.mark.parametrize(
    ("content", "expected"), [(pdf(), "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg")]
)
async def test_real_files_pass_by_their_content(client, loan_id, content, expected):
    response = await _check(client, content)
    assert response.status_code == 200, response.text
    assert response.json() == {"content_type": expected, "size": len(content)}


async def test_a_cameras_data_after_a_jpegs_end_is_kept(client, loan_id):
    motion_photo = JPEG + b"\x00\x00\x00\x18ftypmp42" + bytes(64)  # a phone's motion photo: a video after the picture
    response = await _check(client, motion_photo)
    assert response.status_code == 200, response.text
    assert response.json()["content_type"] == "image/jpeg"


@pytest.mark.parametrize("name", BROKEN)
async def test_broken_files_are_422_with_the_reason(client, loan_id, engine, name):
    content, declared, code = BROKEN[name]
    response = await _check(client, content, name, declared)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == code
    async with AsyncSession(engine) as session:
        assert (await session.scalars(select(Document))).all() == []


@pytest.mark.parametrize(
    ("content", "status", "code"),
    [
        (b"", 422, "empty_file"),
        (b"GIF89a" + bytes(10), 415, "unsupported_file_type"),
        (pdf() + bytes(LIMIT), 413, "file_too_large"),
    ],
)
async def test_other_refusals_are_the_uploads_own(client, loan_id, content, status, code):
    response = await _check(client, content)
    assert (response.status_code, response.json()["error"]["code"]) == (status, code)


async def test_only_a_linked_chat_with_the_token_may_ask(client, anonymous, loan_id):
    assert (await _check(client, pdf(), user=USER + 1)).json()["error"]["code"] == "not_linked"
    response = await anonymous.post(PATH, files={"file": ("a.pdf", pdf(), "application/pdf")}, headers=as_user(USER))
    assert response.status_code == 401


@pytest.mark.parametrize("method", [EncryptionMethod.RC4, EncryptionMethod.AES_128, EncryptionMethod.AES_256])
async def test_a_pdf_locked_only_by_an_owner_password_opens(client, loan_id, method):
    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=12)
    document.cell(text="statement")
    document.set_encryption(owner_password="owner", encryption_method=method)  # printing restricted: banks send these
    response = await _check(client, bytes(document.output()))
    assert response.status_code == 200, response.text
