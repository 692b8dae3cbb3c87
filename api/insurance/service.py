"""Insurance: the loan's policies with their expiry, policy uploads for review, one open quote request per kind, and
the borrower's choice to pay a priced quote at once or later."""

from datetime import date, datetime

from fastapi import UploadFile
from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from api import audit
from api.clock import local_date
from api.documents.schemas import DocumentPublic
from api.documents.store import Filing, store_upload
from api.errors import ApiError, not_found
from api.idempotency import key_reused, stored_under
from api.insurance.schemas import InsuranceOverview, PolicyPublic, QuoteRequestPublic
from api.models import (
    Borrower,
    Document,
    DocumentPurpose,
    InsurancePolicy,
    InsuranceQuoteRequest,
    Loan,
    LoanStatus,
    PolicyKind,
    QuoteStatus,
)


def _refuse_closed(loan: Loan) -> None:
    if loan.status is LoanStatus.CLOSED:
        raise ApiError(409, "loan_closed", "The loan is closed; insurance for it is no longer handled.")


async def overview(session: AsyncSession, *, borrower: Borrower, loan: Loan, now: datetime) -> InsuranceOverview:
    """The loan's policies (days to expiry counted in the borrower's time zone), uploads and open quotes."""
    today = local_date(now, borrower.time_zone)
    policies = await session.scalars(
        select(InsurancePolicy)
        .where(InsurancePolicy.loan_id == loan.id)
        .order_by(InsurancePolicy.expires_on.desc(), InsurancePolicy.id.desc())
    )
    documents = await session.scalars(
        select(Document)
        .where(Document.loan_id == loan.id, Document.purpose == DocumentPurpose.INSURANCE_POLICY)
        .order_by(Document.created_at.desc(), Document.id.desc())
    )
    quotes = await session.scalars(
        select(InsuranceQuoteRequest)
        .where(
            InsuranceQuoteRequest.loan_id == loan.id,
            or_(
                InsuranceQuoteRequest.status == QuoteStatus.REQUESTED,
                and_(InsuranceQuoteRequest.status == QuoteStatus.SENT, InsuranceQuoteRequest.valid_until >= today),
            ),
        )
        .order_by(InsuranceQuoteRequest.id)
    )
    return InsuranceOverview(
        loan_id=loan.id,
        policies=[
            PolicyPublic.from_record(
                policy,
                mandatory=policy.kind.mandatory,
                days_to_expiry=(policy.expires_on - today).days,
                expired=policy.expires_on < today,
            )
            for policy in policies
        ],
        documents=[DocumentPublic.model_validate(document) for document in documents],
        open_quote_requests=[QuoteRequestPublic.model_validate(quote) for quote in quotes],
    )


async def upload_policy(
    session: AsyncSession,
    *,
    loan: Loan,
    policy_kind: PolicyKind,
    file: UploadFile,
    key: str | None = None,
    max_bytes: int,
    now: datetime,
) -> tuple[Document, bool]:
    """Submit a renewed policy for staff review; the same file already waiting, or the same upload under its
    idempotency `key`, is returned, not stored again."""
    filing = Filing(
        borrower_id=loan.borrower_id, loan_id=loan.id, purpose=DocumentPurpose.INSURANCE_POLICY, policy_kind=policy_kind
    )
    return await store_upload(
        session, filing, file=file, max_bytes=max_bytes, key=key, refuse=lambda: _refuse_closed(loan), now=now
    )


async def _open_quote(session: AsyncSession, loan_id: int, kind: PolicyKind) -> InsuranceQuoteRequest | None:
    return await session.scalar(
        select(InsuranceQuoteRequest).where(
            InsuranceQuoteRequest.loan_id == loan_id,
            InsuranceQuoteRequest.kind == kind,
            InsuranceQuoteRequest.status == QuoteStatus.REQUESTED,
        )
    )


def _replayed_quote(quote: InsuranceQuoteRequest, loan_id: int, kind: PolicyKind) -> InsuranceQuoteRequest:
    """The stored request if the repeat asks for the same cover on the same loan; else the key was reused (409)."""
    if (quote.loan_id, quote.kind) != (loan_id, kind):
        raise key_reused("quote request", quote_id=quote.id)
    return quote


async def request_quote(
    session: AsyncSession, *, loan: Loan, kind: PolicyKind, key: str | None = None, now: datetime
) -> tuple[InsuranceQuoteRequest, bool]:
    """Ask for a renewal quote: it waits in the staff queue for the partner's price (`api/staff/quotes.py`), and the
    borrower chooses to pay at once or later only once it is priced. A repeat while one is open returns it; a repeat
    under the idempotency `key` returns the request it stored, priced or not."""
    borrower_id, loan_id = loan.borrower_id, loan.id
    if (stored := await stored_under(session, InsuranceQuoteRequest, borrower_id, key)) is not None:
        return _replayed_quote(stored, loan_id, kind), False
    _refuse_closed(loan)
    existing = await _open_quote(session, loan_id, kind)
    if existing is not None:
        return existing, False
    quote = InsuranceQuoteRequest(
        borrower_id=borrower_id,
        loan_id=loan_id,
        idempotency_key=key,
        kind=kind,
        status=QuoteStatus.REQUESTED,
        created_at=now,
    )
    session.add(quote)
    try:
        await session.flush()
        audit.record(session, actor="bot", action="request_quote", entity="insurance_quote_request", entity_id=quote.id)
        await session.commit()
    except IntegrityError:
        await session.rollback()  # a concurrent repeat stored it first: the open kind's index or the key's
        if (stored := await stored_under(session, InsuranceQuoteRequest, borrower_id, key)) is not None:
            return _replayed_quote(stored, loan_id, kind), False
        existing = await _open_quote(session, loan_id, kind)
        if existing is None:
            raise
        return existing, False
    return quote, True


async def choose_payment(
    session: AsyncSession, *, loan: Loan, borrower: Borrower, quote_id: int, pay_later: bool, now: datetime
) -> InsuranceQuoteRequest:
    """Record the borrower's choice on a priced quote whose price still holds; the same choice again is harmless.

    Another loan's quote is a 404 like a missing one; a quote not priced yet, expired, or already chosen the other
    way is a 409. The conditional UPDATE makes the first of two different choices landing together the one kept.
    """
    quote = await session.get(InsuranceQuoteRequest, quote_id)
    if quote is None or quote.loan_id != loan.id:
        raise not_found("quote")
    today = local_date(now, borrower.time_zone)
    _check_choosable(quote, today)
    chosen = await session.scalar(
        update(InsuranceQuoteRequest)
        .where(InsuranceQuoteRequest.id == quote_id, InsuranceQuoteRequest.pay_later.is_(None))
        .values(pay_later=pay_later, chosen_at=now)
        .returning(InsuranceQuoteRequest.id)
        .execution_options(synchronize_session=False)
    )
    await session.refresh(quote)
    if chosen is None and quote.pay_later is not pay_later:
        raise ApiError(
            409, "quote_already_chosen", "A way to pay this quote was already chosen.", pay_later=quote.pay_later
        )
    if chosen is not None:
        audit.record(
            session, actor="bot", action="choose_quote_payment", entity="insurance_quote_request", entity_id=quote.id
        )
    await session.commit()
    return quote


def _check_choosable(quote: InsuranceQuoteRequest, today: date) -> None:
    if quote.status is not QuoteStatus.SENT:
        raise ApiError(409, "quote_not_priced", "The quote has no price yet.", current_status=quote.status.value)
    if quote.valid_until < today:
        raise ApiError(
            409, "quote_expired", "The quoted price no longer holds.", valid_until=quote.valid_until.isoformat()
        )
