"""The thanks for a payment the bank recorded: the amount and date, and the loan's progress after it; no offers.

Written in the transaction that records the payment (the integration API and the CSV import share the upsert), once
per payment (its key is the payment's id), and only for a linked, reachable borrower who agreed to reminders and has
not turned this notice off. A payment corrected before its notice went out has the waiting notice rewritten; one
recorded long after it was made is not news and is not told.
"""

from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from api.clock import local_date
from api.errors import ApiError
from api.loans.arrears import arrears_on
from api.loans.state import LoanRecords, load_records, state_of
from api.models import (
    Borrower,
    Loan,
    LoanStatus,
    Notification,
    NotificationKind,
    NotificationStatus,
    Payment,
    PaymentKind,
)
from api.outbox.enqueue import Push, enqueue

#: A payment made more than this many days before it is recorded is not told (a back-filled history, say).
NEWS_DAYS = 7


def wants_notice(borrower: Borrower) -> bool:
    return (
        borrower.is_linked
        and borrower.unreachable_since is None
        and borrower.reminders_enabled
        and borrower.payment_received_notices
    )


async def before_payment(session: AsyncSession, loan_id: int) -> LoanRecords | None:
    """The loan's records before a payment is written (to tell whether it cleared the arrears), or None when its
    borrower is not to be told: a bulk load for borrowers not in the chat costs one look-up a row."""
    loan = await session.get_one(Loan, loan_id)
    borrower = await session.get_one(Borrower, loan.borrower_id)
    if loan.status is not LoanStatus.ACTIVE or not wants_notice(borrower):
        return None
    return (await load_records(session, [loan_id]))[loan_id]


async def notify(session: AsyncSession, *, payment: Payment, before: LoanRecords, now: datetime) -> int | None:
    """Enqueue (or, still waiting, refresh) the notice of `payment`, flushed in the session; the new row's id."""
    loan = await session.get_one(Loan, payment.loan_id)
    borrower = await session.get_one(Borrower, loan.borrower_id)
    today = local_date(now, borrower.time_zone)
    if not today - timedelta(days=NEWS_DAYS) <= payment.paid_on <= today + timedelta(days=1):
        return None
    on_date = max(today, payment.paid_on)
    try:
        after = state_of(loan, (await load_records(session, [loan.id]))[loan.id])
        earlier = state_of(loan, before)
    except ApiError:
        return None  # records that do not add up: the bank is checking them, so no figures are told
    position = after.position(on_date)
    arrears_before, arrears_after = arrears_on(earlier, on_date), arrears_on(after, on_date)
    payload = {
        "loan_id": loan.id,
        "payment_id": payment.id,
        "amount": f"{payment.amount:.2f}",
        "paid_on": payment.paid_on.isoformat(),
        "early": payment.kind is PaymentKind.EARLY,
        "percent_repaid": f"{position.percent_repaid:.2f}",
        "installments_left": position.installments_left,
        "principal_outstanding": f"{position.principal_outstanding:.2f}",
        "closed": position.closed,
        "arrears_cleared": arrears_before is not None and arrears_after is None,
        "overdue_amount": f"{arrears_after.amount:.2f}" if arrears_after else f"{Decimal(0):.2f}",
    }
    push = Push(NotificationKind.PAYMENT_RECEIVED, f"payment_received:{payment.id}", payload, loan_id=loan.id)
    added = await enqueue(session, borrower, push, now=now)
    if added is None:
        await session.execute(
            update(Notification)
            .where(Notification.dedupe_key == push.dedupe_key, Notification.status == NotificationStatus.PENDING)
            .values(payload=payload)
            .execution_options(synchronize_session=False)
        )
    return added
