"""HTTP routes for payment holidays: the terms of an application, pre-check, apply once per idempotency key, list,
proof and withdrawal."""

from typing import Annotated

from fastapi import APIRouter, Depends, File, Header, Response, UploadFile, status

from api.deps import BorrowerDep, IdempotencyKey, LoanDep, NowDep, SessionDep, SettingsDep, require_service
from api.documents.schemas import FILE_REFUSALS, DocumentPublic
from api.errors import not_found_response
from api.holidays import service
from api.holidays.dependencies import HolidayDep
from api.holidays.schemas import (
    HolidayApplicationTerms,
    HolidayCreate,
    HolidayProjection,
    HolidayPublic,
    PrecheckPublic,
)
from api.models import Document, HolidayApplication

router = APIRouter(tags=["holidays"], dependencies=[Depends(require_service)])

ApplicationKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        pattern=r"^[A-Za-z0-9_-]{8,64}$",
        description="Chosen by the bot per application (8–64 of A–Z a–z 0–9 _ -); a repeat returns the stored one.",
    ),
]

_NOT_PENDING = {409: {"description": "The application was already decided or withdrawn (`holiday_not_pending`)"}}
_UPLOAD_REFUSALS = {
    409: {
        "description": "The application was already decided or withdrawn (`holiday_not_pending`), or "
        "`idempotency_key_reused` for another upload"
    }
} | FILE_REFUSALS
_NO_LOAN = not_found_response("loan")
_NO_APPLICATION = not_found_response("application")


def _public(application: HolidayApplication, documents: list[Document]) -> HolidayPublic:
    proof = [DocumentPublic.model_validate(document) for document in documents]
    return HolidayPublic.model_validate(application).model_copy(update={"documents": proof})


@router.get(
    "/me/loans/{loan_id}/holidays/terms",
    response_model=HolidayApplicationTerms,
    summary="What an application on the loan may ask for today",
    responses={409: {"description": "The loan is closed (`loan_closed`)"}} | _NO_LOAN,
)
async def application_terms(
    loan: LoanDep, borrower: BorrowerDep, session: SessionDep, settings: SettingsDep, now: NowDep
) -> HolidayApplicationTerms:
    """Today in the borrower's time zone, the regular payment, the allowed starts, lengths, reasons, the income and
    file limits: the terms the pre-check judges by, so the bot asks within them and repeats none of them."""
    return await service.application_terms(session, borrower=borrower, loan=loan, settings=settings, now=now)


@router.post(
    "/me/loans/{loan_id}/holidays/precheck",
    response_model=PrecheckPublic,
    summary="Pre-check an application against the law, storing nothing",
    responses={409: {"description": "The loan is closed (`loan_closed`)"}} | _NO_LOAN,
)
async def precheck(
    loan: LoanDep,
    borrower: BorrowerDep,
    request: HolidayCreate,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
) -> PrecheckPublic:
    """Each condition with a plain explanation; never a refusal: an ineligible case may still be sent. With it, what
    the holiday would do to the loan: the new end date, the amount moved to the end, what becomes of the arrears."""
    result, projection = await service.run_precheck(
        session, borrower=borrower, loan=loan, request=request, settings=settings, now=now
    )
    preview = None if projection is None else HolidayProjection.model_validate(projection)
    return PrecheckPublic.model_validate(result.as_json() | {"projection": preview})


@router.post(
    "/me/loans/{loan_id}/holidays",
    response_model=HolidayPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Apply for a payment holiday (once per idempotency key)",
    responses={
        200: {"description": "The same key and body again: the stored application", "model": HolidayPublic},
        409: {"description": "`loan_closed`, `holiday_already_pending` or `idempotency_key_reused`"},
    }
    | _NO_LOAN,
)
async def apply(
    loan: LoanDep,
    borrower: BorrowerDep,
    request: HolidayCreate,
    key: ApplicationKey,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    response: Response,
) -> HolidayPublic:
    """Send the application for staff review with its pre-check; a repeat with the same key returns it (200)."""
    application, created = await service.create(
        session, borrower=borrower, loan=loan, key=key, request=request, settings=settings, now=now
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    documents = await service.documents_of(session, holiday_ids=[application.id])
    return _public(application, documents[application.id])


@router.get("/me/holidays", response_model=list[HolidayPublic], summary="The borrower's applications, newest first")
async def list_holidays(borrower: BorrowerDep, session: SessionDep) -> list[HolidayPublic]:
    """Every application on the borrower's loans with its status, pre-check and proof."""
    applications = await service.list_for(session, borrower=borrower)
    documents = await service.documents_of(session, holiday_ids=[application.id for application in applications])
    return [_public(application, documents[application.id]) for application in applications]


@router.get(
    "/me/holidays/{holiday_id}", response_model=HolidayPublic, summary="One application", responses=_NO_APPLICATION
)
async def get_holiday(application: HolidayDep, session: SessionDep) -> HolidayPublic:
    """Status, the staff's reason once decided, the pre-check and the proof uploaded."""
    documents = await service.documents_of(session, holiday_ids=[application.id])
    return _public(application, documents[application.id])


@router.post(
    "/me/holidays/{holiday_id}/documents",
    response_model=DocumentPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Attach proof to an application under review",
    responses={
        200: {
            "description": "The same file is already attached, or the same key and file again",
            "model": DocumentPublic,
        }
    }
    | _UPLOAD_REFUSALS
    | _NO_APPLICATION,
)
async def upload_proof(
    application: HolidayDep,
    file: Annotated[UploadFile, File(description="Proof as PDF, JPEG or PNG.")],
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    response: Response,
    key: IdempotencyKey = None,
) -> DocumentPublic:
    """Employment-centre record, sick-leave or disability certificate, income statement; a repeat with the same
    `Idempotency-Key` returns the document stored first (200)."""
    document, created = await service.upload_proof(
        session, application=application, file=file, key=key, max_bytes=settings.max_upload_bytes, now=now
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return DocumentPublic.model_validate(document)


@router.post(
    "/me/holidays/{holiday_id}/withdraw",
    response_model=HolidayPublic,
    summary="Withdraw an application still under review",
    responses=_NOT_PENDING | _NO_APPLICATION,
)
async def withdraw(application: HolidayDep, session: SessionDep) -> HolidayPublic:
    """Only while the application is submitted; a decided one stays as decided."""
    application = await service.withdraw(session, application=application)
    documents = await service.documents_of(session, holiday_ids=[application.id])
    return _public(application, documents[application.id])
