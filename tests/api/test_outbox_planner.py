"""Planning reminders through the scheduler API: due dates, overdue episodes, insurance, quiet hours, catch-up."""

import asyncio
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from api.models import (
    HolidayApplication,
    HolidayMode,
    HolidayReason,
    HolidayStatus,
    NotificationStatus,
    StaffRole,
)
from tests.api.outbox_helpers import (
    OPERATOR_TOKEN,
    SCHEDULER,
    add_staff,
    client_with,
    installment_on,
    linked_borrower,
    outbox,
    pay_through,
    seed_schedule,
    session_of,
    set_borrower,
)
from tests.helpers import put

USER = 700_100_001
DUE = date(2026, 12, 10)
PAID_THROUGH = date(2026, 11, 10)


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


async def plan(client, **body) -> dict:
    response = await client.post(f"{SCHEDULER}/reminders/plan", json=body)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
async def borrower(bank, client, engine) -> tuple[int, int]:
    """The seed borrower in Moscow, linked, reminders on, paid up to November 2026."""
    ids = await linked_borrower(bank, client, engine, telegram_user_id=USER)
    await pay_through(bank, "L-1", PAID_THROUGH)
    return ids


async def test_three_days_before_a_due_date(client, engine, clock, borrower):
    borrower_id, loan_id = borrower
    clock.now = at(2026, 12, 7, 9, 0)  # 12:00 in Moscow
    counts = await plan(client)
    assert counts == {
        "payment_due": 1,
        "payment_overdue": 0,
        "insurance_expiry": 0,
        "expired": 0,
        "loans_checked": 1,
        "loans_failed": 0,
    }
    [row] = await outbox(engine)
    assert row.dedupe_key == f"payment_due:{loan_id}:2026-12-10:3"
    assert row.kind == "payment_due"
    assert row.borrower_id == borrower_id
    assert row.loan_id == loan_id
    assert row.due_date == DUE
    assert row.payload == {
        "loan_id": loan_id,
        "due_date": "2026-12-10",
        "amount": str(installment_on(DUE).payment),
        "days_before": 3,
    }
    assert row.payload["amount"] == "49300.88"
    assert row.status == NotificationStatus.PENDING
    assert row.not_before == clock.now  # daytime already

    again = await plan(client)
    assert again["payment_due"] == 0
    assert len(await outbox(engine)) == 1


async def test_days_follow_the_borrowers_choice(client, engine, clock, borrower):
    borrower_id, loan_id = borrower
    await set_borrower(engine, borrower_id, reminder_days_ahead=[5])
    clock.now = at(2026, 12, 5, 9, 0)
    assert (await plan(client))["payment_due"] == 1
    clock.now = at(2026, 12, 7, 9, 0)
    assert (await plan(client))["payment_due"] == 0  # not a 3-day borrower
    assert [row.dedupe_key for row in await outbox(engine)] == [f"payment_due:{loan_id}:2026-12-10:5"]


async def test_on_the_due_day_it_is_due_not_overdue(client, engine, clock, borrower):
    _, loan_id = borrower
    clock.now = at(2026, 12, 10, 7, 0)  # 10:00 in Moscow, nothing paid yet for December
    counts = await plan(client)
    assert (counts["payment_due"], counts["payment_overdue"]) == (1, 0)
    [row] = await outbox(engine)
    assert row.dedupe_key == f"payment_due:{loan_id}:2026-12-10:0"
    assert row.payload["amount"] == "49300.88"


async def test_prepaid_part_reduces_the_amount(bank, client, engine, clock):
    await linked_borrower(bank, client, engine, telegram_user_id=USER)
    await pay_through(bank, "L-1", PAID_THROUGH, extra=Decimal("10000.00"))
    clock.now = at(2026, 12, 7, 9, 0)
    await plan(client)
    [row] = await outbox(engine)
    assert row.payload["amount"] == str(installment_on(DUE).payment - Decimal("10000.00"))  # 39300.88


