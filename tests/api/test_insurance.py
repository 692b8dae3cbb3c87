"""Insurance: policies with expiry, policy uploads judged by content (a PDF must open, a picture decode) and size,
one open quote per kind."""

import asyncio
import hashlib

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from api.models import Document, InsuranceQuoteRequest
from tests.helpers import as_user, loan_body, put
from tests.samples import BROKEN, JPEG, PNG, pdf

USER = 700_000_101
OTHER_USER = 700_000_102
PDF = pdf("policy")
LIMIT = 4096


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"max_upload_bytes": LIMIT})


async def _policy(bank, ext: str, kind: str, starts_on: str, expires_on: str) -> None:
    await put(
        bank,
        f"policies/{ext}",
        {
            "loan_external_id": "L-1",
            "kind": kind,
            "insurer": "СК «Пример»",
            "policy_number": f"POL-{ext}",
            "starts_on": starts_on,
            "expires_on": expires_on,
            "premium": "12500.00",
        },
    )


def _upload(client, loan_id: int, content: bytes, *, kind="property", name="policy.pdf", declared="application/pdf"):
    return client.post(
        f"/api/v1/me/loans/{loan_id}/insurance/documents",
        files={"file": (name, content, declared)},
        data={"policy_kind": kind},
        headers=as_user(USER),
    )


def _quote(client, loan_id: int, body: dict, user: int = USER):
    return client.post(f"/api/v1/me/loans/{loan_id}/insurance/quote-requests", json=body, headers=as_user(user))


async def _close_loan(bank) -> None:
    await put(bank, "loans/L-1", loan_body(status="closed", closed_on="2026-10-10"))


async def test_overview_shows_policies_with_days_to_expiry(client, bank, loan_id):
    await _policy(bank, "P-1", "property", "2025-12-10", "2026-12-10")
    await _policy(bank, "P-2", "life", "2025-11-01", "2026-11-01")
    response = await client.get(f"/api/v1/me/loans/{loan_id}/insurance", headers=as_user(USER))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["loan_id"] == loan_id
    assert body["documents"] == [] and body["open_quote_requests"] == []
    property_cover, life = body["policies"]
    # today is 2026-11-26 in Moscow
    assert property_cover | {"id": 0} == {
        "id": 0,
        "kind": "property",
        "mandatory": True,
        "insurer": "СК «Пример»",
        "policy_number": "POL-P-1",
        "starts_on": "2025-12-10",
        "expires_on": "2026-12-10",
        "premium": "12500.00",
        "days_to_expiry": 14,
        "expired": False,
    }
    assert (life["kind"], life["mandatory"], life["days_to_expiry"], life["expired"]) == ("life", False, -25, True)


async def test_days_to_expiry_follow_the_borrowers_time_zone(client, bank, loan_id, clock):
    await _policy(bank, "P-1", "property", "2025-12-10", "2026-12-10")
    clock.advance(hours=12)  # 21:00 UTC is already 2026-11-27 in Moscow
    body = (await client.get(f"/api/v1/me/loans/{loan_id}/insurance", headers=as_user(USER))).json()
    assert body["policies"][0]["days_to_expiry"] == 13


