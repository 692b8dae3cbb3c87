"""HTTP routes for certificates: request one for a loan, list the requests, download a ready one as PDF."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response, status

from api.certificates import service
from api.certificates.schemas import CertificateCreate, CertificateOut, CertificateYears, InterestOverview
from api.deps import (
    BorrowerDep,
    DrawingDep,
    IdempotencyKey,
    LoanDep,
    NowDep,
    SessionDep,
    SettingsDep,
    require_service,
)

router = APIRouter(prefix="/me", tags=["certificates"], dependencies=[Depends(require_service)])

CertificateIdPath = Annotated[int, Path(gt=0, lt=2**63)]


@router.post(
    "/loans/{loan_id}/certificates",
    status_code=status.HTTP_201_CREATED,
    response_model=CertificateOut,
    summary="Request a certificate",
    responses={
        200: {
            "description": "The same signed request was already waiting for staff, or the same key and body again",
            "model": CertificateOut,
        },
        404: {"description": "No such loan among the caller's loans"},
        409: {"description": "`loan_not_closed`, or `idempotency_key_reused` for another request"},
        422: {"description": "A year without payments, or a date outside the loan's life"},
    },
)
async def request_certificate(
    request: CertificateCreate,
    loan: LoanDep,
    borrower: BorrowerDep,
    session: SessionDep,
    now: NowDep,
    settings: SettingsDep,
    response: Response,
    key: IdempotencyKey = None,
) -> CertificateOut:
    """Ready at once, or with `signed` queued for a staff signature (the borrower is told when it is ready); a
    repeat with the same `Idempotency-Key` returns the request stored first (200)."""
    certificate, created = await service.request_certificate(
        session, borrower=borrower, loan=loan, request=request, key=key, now=now, bank_zone=settings.bank_zone
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return service.certificate_out(certificate)


@router.get(
    "/loans/{loan_id}/certificates/years",
    response_model=CertificateYears,
    summary="Years an interest certificate can cover",
    responses={404: {"description": "No such loan among the caller's loans"}},
)
async def certificate_years(loan: LoanDep, session: SessionDep, settings: SettingsDep, now: NowDep) -> CertificateYears:
    """The calendar years with payments received up to the last completed month, for the bot's year buttons."""
    today = service.bank_date(now, settings.bank_zone)
    return CertificateYears(loan_id=loan.id, years=await service.payment_years(session, loan=loan, today=today))


@router.get(
    "/loans/{loan_id}/certificates/interest",
    response_model=InterestOverview,
    summary="Interest paid by year, against the tax-deduction cap",
    responses={404: {"description": "No such loan among the caller's loans"}},
)
async def interest_overview(loan: LoanDep, session: SessionDep, settings: SettingsDep, now: NowDep) -> InterestOverview:
    """Interest paid per calendar year and since the loan began, as the interest certificates state it, against the
    3,000,000 ₽ cap on the mortgage-interest deduction base (Tax Code art. 220) and the law's 13% refund rate."""
    today = service.bank_date(now, settings.bank_zone)
    return await service.deduction_overview(session, loan=loan, today=today)


@router.get("/certificates", response_model=list[CertificateOut], summary="The borrower's certificate requests")
async def list_certificates(
    borrower: BorrowerDep,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> list[CertificateOut]:
    """The borrower's requests on all loans, newest first."""
    rows = await service.list_certificates(session, borrower=borrower, limit=limit)
    return [service.certificate_out(row) for row in rows]


@router.get(
    "/certificates/{certificate_id}/pdf",
    response_class=Response,
    summary="Download a ready certificate",
    responses={
        200: {"content": {"application/pdf": {}}, "description": "The certificate as PDF"},
        404: {"description": "No such certificate among the caller's"},
        409: {"description": "Not ready: waiting for a staff signature, or rejected"},
    },
)
async def certificate_pdf(
    certificate_id: CertificateIdPath,
    borrower: BorrowerDep,
    session: SessionDep,
    settings: SettingsDep,
    drawing: DrawingDep,
    now: NowDep,
) -> Response:
    """The PDF with figures from the repayment engine; the first download is recorded as the delivery."""
    pdf, name = await service.certificate_pdf(
        session, borrower=borrower, certificate_id=certificate_id, settings=settings, drawing=drawing, now=now
    )
    return Response(
        pdf, media_type="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