async def test_fully_prepaid_installment_gets_no_reminder(bank, client, engine, clock):
    await linked_borrower(bank, client, engine, telegram_user_id=USER)
    await pay_through(bank, "L-1", PAID_THROUGH, extra=installment_on(DUE).payment)
    clock.now = at(2026, 12, 7, 9, 0)
    counts = await plan(client)
    assert counts["payment_due"] == 0
    assert counts["loans_checked"] == 1
    assert await outbox(engine) == []


async def test_overdue_notice_once_per_episode(bank, client, engine, clock):
    _, loan_id = await linked_borrower(bank, client, engine, telegram_user_id=USER)
    await pay_through(bank, "L-1", date(2026, 10, 10))  # November's installment unpaid
    clock.now = at(2026, 11, 11, 9, 0)
    assert (await plan(client))["payment_overdue"] == 1
    [row] = await outbox(engine)
    assert row.dedupe_key == f"payment_overdue:{loan_id}:2026-11-10"
    assert row.payload == {
        "loan_id": loan_id,
        "overdue_amount": str(installment_on(date(2026, 11, 10)).payment),
        "overdue_since": "2026-11-10",
        "days_overdue": 1,
    }
    clock.now = at(2026, 11, 12, 9, 0)
    assert (await plan(client))["payment_overdue"] == 0  # the same episode
    assert len(await outbox(engine)) == 1


async def test_overdue_counts_only_installments_due_before_today(bank, client, engine, clock):
    _, loan_id = await linked_borrower(bank, client, engine, telegram_user_id=USER)
    await pay_through(bank, "L-1", date(2026, 10, 10))
    clock.now = at(2026, 12, 10, 9, 0)  # November overdue, December due today
    await plan(client)
    overdue = (await outbox(engine, kind="payment_overdue"))[0]
    assert overdue.payload["overdue_amount"] == "49300.88"  # November only
    assert overdue.payload["days_overdue"] == 30
    due = (await outbox(engine, kind="payment_due"))[0]
    assert due.dedupe_key == f"payment_due:{loan_id}:2026-12-10:0"


async def test_nobody_who_did_not_agree_or_cannot_be_reached(bank, client, engine, clock):
    borrower_id, _ = await linked_borrower(bank, client, engine, telegram_user_id=USER, reminders=False)
    await pay_through(bank, "L-1", PAID_THROUGH)
    clock.now = at(2026, 12, 7, 9, 0)
    assert (await plan(client))["loans_checked"] == 0
    await set_borrower(engine, borrower_id, reminders_enabled=True, unreachable_since=at(2026, 12, 1))
    assert (await plan(client))["loans_checked"] == 0
    await set_borrower(engine, borrower_id, unreachable_since=None, telegram_user_id=None)
    assert (await plan(client))["loans_checked"] == 0
    assert await outbox(engine) == []


async def test_closed_loans_get_nothing(bank, client, engine, clock):
    await linked_borrower(bank, client, engine, telegram_user_id=USER, status="closed", closed_on="2026-01-10")
    clock.now = at(2026, 12, 7, 9, 0)
    assert (await plan(client))["loans_checked"] == 0


@pytest.mark.parametrize(
    ("zone", "planned_at", "not_before"),
    [
        ("Europe/Moscow", at(2026, 12, 7, 20, 0), at(2026, 12, 8, 6, 0)),  # 23:00 → 09:00 Moscow
        ("Asia/Vladivostok", at(2026, 12, 7, 13, 0), at(2026, 12, 7, 23, 0)),  # 23:00 → 09:00 Vladivostok
    ],
)
async def test_planned_at_night_waits_for_the_morning(bank, client, engine, clock, zone, planned_at, not_before):
    _, loan_id = await linked_borrower(bank, client, engine, telegram_user_id=USER, time_zone=zone)
    await pay_through(bank, "L-1", PAID_THROUGH)
    clock.now = planned_at
    await plan(client)
    [row] = await outbox(engine)
    assert row.dedupe_key == f"payment_due:{loan_id}:2026-12-10:3"
    assert row.not_before == not_before


async def test_time_zone_decides_which_day_it_is(bank, client, engine, clock):
    _, loan_id = await linked_borrower(bank, client, engine, telegram_user_id=USER, time_zone="Asia/Vladivostok")
    await pay_through(bank, "L-1", PAID_THROUGH)
    clock.now = at(2026, 12, 6, 23, 0)  # 09:00 on the 7th in Vladivostok (02:00 in Moscow, where it would wait)
    await plan(client)
    [row] = await outbox(engine)
    assert row.dedupe_key == f"payment_due:{loan_id}:2026-12-10:3"
    assert row.not_before == clock.now


