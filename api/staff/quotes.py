"""Staff pricing a renewal quote with the partner insurer: recorded once, audited, and told to the borrower at once.

Today a person asks the partner insurer and types the price in. A partner integration would call the insurer's
pricing API for each requested quote (a job over this queue) and record its answer as `price_quote` does, with the
partner as the audit actor and no staff member; the notice, the borrower's choice and the queue stay as they are.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api import audit
from api.clock import local_date
from api.errors import ApiError, not_found
from api.models import Borrower, InsurancePolicy, InsuranceQuoteRequest, NotificationKind, QuoteStatus, StaffMember
from api.outbox import Push, enqueue
from api.staff.schemas import QuoteAnswer, QuoteAnswerResult

#: How far ahead a quoted price may hold.
LONGEST_VALIDITY = timedelta(days=366)


def _check_validity(answer: QuoteAnswer, *, bank_zone: ZoneInfo, now: datetime) -> None:
    today = now.astimezone(bank_zone).date()
    if not today <= answer.valid_until <= today + LONGEST_VALIDITY:
        raise ApiError(
            422,
            "invalid_valid_until",
            "valid_until must be from today to a year ahead.",
            earliest=today.isoformat(),
            latest=(today + LONGEST_VALIDITY).isoformat(),
        )


async def price_quote(
    session: AsyncSession,
    *,
    quote_id: int,
    answer: QuoteAnswer,
    staff: StaffMember,
    bank_zone: ZoneInfo,
    now: datetime,
    address: str | None = None,
) -> QuoteAnswerResult:
    """Price a requested quote; the conditional UPDATE makes a second answer, even one landing at once, a 409."""
    _check_validity(answer, bank_zone=bank_zone, now=now)
    quote = await session.get(InsuranceQuoteRequest, quote_id)
    if quote is None:
        raise not_found("quote")
    borrower = await session.get_one(Borrower, quote.borrower_id)
    pay_by = await _pay_by(session, quote, answer, today=local_date(now, borrower.time_zone))
    priced = await session.scalar(
        update(InsuranceQuoteRequest)
        .where(InsuranceQuoteRequest.id == quote_id, InsuranceQuoteRequest.status == QuoteStatus.REQUESTED)
        .values(
            status=QuoteStatus.SENT,
            insurer=answer.insurer,
            premium=answer.premium,
            valid_until=answer.valid_until,
            pay_by=pay_by,
            answered_at=now,
            answered_by=staff.id,
        )
        .returning(InsuranceQuoteRequest.id)
        .execution_options(synchronize_session=False)
    )
    await session.refresh(quote)
    if priced is None:
        raise ApiError(
            409,
            "already_decided",
            "This quote has already been answered or cancelled.",
            current_status=quote.status.value,
        )
    audit.record(
        session,
        actor=f"staff:{staff.id}",
        action="price_quote",
        entity="insurance_quote_request",
        entity_id=quote.id,
        address=address,
    )
    payload = {
        "quote_id": quote.id,
        "loan_id": quote.loan_id,
        "policy_kind": quote.kind.value,
        "mandatory": quote.kind.mandatory,
        "insurer": quote.insurer,
        "premium": f"{quote.premium:.2f}",
        "valid_until": quote.valid_until.isoformat(),
        "pay_by": quote.pay_by.isoformat(),
    }
    push = Push(NotificationKind.INSURANCE_QUOTE_READY, f"insurance_quote_ready:{quote.id}", payload, quote.loan_id)
    notification_id = await enqueue(session, borrower, push, now=now)
    await session.commit()
    return QuoteAnswerResult(
        id=quote.id,
        status=quote.status.value,
        insurer=quote.insurer,
        premium=quote.premium,
        valid_until=quote.valid_until,
        pay_by=quote.pay_by,
        answered_at=quote.answered_at,
        answered_by=quote.answered_by,
        notification_id=notification_id,
    )


async def _pay_by(session: AsyncSession, quote: InsuranceQuoteRequest, answer: QuoteAnswer, *, today: date) -> date:
    """The last day to pay when paying later: while the price holds, and, for the cover to run on without a break,
    before the current policy of that kind ends when that comes first."""
    current_end = await session.scalar(
        select(InsurancePolicy.expires_on)
        .where(InsurancePolicy.loan_id == quote.loan_id, InsurancePolicy.kind == quote.kind)
        .order_by(InsurancePolicy.expires_on.desc())
        .limit(1)
    )
    if current_end is not None and today <= current_end < answer.valid_until:
        return current_end
    return answer.valid_until
