"""The borrower's settings: partial changes, checked against stored values, each change audited."""

import re

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import AuditEntry, Borrower
from tests.helpers import SEED_PHONE, as_user, borrower_body, loan_body, put

USER = 700_000_601
OTHER_USER = 700_000_602
PATH = "/api/v1/me/settings"


def _patch(client, body: dict, user: int = USER):
    return client.patch(PATH, json=body, headers=as_user(user))


async def _audit(engine) -> list[AuditEntry]:
    async with AsyncSession(engine) as session:
        rows = await session.scalars(
            select(AuditEntry).where(AuditEntry.action == "change_setting").order_by(AuditEntry.id)
        )
        return list(rows.all())


async def test_defaults(client, loan_id):
    response = await client.get(PATH, headers=as_user(USER))
    assert response.status_code == 200
    assert response.json() == {
        "language": "ru",
        "reminders_enabled": False,
        "payment_received_notices": True,
        "reminder_days_ahead": [3, 1],
        "daytime_start": "09:00",
        "daytime_end": "21:00",
        "time_zone": "Europe/Moscow",
        "selected_loan_id": loan_id,
    }


async def test_partial_update_changes_only_what_is_sent(client, loan_id, engine):
    response = await _patch(
        client,
        {
            "language": "en",
            "reminder_days_ahead": [1, 7, 3],
            "reminders_enabled": True,
            "payment_received_notices": False,
        },
    )
    assert response.status_code == 200, response.text
    assert response.json() == {
        "language": "en",
        "reminders_enabled": True,
        "payment_received_notices": False,
        "reminder_days_ahead": [7, 3, 1],
        "daytime_start": "09:00",
        "daytime_end": "21:00",
        "time_zone": "Europe/Moscow",
        "selected_loan_id": loan_id,
    }
    assert (await client.get(PATH, headers=as_user(USER))).json() == response.json()
    entries = await _audit(engine)
    assert sorted(entry.details["field"] for entry in entries) == [
        "language",
        "payment_received_notices",
        "reminder_days_ahead",
        "reminders_enabled",
    ]
    assert all(entry.details.keys() == {"field"} and entry.entity == "borrower" for entry in entries)


async def test_an_unchanged_value_is_not_audited(client, loan_id, engine):
    assert (await _patch(client, {"language": "ru", "time_zone": "Europe/Moscow"})).status_code == 200
    assert (await _patch(client, {})).status_code == 200
    assert await _audit(engine) == []


