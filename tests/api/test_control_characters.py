"""Control characters (NUL first: PostgreSQL refuses it in text) are refused at the schema boundary with a 422 that
names the field, on every text a borrower, the bank's systems or the scheduler send; nothing is stored and the value
reaches no log."""

import logging

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from api.db import create_engine
from api.models import Borrower, Feedback, SupportCase
from tests.helpers import as_user, borrower_body

USER = 700_000_901
HOSTILE = ["Ив\x00ан", "\x07bell", "esc\x1b[31m", "del\x7f", "\x0bvertical"]


def _fields(response) -> list[str]:
    return [field["field"] for field in response.json()["error"]["fields"]]


async def _count(engine, model) -> int:
    async with AsyncSession(engine) as session:
        return await session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("value", HOSTILE, ids=repr)
async def test_a_borrower_name_with_a_control_character_is_refused_naming_the_field(bank, engine, value, caplog):
    before = await _count(engine, Borrower)
    caplog.set_level(logging.DEBUG)
    response = await bank.put("/api/v1/integration/borrowers/B-NUL", json=borrower_body(first_name=value))
    assert response.status_code == 422
    assert _fields(response) == ["first_name"]
    assert await _count(engine, Borrower) == before
    assert value not in caplog.text and value not in response.text


async def test_line_breaks_and_tabs_are_text(client, borrower, engine):
    response = await client.post(
        "/api/v1/me/support-cases",
        json={"reason": "requested", "summary": "Первая строка\nвторая\tс табуляцией\r\n"},
        headers=as_user(USER),
    )
    assert response.status_code in (200, 201), response.text


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/me/support-cases", {"reason": "requested", "summary": "по\x00мощь"}, "summary"),
        (
            "/api/v1/me/support-cases",
            {"reason": "requested", "summary": "ok", "recent_steps": ["a\x00"]},
            "recent_steps",
        ),
        ("/api/v1/me/support-cases", {"reason": "requested", "summary": "ok", "details": {"k\x00": 1}}, "details"),
        ("/api/v1/me/feedback", {"subject": "general", "score": 4, "comment": "хо\x00рошо"}, "comment"),
    ],
    ids=["summary", "recent step", "details key", "feedback comment"],
)
async def test_a_borrowers_text_with_nul_is_refused_and_nothing_stored(client, borrower, engine, path, body, field):
    cases, ratings = await _count(engine, SupportCase), await _count(engine, Feedback)
    response = await client.post(path, json=body, headers=as_user(USER))
    assert response.status_code == 422
    assert [name.split(".")[0] for name in _fields(response)] == [field]
    assert "\x00" not in response.text and "\\u0000" not in response.text
    assert (await _count(engine, SupportCase), await _count(engine, Feedback)) == (cases, ratings)


async def test_a_holiday_comment_with_nul_is_refused(client, borrower):
    _, loan_id = borrower
    body = {
        "reason": "job_loss",
        "income_before": "90000.00",
        "income_after": "0.00",
        "months": 2,
        "mode": "full",
        "start_date": "2026-12-10",
        "comment": "уволили\x00",
    }
    response = await client.post(
        f"/api/v1/me/loans/{loan_id}/holidays", json=body, headers=as_user(USER) | {"Idempotency-Key": "nul-comment-1"}
    )
    assert response.status_code == 422
    assert _fields(response) == ["comment"]


async def test_a_database_error_names_no_parameter(settings):
    engine = create_engine(settings)
    try:
        async with engine.connect() as conn:
            with pytest.raises(Exception) as failure:
                await conn.execute(text("SELECT * FROM no_such_table WHERE name = :name"), {"name": "Секретов Иван"})
    finally:
        await engine.dispose()
    assert "Секретов" not in str(failure.value)
    assert "hidden due to hide_parameters" in str(failure.value)