async def test_catch_up_after_downtime(client, engine, clock, borrower):
    _, loan_id = borrower
    clock.now = at(2026, 12, 8, 9, 0)  # the 3-day send day (7 Dec) passed while the planner was down
    assert (await plan(client))["payment_due"] == 0
    assert (await plan(client, since="2026-12-07"))["payment_due"] == 1
    assert [row.dedupe_key for row in await outbox(engine)] == [f"payment_due:{loan_id}:2026-12-10:3"]


async def test_catch_up_sends_only_the_latest_missed_reminder(client, engine, clock, borrower):
    _, loan_id = borrower
    clock.now = at(2026, 12, 9, 9, 0)
    await plan(client, since="2026-12-06")
    assert [row.dedupe_key for row in await outbox(engine)] == [f"payment_due:{loan_id}:2026-12-10:1"]


async def test_no_catch_up_once_the_due_date_passed(client, engine, clock, borrower):
    clock.now = at(2026, 12, 11, 9, 0)
    counts = await plan(client, since="2026-12-05")
    assert counts["payment_due"] == 0
    assert [row.kind for row in await outbox(engine)] == ["payment_overdue"]  # December is now overdue


async def test_reminders_of_passed_dates_are_cancelled(client, engine, clock, borrower):
    borrower_id, _ = borrower
    clock.now = at(2026, 12, 7, 9, 0)
    await plan(client)
    await set_borrower(engine, borrower_id, reminders_enabled=False)  # so the scheduler never claims it
    clock.now = at(2026, 12, 12, 9, 0)
    assert (await plan(client))["expired"] == 1
    [row] = await outbox(engine)
    assert row.status == NotificationStatus.CANCELLED


async def policy(bank, ext: str, *, kind: str = "property", expires_on: str = "2026-12-26", starts_on="2025-12-26"):
    body = {
        "loan_external_id": "L-1",
        "kind": kind,
        "insurer": "СК Надёжная",
        "policy_number": ext,
        "starts_on": starts_on,
        "expires_on": expires_on,
    }
    return (await put(bank, f"policies/{ext}", body))["id"]


async def test_insurance_expiry_at_30_14_and_3_days(bank, client, engine, clock, borrower):
    _, loan_id = borrower
    policy_id = await policy(bank, "POL-1")
    clock.now = at(2026, 11, 26, 9, 0)  # 30 days before 26 December
    assert (await plan(client))["insurance_expiry"] == 1
    clock.now = at(2026, 12, 1, 9, 0)
    assert (await plan(client))["insurance_expiry"] == 0
    clock.now = at(2026, 12, 12, 9, 0)
    assert (await plan(client))["insurance_expiry"] == 1
    clock.now = at(2026, 12, 23, 9, 0)
    assert (await plan(client))["insurance_expiry"] == 1
    rows = await outbox(engine, kind="insurance_expiry")
    assert [row.dedupe_key for row in rows] == [
        f"insurance_expiry:{policy_id}:2026-12-26:{days}" for days in (30, 14, 3)
    ]
    assert rows[0].payload == {
        "loan_id": loan_id,
        "policy_id": policy_id,
        "policy_kind": "property",
        "mandatory": True,
        "insurer": "СК Надёжная",
        "expires_on": "2026-12-26",
        "days_before": 30,
    }


async def test_renewed_policy_is_not_reminded(bank, client, engine, clock, borrower):
    await policy(bank, "POL-1")
    await policy(bank, "POL-2", starts_on="2026-12-26", expires_on="2027-12-26")  # the renewal
    life = await policy(bank, "POL-3", kind="life")  # another kind, not renewed
    clock.now = at(2026, 11, 26, 9, 0)
    assert (await plan(client))["insurance_expiry"] == 1
    [row] = await outbox(engine, kind="insurance_expiry")
    assert row.payload["policy_id"] == life
    assert row.payload["mandatory"] is False


