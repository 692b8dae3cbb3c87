"""The planner sees to each loan once a local day, and again the same day when what it planned from changes."""

import asyncio
from collections import Counter
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from api.db import create_sessionmaker
from api.importer.kinds import PAYMENTS
from api.importer.loader import load_file
from api.importer.reader import read_csv
from api.loans.state import load_records
from api.models import Borrower, InsurancePolicy, Loan, NotificationStatus, Payment, PolicyKind, StaffRole
from api.outbox import planner
from api.outbox.reminders import next_look
from api.outbox.replanning import replan_borrower, replan_loan
from api.outbox.replanning_check import NotReplanned
from tests.api.outbox_helpers import (
    SCHEDULER,
    SUPERVISOR_TOKEN,
    add_record,
    add_staff,
    client_with,
    document_row,
    holiday_row,
    linked_borrower,
    outbox,
    pay_through,
    session_of,
    set_borrower,
)
from tests.helpers import as_user, borrower_body, link, loan_body, put

USER = 700_100_101
PAID_THROUGH = date(2026, 11, 10)


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


async def plan(client) -> dict:
    response = await client.post(f"{SCHEDULER}/reminders/plan", json={})
    assert response.status_code == 200, response.text
    return response.json()


def checked_session(engine):
    """A session that refuses to commit a change to what reminders depend on without replanning it."""
    return create_sessionmaker(engine, check_replanning=True)()


async def settings_of(client, **changes) -> None:
    response = await client.patch("/api/v1/me/settings", json=changes, headers=as_user(USER))
    assert response.status_code == 200, response.text


async def next_on(engine, loan_id: int) -> date | None:
    async with session_of(engine) as session:
        return await session.scalar(select(Loan.reminders_next_on).where(Loan.id == loan_id))


@pytest.fixture
async def borrower(bank, client, engine) -> tuple[int, int]:
    """The seed borrower in Moscow, linked, reminders on (3 and 1 days ahead), paid up to November 2026."""
    ids = await linked_borrower(bank, client, engine, telegram_user_id=USER)
    await pay_through(bank, "L-1", PAID_THROUGH)
    return ids


async def policy(bank, expires_on: str) -> int:
    body = {
        "loan_external_id": "L-1",
        "kind": "property",
        "insurer": "СК Надёжная",
        "policy_number": f"POL-{expires_on}",
        "starts_on": "2025-12-26",
        "expires_on": expires_on,
    }
    return (await put(bank, f"policies/POL-{expires_on}", body))["id"]


async def test_a_loan_is_looked_at_on_its_reminder_days_only(client, engine, clock, borrower):
    _, loan_id = borrower
    clock.now = at(2026, 12, 7, 6, 0)  # 09:00 in Moscow, three days before the 10th
    assert (await plan(client))["loans_checked"] == 1
    assert await next_on(engine, loan_id) == date(2026, 12, 9)  # the day before the 10th
    clock.now = at(2026, 12, 7, 17, 0)
    assert (await plan(client))["loans_checked"] == 0  # the rest of the day's runs pass it over
    clock.now = at(2026, 12, 8, 9, 0)
    assert (await plan(client))["loans_checked"] == 0  # no reminder falls on the 8th
    clock.now = at(2026, 12, 9, 9, 0)
    counts = await plan(client)
    assert (counts["loans_checked"], counts["payment_due"]) == (1, 1)
    assert [row.dedupe_key for row in await outbox(engine)] == [
        f"payment_due:{loan_id}:2026-12-10:{days}" for days in (3, 1)
    ]


async def test_days_chosen_later_in_the_day_are_planned_that_day(bank, client, engine, clock, borrower):
    _, loan_id = borrower
    await policy(bank, "2027-01-04")
    clock.now = at(2026, 12, 5, 9, 0)  # 12:00 in Moscow: the policy's 30-day reminder; the 10th is five days off
    counts = await plan(client)
    assert (counts["insurance_expiry"], counts["payment_due"]) == (1, 0)
    assert await next_on(engine, loan_id) == date(2026, 12, 7)  # three days before the 10th
    response = await client.patch("/api/v1/me/settings", json={"reminder_days_ahead": [5, 1]}, headers=as_user(USER))
    assert response.status_code == 200, response.text
    assert await next_on(engine, loan_id) is None
    counts = await plan(client)
    assert (counts["loans_checked"], counts["payment_due"], counts["insurance_expiry"]) == (1, 1, 0)
    assert [row.dedupe_key for row in await outbox(engine, kind="payment_due")] == [
        f"payment_due:{loan_id}:2026-12-10:5"
    ]