async def test_upload_is_stored_for_review_once(client, loan_id, engine):
    first = await _upload(client, loan_id, PDF)
    assert first.status_code == 201, first.text
    document = first.json()
    assert document["status"] == "submitted"
    assert document["policy_kind"] == "property"
    assert document["purpose"] == "insurance_policy"
    assert document["content_type"] == "application/pdf"
    assert document["size"] == len(PDF)
    assert document["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert document["file_name"] == "policy.pdf"

    again = await _upload(client, loan_id, PDF, name="copy.pdf")
    assert again.status_code == 200
    assert again.json()["id"] == document["id"]
    other_kind = await _upload(client, loan_id, PDF, kind="title")
    assert other_kind.status_code == 201
    assert other_kind.json()["id"] != document["id"]

    async with AsyncSession(engine) as session:
        rows = (await session.scalars(select(Document).options(undefer(Document.content)).order_by(Document.id))).all()
        assert [(row.policy_kind, row.content) for row in rows] == [("property", PDF), ("title", PDF)]
    overview = (await client.get(f"/api/v1/me/loans/{loan_id}/insurance", headers=as_user(USER))).json()
    assert [d["id"] for d in overview["documents"]] == [other_kind.json()["id"], document["id"]]


@pytest.mark.parametrize(
    ("content", "declared", "expected"),
    [
        (PNG, "image/png", "image/png"),
        (JPEG, "image/jpeg", "image/jpeg"),
        (PNG, "application/octet-stream", "image/png"),
    ],
)
async def test_photos_are_accepted_by_their_content(client, loan_id, content, declared, expected):
    response = await _upload(client, loan_id, content, name="photo", declared=declared)
    assert response.status_code == 201, response.text
    assert response.json()["content_type"] == expected


@pytest.mark.parametrize(
    ("content", "declared"),
    [(b"hello, not a pdf", "application/pdf"), (b"GIF89a" + b"\x00" * 10, "image/gif"), (b"MZ\x90\x00", "image/png")],
)
async def test_other_content_is_415_whatever_the_declared_type(client, loan_id, content, declared, engine):
    response = await _upload(client, loan_id, content, declared=declared)
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_file_type"
    async with AsyncSession(engine) as session:
        assert (await session.scalars(select(Document))).all() == []


@pytest.mark.parametrize("name", BROKEN)
async def test_files_that_do_not_open_are_422_with_the_reason(client, loan_id, name, engine):
    content, declared, code = BROKEN[name]
    response = await _upload(client, loan_id, content, name=name, declared=declared)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == code
    async with AsyncSession(engine) as session:
        assert (await session.scalars(select(Document))).all() == []


async def test_size_limit(client, loan_id):
    exactly = PDF + b"\n" * (LIMIT - len(PDF))  # line breaks after the end: still only a PDF
    assert (await _upload(client, loan_id, exactly)).status_code == 201
    too_big = await _upload(client, loan_id, exactly + b"0")
    assert too_big.status_code == 413
    assert too_big.json()["error"] == {
        "code": "file_too_large",
        "message": f"The file is larger than the limit of {LIMIT} bytes.",
        "max_bytes": LIMIT,
    }


async def test_empty_file_is_422(client, loan_id):
    response = await _upload(client, loan_id, b"")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "empty_file"


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("\u2067полис\u2069.pdf", "полис.pdf"),
        ("a\u202a\u202bb.pdf", "ab.pdf"),
    ],
)
async def test_bidirectional_overrides_leave_the_file_name(client, loan_id, name, kept):
    """A name that would read otherwise to staff is kept as it is (`policy‮fdp.exe`, shown as `policyexe.pdf`, is a PDF
    named .exe: refused, tests/attacks/test_file_types.py)."""
    response = await _upload(client, loan_id, PDF, name=name)
    assert response.status_code == 201, response.text
    assert response.json()["file_name"] == kept


async def test_path_in_file_name_is_dropped(client, loan_id):
    response = await _upload(client, loan_id, PDF, name="../../etc/passwd.pdf")
    assert response.json()["file_name"] == "passwd.pdf"


@pytest.mark.parametrize(
    ("files", "data", "field"),
    [
        (None, {"policy_kind": "property"}, "file"),
        ({"file": ("p.pdf", PDF, "application/pdf")}, {}, "policy_kind"),
        ({"file": ("p.pdf", PDF, "application/pdf")}, {"policy_kind": "car"}, "policy_kind"),
    ],
)
async def test_bad_upload_forms_are_422(client, loan_id, files, data, field):
    response = await client.post(
        f"/api/v1/me/loans/{loan_id}/insurance/documents", files=files, data=data, headers=as_user(USER)
    )
    assert response.status_code == 422
    assert any(f["field"].startswith(field) for f in response.json()["error"]["fields"])


