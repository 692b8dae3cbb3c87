"""HTTP routes for staff (a staff member's token): queues, the borrower card, decisions, documents, transcripts."""

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query, Response

from api.deps import NowDep, SessionDep, SettingsDep, StaffDep, SupervisorDep, current_staff
from api.models import (
    CaseStatus,
    CertificateStatus,
    DocumentPurpose,
    HolidayStatus,
    QuoteStatus,
    ReviewStatus,
    SupportCase,
)
from api.staff import card, decisions, queues, quotes, transcript
from api.staff.schemas import (
    BorrowerCard,
    CaseItem,
    CertificateItem,
    Decision,
    DecisionResult,
    DocumentDecision,
    DocumentItem,
    HolidayItem,
    Page,
    QuoteAnswer,
    QuoteAnswerResult,
    QuoteItem,
    Transcript,
)

router = APIRouter(prefix="/staff", tags=["staff"], dependencies=[Depends(current_staff)])

EntityId = Annotated[int, Path(gt=0, lt=2**63)]
Limit = Annotated[int, Query(ge=1, le=200, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip.")]
_UNKNOWN = {404: {"description": "No such record"}}
_DECISION_REFUSALS = {**_UNKNOWN, 409: {"description": "Already decided (`already_decided`)"}}


@router.get("/holidays", response_model=Page[HolidayItem], summary="Payment-holiday applications")
async def holiday_queue(
    session: SessionDep, status: HolidayStatus = HolidayStatus.SUBMITTED, limit: Limit = 50, offset: Offset = 0
) -> Page[HolidayItem]:
    """Applications of one status (default: awaiting a decision), oldest first."""
    return await queues.page(session, queues.holidays(status), HolidayItem, limit=limit, offset=offset)


@router.get("/certificates", response_model=Page[CertificateItem], summary="Certificate requests")
async def certificate_queue(
    session: SessionDep,
    status: CertificateStatus = CertificateStatus.PENDING_STAFF,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[CertificateItem]:
    """Requests of one status (default: awaiting a staff signature), oldest first."""
    return await queues.page(session, queues.certificates(status), CertificateItem, limit=limit, offset=offset)


@router.get("/documents", response_model=Page[DocumentItem], summary="Uploaded documents")
async def document_queue(
    session: SessionDep,
    status: ReviewStatus = ReviewStatus.SUBMITTED,
    purpose: DocumentPurpose | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[DocumentItem]:
    """Documents of one status (default: awaiting review), optionally of one purpose, oldest first."""
    return await queues.page(session, queues.documents(status, purpose), DocumentItem, limit=limit, offset=offset)


@router.get("/insurance-quotes", response_model=Page[QuoteItem], summary="Renewal quote requests")
async def quote_queue(
    session: SessionDep, status: QuoteStatus = QuoteStatus.REQUESTED, limit: Limit = 50, offset: Offset = 0
) -> Page[QuoteItem]:
    """Quotes of one status (default: waiting for the partner's price), oldest first; priced ones show the
    borrower's choice to pay at once or later once made."""
    return await queues.page(session, queues.quotes(status), QuoteItem, limit=limit, offset=offset)


@router.get("/support-cases", response_model=Page[CaseItem], summary="Support cases")
async def case_queue(
    session: SessionDep,
    status: CaseStatus = CaseStatus.OPEN,
    needs_supervisor: Annotated[bool | None, Query(description="Only cases flagged (or not) for a supervisor.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[CaseItem]:
    """Cases of one status (default: open, not yet taken), oldest first."""
    flagged = () if needs_supervisor is None else (SupportCase.needs_supervisor.is_(needs_supervisor),)
    return await queues.page(session, queues.cases((status,), *flagged), CaseItem, limit=limit, offset=offset)


@router.get(
    "/support-cases/{case_id}/transcript",
    response_model=Transcript,
    responses={404: {"description": "No such case (`support_case_not_found`)"}},
    summary="A support case's transcript",
)
async def case_transcript(case_id: EntityId, staff: StaffDep, session: SessionDep) -> Transcript:
    """Relayed messages both ways and staff notes, oldest first; files by Telegram file id. Each reading is audited."""
    return await transcript.transcript(session, case_id=case_id, staff=staff)


@router.get("/borrowers/{borrower_id}", response_model=BorrowerCard, responses=_UNKNOWN, summary="Borrower card")
async def borrower_card(borrower_id: EntityId, session: SessionDep, now: NowDep) -> BorrowerCard:
    """Name, loans with the engine's figures and overdue flag, open applications and cases."""
    return await card.borrower_card(session, borrower_id=borrower_id, now=now)


@router.post(
    "/holidays/{holiday_id}/decision",
    response_model=DecisionResult,
    responses={
        **_DECISION_REFUSALS,
        403: {"description": "Only a supervisor decides holidays (`forbidden`)"},
        409: {"description": "`already_decided`, `holiday_already_granted` or `holiday_not_applicable`"},
    },
    summary="Decide a payment holiday",
)
async def decide_holiday(
    holiday_id: EntityId, decision: Decision, staff: SupervisorDep, session: SessionDep, now: NowDep
) -> DecisionResult:
    """Approve or reject (with a reason); the borrower is told at once. Supervisors only."""
    return await decisions.decide_holiday(session, holiday_id=holiday_id, decision=decision, staff=staff, now=now)


@router.post(
    "/certificates/{certificate_id}/decision",
    response_model=DecisionResult,
    responses=_DECISION_REFUSALS,
    summary="Sign or reject a certificate",
)
async def decide_certificate(
    certificate_id: EntityId,
    decision: Decision,
    staff: StaffDep,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
) -> DecisionResult:
    """Approve (ready, issued today) or reject (with a reason); the borrower is told at once."""
    return await decisions.decide_certificate(
        session, certificate_id=certificate_id, decision=decision, staff=staff, bank_zone=settings.bank_zone, now=now
    )


@router.post(
    "/documents/{document_id}/decision",
    response_model=DecisionResult,
    responses={**_DECISION_REFUSALS, 422: {"description": "Invalid body, or a policy on a non-insurance document"}},
    summary="Approve or reject a document",
)
async def decide_document(
    document_id: EntityId, decision: DocumentDecision, staff: StaffDep, session: SessionDep, now: NowDep
) -> DecisionResult:
    """Approve (optionally registering the new insurance policy) or reject (with a reason)."""
    return await decisions.decide_document(session, document_id=document_id, decision=decision, staff=staff, now=now)


@router.post(
    "/insurance-quotes/{quote_id}/answer",
    response_model=QuoteAnswerResult,
    responses={**_DECISION_REFUSALS, 422: {"description": "Invalid body, or `invalid_valid_until`"}},
    summary="Price a renewal quote",
)
async def answer_quote(
    quote_id: EntityId, answer: QuoteAnswer, staff: StaffDep, session: SessionDep, settings: SettingsDep, now: NowDep
) -> QuoteAnswerResult:
    """The partner insurer, the premium and the last day the price holds; the borrower is told at once and then
    chooses to pay at once or later."""
    return await quotes.price_quote(
        session, quote_id=quote_id, answer=answer, staff=staff, bank_zone=settings.bank_zone, now=now
    )


@router.get(
    "/documents/{document_id}/content",
    response_class=Response,
    responses={200: {"description": "The file as uploaded", "content": {"application/octet-stream": {}}}, **_UNKNOWN},
    summary="Download a document",
)
async def document_content(document_id: EntityId, staff: StaffDep, session: SessionDep) -> Response:
    """The uploaded file with its content type; each download is audited."""
    document = await decisions.document_content(session, document_id=document_id, staff=staff)
    disposition = f"attachment; filename=\"document-{document.id}\"; filename*=UTF-8''{quote(document.file_name)}"
    return Response(document.content, media_type=document.content_type, headers={"Content-Disposition": disposition})