async def test_a_policy_loaded_later_in_the_day_is_planned_that_day(bank, client, engine, clock, borrower):
    clock.now = at(2026, 12, 7, 9, 0)
    assert (await plan(client))["payment_due"] == 1
    policy_id = await policy(bank, "2026-12-10")  # three days off, loaded after the day's run
    counts = await plan(client)
    assert (counts["loans_checked"], counts["insurance_expiry"]) == (1, 1)
    [row] = await outbox(engine, kind="insurance_expiry")
    assert row.dedupe_key == f"insurance_expiry:{policy_id}:2026-12-10:3"


async def test_a_change_while_the_loan_is_planned_waits_and_is_not_lost(engine, clock, borrower, monkeypatch):
    if engine.dialect.name != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite runs one writer at a time")
    _, loan_id = borrower
    clock.now = at(2026, 12, 7, 9, 0)
    near = InsurancePolicy(
        external_id="POL-NEAR",
        loan_id=loan_id,
        kind=PolicyKind.PROPERTY,
        insurer="СК Надёжная",
        policy_number="POL-NEAR",
        starts_on=date(2025, 12, 10),
        expires_on=date(2026, 12, 10),
    )
    changes = []

    async def add_near() -> None:
        async with checked_session(engine) as session:  # as the integration upsert stores a policy
            session.add(near)
            await session.flush()
            await replan_loan(session, loan_id)
            await session.commit()

    async def records_while_a_policy_is_added(session, loan_ids):
        """Between the plan reading the loan and noting its next look, a new policy is stored (or tries to be)."""
        changes.append(asyncio.create_task(add_near()))
        await asyncio.wait(changes, timeout=0.3)
        return await load_records(session, loan_ids)

    monkeypatch.setattr(planner, "load_records", records_while_a_policy_is_added)
    async with session_of(engine) as session:
        await planner.plan_loans(session, Counter(), [loan_id], now=clock.now, since=None)
        assert not changes[0].done()  # the policy waits for the plan to end
        await session.commit()
    await changes[0]
    assert await next_on(engine, loan_id) is None  # so the next run looks at the loan, and its new policy


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda bank: put(bank, "payments/P-late", _payment("2026-12-07")), id="payment"),
        pytest.param(lambda bank: put(bank, "loans/L-1", loan_body(property_address="г. Тверь, д. 2")), id="loan"),
    ],
)
async def test_a_change_to_the_loans_records_clears_the_mark(bank, client, engine, clock, borrower, change):
    _, loan_id = borrower
    clock.now = at(2026, 12, 7, 9, 0)
    await plan(client)
    assert await next_on(engine, loan_id) == date(2026, 12, 9)
    await change(bank)
    assert await next_on(engine, loan_id) is None


def _payment(paid_on: str, amount: str = "100.00") -> dict:
    return {"loan_external_id": "L-1", "paid_on": paid_on, "amount": amount}


async def test_a_payment_withdraws_the_waiting_reminder_and_the_next_run_plans_what_is_left(
    bank, client, engine, clock, borrower
):
    _, loan_id = borrower
    clock.now = at(2026, 12, 7, 9, 0)
    await plan(client)
    [waiting] = await outbox(engine)
    assert waiting.payload["amount"] == "49300.88"
    await put(bank, "payments/P-part", _payment("2026-12-07", "10000.00"))
    assert await outbox(engine, kind="payment_due") == []  # its own thanks stays: test_outbox_payment_received.py
    assert (await plan(client))["payment_due"] == 1
    [row] = await outbox(engine, kind="payment_due")
    assert (row.dedupe_key, row.payload["amount"]) == (f"payment_due:{loan_id}:2026-12-10:3", "39300.88")
    await put(bank, "payments/P-rest", _payment("2026-12-08", "39300.88"))
    assert (await plan(client))["payment_due"] == 0
    assert await outbox(engine, kind="payment_due") == []  # paid in full: no reminder of it


async def test_a_renewal_withdraws_the_expiry_reminder(bank, client, engine, clock, borrower):
    await policy(bank, "2026-12-10")
    clock.now = at(2026, 12, 7, 9, 0)
    assert (await plan(client))["insurance_expiry"] == 1
    await policy(bank, "2027-12-10")  # the renewal
    assert await outbox(engine, kind="insurance_expiry") == []
    assert (await plan(client))["insurance_expiry"] == 0


