"""The borrower's profile for the bot: preferences, linked state, the weekly survey limit; no personal data."""

from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import Borrower
from tests.api.loan_helpers import linked_loan
from tests.helpers import as_user, seed_borrower

USER = 700_000_101


async def _set_last_survey(engine, at) -> None:
    async with AsyncSession(engine) as session:
        await session.execute(update(Borrower).values(last_survey_at=at))
        await session.commit()


async def test_profile_of_a_linked_borrower(bank, client, clock):
    loan_id = await linked_loan(bank, client, USER)
    response = await client.get("/api/v1/me", headers=as_user(USER))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body == {
        "id": body["id"],
        "first_name": "Иван",
        "language": "ru",
        "time_zone": "Europe/Moscow",
        "selected_loan_id": loan_id,
        "reminders_enabled": False,
        "reminder_days_ahead": [3, 1],
        "daytime_start": "09:00",  # as /me/settings writes it
        "daytime_end": "21:00",
        "linked_at": "2026-11-26T09:00:00Z",
        "survey_allowed": True,
        "chat_case": None,
    }
    assert isinstance(body["id"], int)
    text = response.text
    assert "+7916" not in text and "1985" not in text and "000457" not in text


async def test_survey_is_allowed_once_a_week(bank, client, clock, engine):
    await linked_loan(bank, client, USER)
    await _set_last_survey(engine, clock.now - timedelta(days=2))
    assert (await client.get("/api/v1/me", headers=as_user(USER))).json()["survey_allowed"] is False
    clock.advance(days=4, hours=23, minutes=59)
    assert (await client.get("/api/v1/me", headers=as_user(USER))).json()["survey_allowed"] is False
    clock.advance(minutes=1)
    assert (await client.get("/api/v1/me", headers=as_user(USER))).json()["survey_allowed"] is True


async def test_unlinked_caller_is_403(bank, client):
    await seed_borrower(bank)
    response = await client.get("/api/v1/me", headers=as_user(USER))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_linked"


@pytest.mark.parametrize(
    "header",
    [
        {},
        {"X-Telegram-User-Id": "abc"},
        {"X-Telegram-User-Id": "-1"},
        {"X-Telegram-User-Id": "0"},
        {"X-Telegram-User-Id": str(2**63)},
        {"X-Telegram-User-Id": "+1001"},
        {"X-Telegram-User-Id": "1_001"},
        {"X-Telegram-User-Id": "1001.0"},
        {"X-Telegram-User-Id": "1e3"},
        {"X-Telegram-User-Id": " 1001"},
        {"X-Telegram-User-Id": "١٠٠١".encode()},  # sent as the UTF-8 bytes a client could put there
    ],
    ids=repr,
)
async def test_missing_or_bad_user_header_is_422(client, header):
    response = await client.get("/api/v1/me", headers=header)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


async def test_tokens_are_checked(bank, client, anonymous):
    await linked_loan(bank, client, USER)
    missing = await anonymous.get("/api/v1/me", headers=as_user(USER))
    assert missing.status_code == 401
    assert missing.json()["error"]["code"] == "unauthorized"
    assert (await bank.get("/api/v1/me", headers=as_user(USER))).status_code == 401
