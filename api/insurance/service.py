"""Insurance: the loan's policies with their expiry, policy uploads for review, one open quote request per kind."""

from datetime import datetime

from fastapi import UploadFile
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from api import audit
from api.documents.store import store_document
from api.documents.uploads import read_upload
from api.errors import ApiError
from api.insurance.schemas import DocumentPublic, InsuranceOverview, PolicyPublic, QuoteRequestPublic
from api.loans.state import local_date
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
        .where(InsuranceQuoteRequest.loan_id == loan.id, InsuranceQuoteRequest.status == QuoteStatus.REQUESTED)
        .order_by(InsuranceQuoteRequest.id)
    )
    return InsuranceOverview(
        loan_id=loan.id,
        policies=[
            PolicyPublic(
                id=policy.id,
                kind=policy.kind,
                mandatory=policy.kind.mandatory,
                insurer=policy.insurer,
                policy_number=policy.policy_number,
                starts_on=policy.starts_on,
                expires_on=policy.expires_on,
                premium=policy.premium,
                days_to_expiry=(policy.expires_on - today).days,
                expired=policy.expires_on < today,
            )
            for policy in policies
        ],
        documents=[DocumentPublic.model_validate(document) for document in documents],
        open_quote_requests=[QuoteRequestPublic.model_validate(quote) for quote in quotes],
    )


async def upload_policy(
    session: AsyncSession, *, loan: Loan, policy_kind: PolicyKind, file: UploadFile, max_bytes: int, now: datetime
) -> tuple[Document, bool]:
    """Submit a renewed policy for staff review; the same file already waiting is returned, not stored again."""
    _refuse_closed(loan)
    upload = await read_upload(file, max_bytes=max_bytes)
    return await store_document(
        session,
        borrower_id=loan.borrower_id,
        loan_id=loan.id,
        purpose=DocumentPurpose.INSURANCE_POLICY,
        policy_kind=policy_kind,
        upload=upload,
        now=now,
    )


async def _open_quote(session: AsyncSession, loan_id: int, kind: PolicyKind) -> InsuranceQuoteRequest | None:
    return await session.scalar(
        select(InsuranceQuoteRequest).where(
            InsuranceQuoteRequest.loan_id == loan_id,
            InsuranceQuoteRequest.kind == kind,
            InsuranceQuoteRequest.status == QuoteStatus.REQUESTED,
        )
    )


async def request_quote(
    session: AsyncSession, *, loan: Loan, kind: PolicyKind, pay_later: bool, now: datetime
) -> tuple[InsuranceQuoteRequest, bool]:
    """Ask the partner insurer for a renewal quote; a repeat while one is open returns the open one."""
    _refuse_closed(loan)
    loan_id = loan.id
    existing = await _open_quote(session, loan_id, kind)
    if existing is not None:
        return existing, False
    quote = InsuranceQuoteRequest(
        loan_id=loan_id, kind=kind, pay_later=pay_later, status=QuoteStatus.REQUESTED, created_at=now
    )
    session.add(quote)
    try:
        await session.flush()
        audit.record(session, actor="bot", action="request_quote", entity="insurance_quote_request", entity_id=quote.id)
        await session.commit()
    except IntegrityError:
        await session.rollback()
        existing = await _open_quote(session, loan_id, kind)
        if existing is None:
            raise
        return existing, False
    return quote, True