async def test_a_reminder_already_claimed_is_left_to_its_sender(bank, client, engine, clock, borrower):
    clock.now = at(2026, 12, 7, 9, 0)
    await plan(client)
    response = await client.post(f"{SCHEDULER}/outbox/claim", json={"limit": 10, "lease_seconds": 60})
    assert len(response.json()["items"]) == 1, response.text
    await put(bank, "payments/P-part", _payment("2026-12-07", "10000.00"))
    [row] = await outbox(engine, kind="payment_due")
    assert row.status == NotificationStatus.CLAIMED
    assert (await plan(client))["payment_due"] == 0  # its key is taken: the borrower is not told twice


async def test_an_unrelated_change_to_the_borrower_keeps_the_mark(client, engine, clock, borrower):
    borrower_id, loan_id = borrower
    clock.now = at(2026, 12, 7, 9, 0)
    await plan(client)
    await set_borrower(engine, borrower_id, last_survey_at=clock.now)
    await settings_of(client, language="en")
    assert await next_on(engine, loan_id) == date(2026, 12, 9)
    await settings_of(client, time_zone="Asia/Vladivostok")
    assert await next_on(engine, loan_id) is None


async def test_each_time_zone_is_planned_on_its_own_day(bank, client, engine, clock):
    _, east = await linked_borrower(bank, client, engine, telegram_user_id=USER, time_zone="Asia/Vladivostok")
    _, west = await linked_borrower(bank, client, engine, telegram_user_id=USER + 1, number=2)
    for loan in ("L-1", "L-2"):
        await pay_through(bank, loan, PAID_THROUGH)
    clock.now = at(2026, 12, 6, 20, 0)  # 06:00 on the 7th in Vladivostok, still 23:00 on the 6th in Moscow
    counts = await plan(client)
    assert (counts["loans_checked"], counts["payment_due"]) == (2, 1)  # new loans are looked at at once
    assert (await next_on(engine, east), await next_on(engine, west)) == (date(2026, 12, 9), date(2026, 12, 7))
    clock.now = at(2026, 12, 7, 9, 0)  # the 7th in Moscow too
    counts = await plan(client)
    assert (counts["loans_checked"], counts["payment_due"]) == (1, 1)
    assert {row.loan_id for row in await outbox(engine)} == {east, west}


def test_a_loan_is_looked_at_monthly_at_least():
    today = date(2026, 12, 7)
    assert next_look([], [], days_before=frozenset({0, 3}), today=today) == date(2027, 1, 7)
    far = InsurancePolicy(expires_on=date(2027, 6, 1))
    near = InsurancePolicy(expires_on=date(2026, 12, 20))
    assert next_look([], [far], days_before=frozenset({0}), today=today) == date(2027, 1, 7)
    assert next_look([], [far, near], days_before=frozenset({0}), today=today) == date(2026, 12, 17)


# --- every service that changes what reminders depend on replans ------------------------------------------------


@pytest.fixture
async def planned(client, clock, borrower) -> tuple[int, int]:
    """The borrower's loan planned on 7 December: its 3-day reminder waits in the outbox, the next look on the 9th."""
    clock.now = at(2026, 12, 7, 9, 0)
    await plan(client)
    return borrower


async def waiting_reminders(engine) -> list[str]:
    return [row.dedupe_key for row in await outbox(engine, status=NotificationStatus.PENDING, kind="payment_due")]


async def test_a_borrower_upsert_with_a_new_time_zone_clears_the_mark(bank, engine, planned):
    _, loan_id = planned
    await put(bank, "borrowers/B-1", borrower_body(phone="+79161234567", time_zone="Asia/Vladivostok"))
    assert await next_on(engine, loan_id) is None


async def test_an_imported_payment_withdraws_the_waiting_reminder(engine, clock, planned, tmp_path):
    _, loan_id = planned
    assert await waiting_reminders(engine) == [f"payment_due:{loan_id}:2026-12-10:3"]
    path = tmp_path / "payments.csv"
    path.write_text("external_id;loan_external_id;paid_on;amount\nP-csv;L-1;2026-12-07;49300,88\n", encoding="utf-8")
    async with checked_session(engine) as session:
        await load_file(session, csv=read_csv(path, PAYMENTS), bik="", now=clock.now)
    assert await next_on(engine, loan_id) is None
    assert await waiting_reminders(engine) == []


