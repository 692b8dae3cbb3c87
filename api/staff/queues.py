"""The staff queues: requests of one status, oldest first, each with the borrower's first name and contract."""

from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import (
    Borrower,
    CaseReason,
    CaseStatus,
    CertificateRequest,
    CertificateStatus,
    Document,
    DocumentPurpose,
    HolidayApplication,
    HolidayStatus,
    InsuranceQuoteRequest,
    Loan,
    QuoteStatus,
    ReviewStatus,
    SupportCase,
)
from api.staff.schemas import Page, QueueItem

Queued = HolidayApplication | CertificateRequest | Document | SupportCase | InsuranceQuoteRequest
ItemT = TypeVar("ItemT", bound=QueueItem)


def queue(model: type[Queued], *conditions: Any) -> Select[Any]:
    """Rows of `model` matching `conditions` with the borrower's first name and the contract number."""
    return (
        select(model, Borrower.first_name, Loan.contract_number)
        .join(Borrower, Borrower.id == model.borrower_id)
        .outerjoin(Loan, Loan.id == model.loan_id)
        .where(*conditions)
        .order_by(model.created_at, model.id)
    )


def holidays(status: HolidayStatus, *conditions: Any) -> Select[Any]:
    return queue(HolidayApplication, HolidayApplication.status == status, *conditions)


def certificates(status: CertificateStatus, *conditions: Any) -> Select[Any]:
    return queue(CertificateRequest, CertificateRequest.status == status, *conditions)


def documents(status: ReviewStatus, purpose: DocumentPurpose | None, *conditions: Any) -> Select[Any]:
    if purpose is not None:
        conditions = (Document.purpose == purpose, *conditions)
    return queue(Document, Document.status == status, *conditions)


def quotes(status: QuoteStatus, *conditions: Any) -> Select[Any]:
    return queue(InsuranceQuoteRequest, InsuranceQuoteRequest.status == status, *conditions)


def cases(statuses: tuple[CaseStatus, ...], *conditions: Any) -> Select[Any]:
    """Cases with hardship first, then oldest first; an unlinked chat's case with its Telegram name and no loan."""
    return (
        select(SupportCase, func.coalesce(Borrower.first_name, SupportCase.telegram_name, ""), Loan.contract_number)
        .outerjoin(Borrower, Borrower.id == SupportCase.borrower_id)
        .outerjoin(Loan, Loan.id == SupportCase.loan_id)
        .where(SupportCase.status.in_(statuses), *conditions)
        .order_by(SupportCase.reason != CaseReason.HARDSHIP, SupportCase.created_at, SupportCase.id)
    )


def item(schema: type[ItemT], record: Queued, first_name: str, contract_number: str | None) -> ItemT:
    """A queue item from a row of `queue`: the record's own fields plus the two references."""
    return schema.from_record(record, borrower_first_name=first_name, contract_number=contract_number)


async def items(session: AsyncSession, statement: Select[Any], schema: type[ItemT]) -> list[ItemT]:
    return [item(schema, *row) for row in await session.execute(statement)]


async def page(session: AsyncSession, statement: Select[Any], schema: type[ItemT], *, limit: int, offset: int) -> Page:
    """One page of a queue and the queue's length."""
    total = await session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    found = await items(session, statement.limit(limit).offset(offset), schema)
    return Page[schema](items=found, total=total, limit=limit, offset=offset)
