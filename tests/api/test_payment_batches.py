"""A loan's payment history staged at once (`stage_payments`, the demo's load) leaves what staging it row by row
leaves, and goes row by row where a payment is to be told or moves from another loan."""

from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from api.db import create_sessionmaker
from api.integration.schemas import PaymentUpsert
from api.integration.service import stage_payment, stage_payments
from api.models import AuditEntry, Loan, NotificationKind, Payment
from tests.api.loan_helpers import OTHER_PHONE, seed_schedule
from tests.api.outbox_helpers import linked_borrower, outbox
from tests.helpers import borrower_body, loan_body, put, seed_borrower

ACTOR = "test"
FIRST = 12  # installments paid
LOOK = date(2026, 12, 1)


def history(loan_ext: str, count: int = FIRST) -> list[tuple[str, PaymentUpsert]]:
    return [
        (f"{loan_ext}-{row.number}", PaymentUpsert(loan_external_id=loan_ext, paid_on=row.due_date, amount=row.payment))
        for row in seed_schedule().installments[:count]
    ]


@pytest.fixture
async def two_loans(bank) -> tuple[int, int]:
    """The seed loan L-1 and a second borrower's L-2 on the same terms, neither borrower in the chat."""
    first = await seed_borrower(bank)
    await put(bank, "borrowers/B-2", borrower_body(first_name="Пётр", phone=OTHER_PHONE))
    second = (await put(bank, "loans/L-2", loan_body("B-2", contract_number="ИК-2022/000999")))["id"]
    return first, second


async def planned(engine, *loan_ids: int) -> None:
    """The loans planned since: their next look set, as the planner leaves it."""
    async with create_sessionmaker(engine)() as session:
        for loan_id in loan_ids:
            (await session.get_one(Loan, loan_id)).reminders_next_on = LOOK
        await session.commit()


async def at_once(engine, payments, clock):
    async with create_sessionmaker(engine)() as session:
        results = await stage_payments(session, payments, actor=ACTOR, now=clock.now)
        await session.commit()
        return results


async def row_by_row(engine, payments, clock):
    async with create_sessionmaker(engine)() as session:
        results = [
            await stage_payment(session, external_id=external_id, data=data, actor=ACTOR, now=clock.now)
            for external_id, data in payments
        ]
        await session.commit()
        return results


async def rows(engine, loan_id: int) -> tuple[list[tuple], Counter, Loan]:
    """The loan's payments (date, amount, kind, when made), the audit entries on payments by action, the loan."""
    async with create_sessionmaker(engine)() as session:
        payments = await session.scalars(select(Payment).where(Payment.loan_id == loan_id).order_by(Payment.id))
        made = [(p.paid_on, p.amount, p.kind, p.created_at) for p in payments]
        audit = await session.scalars(select(AuditEntry).where(AuditEntry.entity == "payment"))
        actions = Counter((entry.action, entry.entity_id.split("-")[1]) for entry in audit)
        return made, actions, await session.get_one(Loan, loan_id)


async def test_a_history_at_once_is_the_history_row_by_row(engine, clock, two_loans):
    first, second = two_loans
    await planned(engine, first, second)
    together = await at_once(engine, history("L-1"), clock)
    one_by_one = await row_by_row(engine, history("L-2"), clock)
    assert (
        [(r.created, r.changed) for r in together]
        == [(r.created, r.changed) for r in one_by_one]
        == [(True, True)] * 12
    )
    assert [r.external_id for r in together] == [f"L-1-{n}" for n in range(1, FIRST + 1)]
    made_1, audit, loan_1 = await rows(engine, first)
    made_2, _, loan_2 = await rows(engine, second)
    assert made_1 == made_2 and len(made_1) == FIRST
    assert [r.id for r in together] == sorted(r.id for r in together)  # stored in the order given
    assert audit == Counter({("create", "1"): FIRST, ("create", "2"): FIRST})
    assert loan_1.reminders_next_on is None and loan_2.reminders_next_on is None  # both looked at again


async def test_the_same_history_again_changes_nothing(engine, clock, two_loans):
    first, _ = two_loans
    stored = await at_once(engine, history("L-1"), clock)
    await planned(engine, first)
    again = await at_once(engine, history("L-1"), clock)
    assert [(r.id, r.created, r.changed) for r in again] == [(r.id, False, False) for r in stored]
    _, audit, loan = await rows(engine, first)
    assert sum(audit.values()) == FIRST  # no entry for the repeat
    assert loan.reminders_next_on == LOOK  # nothing to plan again


async def test_a_corrected_amount_is_an_update_and_the_loan_is_looked_at_again(engine, clock, two_loans):
    first, _ = two_loans
    await at_once(engine, history("L-1"), clock)
    await planned(engine, first)
    corrected = history("L-1")
    external_id, data = corrected[3]
    corrected[3] = (external_id, data.model_copy(update={"amount": data.amount - 1}))
    results = await at_once(engine, corrected, clock)
    assert [(r.created, r.changed) for r in results] == [(False, n == 3) for n in range(FIRST)]
    made, audit, loan = await rows(engine, first)
    assert made[3][1] == data.amount - 1
    assert audit[("update", "1")] == 1
    assert loan.reminders_next_on is None


async def test_a_payment_of_a_borrower_in_the_chat_is_told(bank, client, engine, clock):
    _, loan_id = await linked_borrower(bank, client, engine, telegram_user_id=700_300_001)
    today = clock.now.date()
    recent = [
        ("L-1-late", PaymentUpsert(loan_external_id="L-1", paid_on=today - timedelta(days=1), amount=10_000)),
        ("L-1-now", PaymentUpsert(loan_external_id="L-1", paid_on=today, amount=20_000)),
    ]
    results = await at_once(engine, recent, clock)
    assert [r.created for r in results] == [True, True]
    told = await outbox(engine, kind=NotificationKind.PAYMENT_RECEIVED)
    assert sorted(row.payload["payment_id"] for row in told) == sorted(r.id for r in results)
    assert {row.payload["loan_id"] for row in told} == {loan_id}


async def test_a_payment_moved_from_another_loan_leaves_that_loan(engine, clock, two_loans):
    first, second = two_loans
    await at_once(
        engine, [("P-X", PaymentUpsert(loan_external_id="L-2", paid_on=date(2021, 4, 10), amount=100))], clock
    )
    await planned(engine, first, second)
    [moved] = await at_once(
        engine, [("P-X", PaymentUpsert(loan_external_id="L-1", paid_on=date(2021, 4, 10), amount=100))], clock
    )
    assert (moved.created, moved.changed) == (False, True)
    made_1, _, _ = await rows(engine, first)
    made_2, _, loan_2 = await rows(engine, second)
    assert len(made_1) == 1 and made_2 == []
    assert loan_2.reminders_next_on is None  # the loan that lost it is looked at again


async def test_payments_of_two_loans_are_refused(engine, clock, two_loans):
    with pytest.raises(ValueError, match="one loan"):
        await at_once(engine, history("L-1", 1) + history("L-2", 1), clock)