async def test_daytime_time_zone_and_selected_loan(client, bank, loan_id, engine):
    second = await put(
        bank,
        "loans/L-3",
        loan_body(contract_number="ИК-2024/000111", contract_date="2024-01-15", first_payment_date="2024-02-15"),
    )
    response = await _patch(
        client,
        {
            "daytime_start": "08:30",
            "daytime_end": "20:00",
            "time_zone": "Asia/Vladivostok",
            "selected_loan_id": second["id"],
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["daytime_start"], body["daytime_end"], body["time_zone"], body["selected_loan_id"]) == (
        "08:30",
        "20:00",
        "Asia/Vladivostok",
        second["id"],
    )
    async with AsyncSession(engine) as session:
        borrower = await session.scalar(select(Borrower).where(Borrower.telegram_user_id == USER))
    assert (borrower.daytime_start.isoformat(), borrower.time_zone) == ("08:30:00", "Asia/Vladivostok")
    assert SEED_PHONE not in str([entry.details for entry in await _audit(engine)])


@pytest.mark.parametrize(
    ("body", "ok"),
    [
        ({"daytime_end": "13:00"}, True),  # exactly four hours after 09:00
        ({"daytime_end": "12:59"}, False),
        ({"daytime_start": "21:00"}, False),  # not before the stored end
        ({"daytime_start": "22:00", "daytime_end": "06:00"}, False),
        ({"daytime_start": "00:00", "daytime_end": "23:59"}, True),
    ],
)
async def test_daytime_window_is_checked_with_the_stored_values(client, loan_id, body, ok):
    response = await _patch(client, body)
    if ok:
        assert response.status_code == 200, response.text
    else:
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "invalid_daytime"


async def test_another_borrowers_loan_is_404(client, bank, loan_id):
    await put(bank, "borrowers/B-2", borrower_body(phone="+79160000002"))
    theirs = await put(bank, "loans/L-2", loan_body("B-2", contract_number="ИК-2022/000999"))
    missing = await _patch(client, {"selected_loan_id": 999999})
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "loan_not_found"
    response = await _patch(client, {"selected_loan_id": theirs["id"]})
    assert (response.status_code, response.json()) == (404, missing.json())
    assert (await client.get(PATH, headers=as_user(USER))).json()["selected_loan_id"] == loan_id


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"language": "de"}, "language"),
        ({"language": None}, "body"),
        ({"reminders_enabled": "maybe"}, "reminders_enabled"),
        ({"reminders_enabled": None}, "body"),
        ({"payment_received_notices": "sometimes"}, "payment_received_notices"),
        ({"payment_received_notices": None}, "body"),
        ({"reminder_days_ahead": [0]}, "reminder_days_ahead"),
        ({"reminder_days_ahead": [15]}, "reminder_days_ahead"),
        ({"reminder_days_ahead": [1, 1]}, "reminder_days_ahead"),
        ({"reminder_days_ahead": [1, 2, 3, 4]}, "reminder_days_ahead"),
        ({"reminder_days_ahead": ["x"]}, "reminder_days_ahead"),
        ({"reminder_days_ahead": 3}, "reminder_days_ahead"),
        ({"daytime_start": "9:00"}, "daytime_start"),
        ({"daytime_start": "24:00"}, "daytime_start"),
        ({"daytime_end": "09:60"}, "daytime_end"),
        ({"daytime_end": 900}, "daytime_end"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"time_zone": ""}, "time_zone"),
        ({"time_zone": "x" * 65}, "time_zone"),
        ({"selected_loan_id": "abc"}, "selected_loan_id"),
        ({"selected_loan_id": -1}, "selected_loan_id"),
        ({"selected_loan_id": None}, "body"),
        ({"phone": "+79990000000"}, "phone"),
    ],
)
async def test_bad_changes_are_422(client, loan_id, engine, body, field):
    response = await _patch(client, body)
    assert response.status_code == 422
    assert any(f["field"].startswith(field) for f in response.json()["error"]["fields"])
    assert await _audit(engine) == []


async def test_empty_reminder_days_mean_only_the_day_itself(client, loan_id):
    response = await _patch(client, {"reminder_days_ahead": []})
    assert response.json()["reminder_days_ahead"] == []


async def test_tokens_and_linking_are_checked(client, anonymous, bank, loan_id):
    assert (await anonymous.get(PATH, headers=as_user(USER))).status_code == 401
    assert (await bank.patch(PATH, json={"language": "en"}, headers=as_user(USER))).status_code == 401
    for response in (await client.get(PATH, headers=as_user(OTHER_USER)), await _patch(client, {}, user=OTHER_USER)):
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "not_linked"


def _documented(app, component: str, field: str) -> dict:
    return app.openapi()["components"]["schemas"][component]["properties"][field]


def test_times_of_day_are_documented_as_they_are_written(app):
    for component in ("Profile", "PreferencesPublic"):
        for field in ("daytime_start", "daytime_end"):
            assert _documented(app, component, field) | {"description": None} == {
                "type": "string",
                "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$",
                "examples": ["09:00"],
                "title": _documented(app, component, field)["title"],
                "description": None,
            }


@pytest.mark.parametrize("written", ["00:00:00Z", "09:00:00", "9:00", "24:00", "09:60"])
async def test_a_time_the_document_refuses_is_refused(app, client, loan_id, written):
    pattern = _documented(app, "PreferencesPatch", "daytime_start")["anyOf"][0]["pattern"]
    assert re.fullmatch(pattern, written) is None
    response = await client.patch("/api/v1/me/settings", json={"daytime_start": written}, headers=as_user(USER))
    assert response.status_code == 422


async def test_every_time_the_document_allows_is_read_as_written(app, client, loan_id):
    pattern = _documented(app, "PreferencesPatch", "daytime_start")["anyOf"][0]["pattern"]
    await client.patch(PATH, json={"daytime_start": "00:00", "daytime_end": "23:59"}, headers=as_user(USER))
    for written in (f"{hour:02}:{minute:02}" for hour in range(20) for minute in (0, 7, 30, 59)):
        assert re.fullmatch(pattern, written)
        response = await client.patch(PATH, json={"daytime_start": written}, headers=as_user(USER))
        assert (response.status_code, response.json()["daytime_start"]) == (200, written)