async def test_loans_are_looked_at_on_their_own_days(bank, client, engine, clock, borrower):
    await linked_borrower(bank, client, engine, telegram_user_id=USER + 1, number=2, first_payment_date="2021-04-28")
    clock.now = at(2026, 12, 7, 9, 0)
    assert (await plan(client))["loans_checked"] == 2  # new loans are looked at at once
    clock.now = at(2026, 12, 9, 9, 0)
    counts = await plan(client)
    assert counts["loans_checked"] == 1  # the loan paying on the 28th is not even loaded
    assert counts["payment_due"] == 1


async def test_month_end_clamping(bank, client, engine, clock):
    first = date(2021, 3, 31)
    _, loan_id = await linked_borrower(bank, client, engine, telegram_user_id=USER, first_payment_date="2021-03-31")
    owed = sum(row.payment for row in seed_schedule(first).installments if row.due_date <= date(2027, 1, 31))
    await put(bank, "payments/P-1", {"loan_external_id": "L-1", "paid_on": "2027-01-31", "amount": str(owed)})
    clock.now = at(2027, 2, 25, 9, 0)  # three days before 28 February, where the 31st falls
    counts = await plan(client)
    assert counts["loans_checked"] == 1
    [row] = await outbox(engine)
    assert row.dedupe_key == f"payment_due:{loan_id}:2027-02-28:3"
    assert row.payload["amount"] == str(installment_on(date(2027, 2, 28), first).payment)


async def test_a_bad_loan_does_not_stop_the_run(bank, client, engine, clock, borrower):
    borrower_id, loan_id = borrower
    _, other_loan = await linked_borrower(bank, client, engine, telegram_user_id=USER + 1, number=2)
    await pay_through(bank, "L-2", PAID_THROUGH)
    async with session_of(engine) as session:
        session.add(
            HolidayApplication(  # approved but past the end of the loan: the schedule cannot be built
                borrower_id=borrower_id,
                loan_id=loan_id,
                idempotency_key="broken-holiday",
                reason=HolidayReason.JOB_LOSS,
                income_before=Decimal(100_000),
                income_after=Decimal(0),
                months=3,
                mode=HolidayMode.FULL,
                start_date=date(2040, 1, 1),
                precheck_eligible=True,
                precheck={},
                status=HolidayStatus.APPROVED,
                decided_at=at(2026, 11, 1),
            )
        )
        await session.commit()
    clock.now = at(2026, 12, 7, 9, 0)
    counts = await plan(client)
    assert (counts["loans_checked"], counts["loans_failed"], counts["payment_due"]) == (2, 1, 1)
    [row] = await outbox(engine)
    assert row.loan_id == other_loan


async def test_concurrent_planners_add_each_reminder_once(client, engine, clock, borrower):
    clock.now = at(2026, 12, 7, 9, 0)
    results = await asyncio.gather(*(plan(client) for _ in range(4)))
    assert sum(result["payment_due"] for result in results) == 1
    assert len(await outbox(engine)) == 1


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"since": "2000-01-01"}, "since_out_of_range"),
        ({"since": "2026-11-30"}, "since_out_of_range"),  # in the future
        ({"since": "yesterday"}, "validation_error"),
        ({"since": 5}, "validation_error"),
        ({"until": "2026-11-26"}, "validation_error"),
    ],
)
async def test_bad_plan_requests(client, body, code):
    response = await client.post(f"{SCHEDULER}/reminders/plan", json=body)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == code


async def test_plan_without_a_body(client, clock, borrower):
    clock.now = at(2026, 12, 7, 9, 0)
    response = await client.post(f"{SCHEDULER}/reminders/plan")
    assert response.status_code == 200
    assert response.json()["payment_due"] == 1


async def test_plan_needs_the_service_token(app, anonymous, bank, engine):
    await add_staff(engine, StaffRole.OPERATOR, OPERATOR_TOKEN)
    async with client_with(app, OPERATOR_TOKEN) as staff:
        for caller in (anonymous, bank, staff):
            response = await caller.post(f"{SCHEDULER}/reminders/plan", json={})
            assert response.status_code == 401
            assert response.json()["error"]["code"] == "unauthorized"
