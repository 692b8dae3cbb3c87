"""HTTP routes for insurance: the overview, a renewed policy's upload and renewal quote requests."""

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Path, Response, UploadFile, status

from api.deps import BorrowerDep, IdempotencyKey, LoanDep, NowDep, SessionDep, SettingsDep, require_service
from api.documents.schemas import FILE_REFUSALS, DocumentPublic
from api.errors import not_found_response
from api.insurance import service
from api.insurance.schemas import (
    InsuranceOverview,
    QuoteChoice,
    QuoteRequestCreate,
    QuoteRequestPublic,
)
from api.models import PolicyKind

router = APIRouter(
    prefix="/me/loans/{loan_id}/insurance",
    tags=["insurance"],
    dependencies=[Depends(require_service)],
    responses=not_found_response("loan"),
)

_REUSED = "`idempotency_key_reused` for another"
_UPLOAD_REFUSALS = {409: {"description": f"The loan is closed (`loan_closed`), or {_REUSED} upload"}} | FILE_REFUSALS


@router.get("", response_model=InsuranceOverview, summary="Policies, uploaded documents and open quote requests")
async def get_insurance(loan: LoanDep, borrower: BorrowerDep, session: SessionDep, now: NowDep) -> InsuranceOverview:
    """The loan's policies (property cover is mandatory, life and title voluntary), uploads and open quotes."""
    return await service.overview(session, borrower=borrower, loan=loan, now=now)


@router.post(
    "/documents",
    response_model=DocumentPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Upload a renewed policy for staff review",
    responses={
        200: {
            "description": "The same file is already under review, or the same key and file again",
            "model": DocumentPublic,
        }
    }
    | _UPLOAD_REFUSALS,
)
async def upload_policy(
    loan: LoanDep,
    file: Annotated[UploadFile, File(description="The policy as PDF, JPEG or PNG.")],
    policy_kind: Annotated[PolicyKind, Form(description="Which cover the policy is.")],
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    response: Response,
    key: IdempotencyKey = None,
) -> DocumentPublic:
    """Store the file for review; uploading the same file again while it waits, or a repeat with the same
    `Idempotency-Key`, returns the stored one (200)."""
    document, created = await service.upload_policy(
        session,
        loan=loan,
        policy_kind=policy_kind,
        file=file,
        key=key,
        max_bytes=settings.max_upload_bytes,
        now=now,
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return DocumentPublic.model_validate(document)


@router.post(
    "/quote-requests",
    response_model=QuoteRequestPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Ask for a renewal quote from the bank's partner (priced by staff, then paid at once or later)",
    responses={
        200: {
            "description": "A request of this kind is already open, or the same key and cover again",
            "model": QuoteRequestPublic,
        },
        409: {"description": f"The loan is closed (`loan_closed`), or {_REUSED} request"},
    },
)
async def request_quote(
    loan: LoanDep,
    request: QuoteRequestCreate,
    session: SessionDep,
    now: NowDep,
    response: Response,
    key: IdempotencyKey = None,
) -> QuoteRequestPublic:
    """One open request per loan and kind: a repeat returns the open one (200), and a repeat with the same
    `Idempotency-Key` the request stored first."""
    quote, created = await service.request_quote(session, loan=loan, kind=PolicyKind(request.kind), key=key, now=now)
    if not created:
        response.status_code = status.HTTP_200_OK
    return QuoteRequestPublic.model_validate(quote)


@router.post(
    "/quote-requests/{quote_id}/choice",
    response_model=QuoteRequestPublic,
    summary="Choose to pay a priced quote at once or later",
    responses={
        404: {"description": "No such quote on this loan (`quote_not_found`)"},
        409: {"description": "`quote_not_priced`, `quote_expired` or `quote_already_chosen` (the other way)"},
    },
)
async def choose_quote_payment(
    loan: LoanDep,
    borrower: BorrowerDep,
    quote_id: Annotated[int, Path(gt=0, lt=2**63)],
    choice: QuoteChoice,
    session: SessionDep,
    now: NowDep,
) -> QuoteRequestPublic:
    """Record the choice while the price holds; the same choice again answers the same."""
    quote = await service.choose_payment(
        session, loan=loan, borrower=borrower, quote_id=quote_id, pay_later=choice.pay_later, now=now
    )
    return QuoteRequestPublic.model_validate(quote)