@pytest.fixture
async def supervisor(app, engine):
    await add_staff(engine, StaffRole.SUPERVISOR, SUPERVISOR_TOKEN)
    async with client_with(app, SUPERVISOR_TOKEN) as staff:
        yield staff


async def decide(supervisor, what: str, record_id: int, body: dict) -> None:
    response = await supervisor.post(f"/api/v1/staff/{what}/{record_id}/decision", json=body)
    assert response.status_code == 200, response.text


async def test_an_approved_holiday_withdraws_the_waiting_reminder_and_a_declined_one_does_not(
    engine, clock, planned, supervisor
):
    borrower_id, loan_id = planned
    declined = await add_record(engine, holiday_row(borrower_id, loan_id, created_at=clock.now, idempotency_key="k1"))
    await decide(supervisor, "holidays", declined, {"decision": "reject", "reason": "Нужна справка"})
    assert await next_on(engine, loan_id) == date(2026, 12, 9)  # nothing the reminders depend on changed
    assert len(await waiting_reminders(engine)) == 1
    approved = await add_record(engine, holiday_row(borrower_id, loan_id, created_at=clock.now))
    await decide(supervisor, "holidays", approved, {"decision": "approve"})
    assert await next_on(engine, loan_id) is None
    assert await waiting_reminders(engine) == []  # the 10th falls inside the holiday


async def test_a_policy_registered_by_a_document_decision_clears_the_mark(engine, clock, planned, supervisor):
    borrower_id, loan_id = planned
    document = await add_record(engine, document_row(borrower_id, loan_id, created_at=clock.now))
    policy = {
        "insurer": "СК Надёжная",
        "policy_number": "IP-2027-001",
        "kind": "property",
        "starts_on": "2026-12-26",
        "expires_on": "2027-12-26",
    }
    await decide(supervisor, "documents", document, {"decision": "approve", "policy": policy})
    assert await next_on(engine, loan_id) is None


async def test_unlinking_and_linking_again_clear_the_mark(client, engine, clock, planned):
    _, loan_id = planned
    response = await client.delete("/api/v1/me/link", headers=as_user(USER))
    assert response.status_code in (200, 204), response.text
    assert await next_on(engine, loan_id) is None
    async with session_of(engine) as session:  # an unlinked loan is not planned: its mark is set by hand
        (await session.get_one(Loan, loan_id)).reminders_next_on = date(2026, 12, 9)
        await session.commit()
    response = await link(client, USER, phone="+79161234567", factor="0457")
    assert response.status_code == 200, response.text
    assert await next_on(engine, loan_id) is None


async def test_a_chat_found_blocked_clears_the_mark(client, engine, planned):
    _, loan_id = planned
    response = await client.post(f"{SCHEDULER}/outbox/claim", json={"limit": 10, "lease_seconds": 60})
    [claimed] = response.json()["items"]
    body = {"error": "Forbidden: bot was blocked by the user", "unreachable": True}
    response = await client.post(f"{SCHEDULER}/outbox/{claimed['id']}/failed", json=body)
    assert response.status_code == 200, response.text
    assert await next_on(engine, loan_id) is None


# --- the check that catches a writer that forgets -----------------------------------------------------------------


async def test_a_checked_session_refuses_a_change_that_was_not_replanned(engine, planned):
    borrower_id, loan_id = planned
    async with checked_session(engine) as session:
        session.add(Payment(external_id="P-direct", loan_id=loan_id, paid_on=date(2026, 12, 7), amount=Decimal(1)))
        with pytest.raises(NotReplanned, match=f"Payment of loan {loan_id}"):
            await session.commit()
        await session.rollback()
        borrower = await session.get_one(Borrower, borrower_id)
        borrower.time_zone = "Asia/Vladivostok"
        with pytest.raises(NotReplanned, match=f"Borrower of borrower {borrower_id}"):
            await session.commit()
        await session.rollback()
        borrower = await session.get_one(Borrower, borrower_id)
        borrower.language = "en"  # not a planning field
        await session.commit()
        borrower.time_zone = "Asia/Vladivostok"
        await replan_borrower(session, borrower_id)
        await session.commit()
    assert await next_on(engine, loan_id) is None