async def test_quote_request_once_per_kind(client, loan_id, engine):
    first = await _quote(client, loan_id, {"kind": "property"})
    assert first.status_code == 201, first.text
    quote = first.json()
    assert quote | {"id": 0, "created_at": ""} == {
        "id": 0,
        "loan_id": loan_id,
        "kind": "property",
        "status": "requested",
        "created_at": "",
        "insurer": None,
        "premium": None,
        "valid_until": None,
        "pay_by": None,
        "answered_at": None,
        "pay_later": None,  # asked only once the price is known
        "chosen_at": None,
    }
    assert quote["created_at"].startswith("2026-11-26T09:00:00")
    repeat = await _quote(client, loan_id, {"kind": "property"})
    assert repeat.status_code == 200
    assert repeat.json() == quote
    life = await _quote(client, loan_id, {"kind": "life"})
    assert life.status_code == 201
    assert life.json()["status"] == "requested"

    overview = (await client.get(f"/api/v1/me/loans/{loan_id}/insurance", headers=as_user(USER))).json()
    assert [q["kind"] for q in overview["open_quote_requests"]] == ["property", "life"]
    async with AsyncSession(engine) as session:
        assert len((await session.scalars(select(InsuranceQuoteRequest))).all()) == 2


async def test_concurrent_quote_requests_store_one(client, loan_id, engine):
    responses = await asyncio.gather(*(_quote(client, loan_id, {"kind": "title"}) for _ in range(3)))
    assert sorted(r.status_code for r in responses) == [200, 200, 201]
    assert len({r.json()["id"] for r in responses}) == 1
    async with AsyncSession(engine) as session:
        assert len((await session.scalars(select(InsuranceQuoteRequest))).all()) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "kind"),
        ({"kind": "car"}, "kind"),
        ({"kind": "life", "pay_later": True}, "pay_later"),  # chosen once priced, not with the request
        ({"kind": "life", "surprise": 1}, "surprise"),
    ],
)
async def test_bad_quote_requests_are_422(client, loan_id, body, field):
    response = await _quote(client, loan_id, body)
    assert response.status_code == 422
    assert any(f["field"].startswith(field) for f in response.json()["error"]["fields"])


async def test_closed_loan_takes_no_uploads_or_quotes(client, bank, loan_id):
    await _close_loan(bank)
    for response in (await _upload(client, loan_id, PDF), await _quote(client, loan_id, {"kind": "property"})):
        assert response.status_code == 409
        assert response.json()["error"]["code"] == "loan_closed"
    overview = await client.get(f"/api/v1/me/loans/{loan_id}/insurance", headers=as_user(USER))
    assert overview.status_code == 200


async def test_another_borrowers_loan_is_404_like_a_missing_one(client, loan_id, other_loan_id):
    missing = await client.get("/api/v1/me/loans/999999/insurance", headers=as_user(USER))
    assert missing.status_code == 404
    calls = [
        client.get(f"/api/v1/me/loans/{other_loan_id}/insurance", headers=as_user(USER)),
        _upload(client, other_loan_id, PDF),
        _quote(client, other_loan_id, {"kind": "life"}),
    ]
    for response in await asyncio.gather(*calls):
        assert response.status_code == 404
        assert response.json() == missing.json()
    assert missing.json()["error"]["code"] == "loan_not_found"


@pytest.mark.parametrize("loan_path", ["0", "-1", "abc", str(2**63)])
async def test_bad_loan_ids_are_422(client, loan_id, loan_path):
    response = await client.get(f"/api/v1/me/loans/{loan_path}/insurance", headers=as_user(USER))
    assert response.status_code == 422


async def test_tokens_and_linking_are_checked(client, anonymous, bank, loan_id):
    path = f"/api/v1/me/loans/{loan_id}/insurance"
    assert (await anonymous.get(path, headers=as_user(USER))).status_code == 401
    assert (await bank.get(path, headers=as_user(USER))).status_code == 401
    assert (await anonymous.post(f"{path}/quote-requests", json={"kind": "life"})).status_code == 401
    unlinked = await client.get(path, headers=as_user(USER + 99))
    assert unlinked.status_code == 403
    assert unlinked.json()["error"]["code"] == "not_linked"
    assert (await client.get(path)).status_code == 422  # no X-Telegram-User-Id header
