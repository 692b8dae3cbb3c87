"""Decisions as staff make them in the console: the staff API's services (made once, audited, told through the
outbox in the same transaction), after the hold is checked, with the item's hold dropped in that transaction."""

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from api.documents.uploads import Upload
from api.errors import ApiError
from api.models import StaffMember, StaffRole
from api.settings import Settings
from api.staff import decisions, quotes
from api.staff.schemas import Decision, DecisionResult, DocumentDecision, NewPolicy, QuoteAnswer, QuoteAnswerResult
from api.work import holds
from api.work.items import Queue

PDF = "application/pdf"


def _decision(approved: bool, reason: str) -> Decision:
    return Decision(decision="approve" if approved else "reject", reason=reason)


async def _prepare(session: AsyncSession, queue: Queue, item_id: int, staff: StaffMember) -> None:
    """Refuse an item a colleague holds (a supervisor may act anyway); the hold goes with the decision's commit."""
    await holds.item(session, queue, item_id)
    await holds.check_may_act(session, queue, item_id, staff)
    await holds.clear(session, queue, item_id)


async def decide_holiday(
    session: AsyncSession,
    *,
    holiday_id: int,
    approved: bool,
    reason: str,
    staff: StaffMember,
    now: datetime,
    address: str | None = None,
) -> DecisionResult:
    """Approve or reject a payment holiday: a supervisor's decision."""
    if staff.role is not StaffRole.SUPERVISOR:
        raise ApiError(403, "supervisor_only", "Only a supervisor decides payment holidays.")
    await _prepare(session, Queue.HOLIDAYS, holiday_id, staff)
    return await decisions.decide_holiday(
        session, holiday_id=holiday_id, decision=_decision(approved, reason), staff=staff, now=now, address=address
    )


async def issue_certificate(
    session: AsyncSession,
    *,
    certificate_id: int,
    signed: Upload,
    reason: str,
    staff: StaffMember,
    settings: Settings,
    now: datetime,
    address: str | None = None,
) -> DecisionResult:
    """Issue a certificate with the PDF a member signed; the borrower receives that file."""
    if signed.content_type != PDF:
        raise ApiError(422, "signed_pdf_required", "The signed certificate must be a PDF.")
    await _prepare(session, Queue.CERTIFICATES, certificate_id, staff)
    return await decisions.decide_certificate(
        session,
        certificate_id=certificate_id,
        decision=_decision(True, reason),
        staff=staff,
        bank_zone=settings.bank_zone,
        now=now,
        signed_pdf=signed.content,
        address=address,
    )


async def refuse_certificate(
    session: AsyncSession,
    *,
    certificate_id: int,
    reason: str,
    staff: StaffMember,
    settings: Settings,
    now: datetime,
    address: str | None = None,
) -> DecisionResult:
    await _prepare(session, Queue.CERTIFICATES, certificate_id, staff)
    return await decisions.decide_certificate(
        session,
        certificate_id=certificate_id,
        decision=_decision(False, reason),
        staff=staff,
        bank_zone=settings.bank_zone,
        now=now,
        address=address,
    )


async def decide_document(
    session: AsyncSession,
    *,
    document_id: int,
    approved: bool,
    reason: str,
    policy: NewPolicy | None,
    staff: StaffMember,
    now: datetime,
    address: str | None = None,
) -> DecisionResult:
    """Accept (optionally registering the renewed policy) or reject an uploaded document."""
    decision = DocumentDecision(decision="approve" if approved else "reject", reason=reason, policy=policy)
    await _prepare(session, Queue.DOCUMENTS, document_id, staff)
    return await decisions.decide_document(
        session, document_id=document_id, decision=decision, staff=staff, now=now, address=address
    )


async def answer_quote(
    session: AsyncSession,
    *,
    quote_id: int,
    answer: QuoteAnswer,
    staff: StaffMember,
    settings: Settings,
    now: datetime,
    address: str | None = None,
) -> QuoteAnswerResult:
    """Price a renewal quote with the partner's insurer, premium and the last day the price holds."""
    await _prepare(session, Queue.QUOTES, quote_id, staff)
    return await quotes.price_quote(
        session, quote_id=quote_id, answer=answer, staff=staff, bank_zone=settings.bank_zone, now=now, address=address
    )
