"""HTTP routes for the bank's systems: PUT a record under its external id, as often as needed."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response

from api.deps import NowDep, SessionDep, SettingsDep, require_integration
from api.integration import service
from api.integration.schemas import BorrowerUpsert, LoanUpsert, PaymentUpsert, PolicyUpsert, UpsertResult

router = APIRouter(prefix="/integration", tags=["integration"], dependencies=[Depends(require_integration)])

ExternalIdPath = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[\w.:\-]+$")]


def _status(response: Response, result: UpsertResult) -> UpsertResult:
    response.status_code = 201 if result.created else 200
    return result


@router.put("/borrowers/{external_id}", response_model=UpsertResult, summary="Create or update a borrower")
async def put_borrower(
    external_id: ExternalIdPath, data: BorrowerUpsert, session: SessionDep, response: Response, now: NowDep
) -> UpsertResult:
    """Create or update a borrower."""
    return _status(response, await service.upsert_borrower(session, external_id=external_id, data=data, now=now))


@router.put("/loans/{external_id}", response_model=UpsertResult, summary="Create or update a loan")
async def put_loan(
    external_id: ExternalIdPath,
    data: LoanUpsert,
    session: SessionDep,
    settings: SettingsDep,
    response: Response,
    now: NowDep,
) -> UpsertResult:
    """Create or update a loan of a borrower loaded before; its repayment account must be valid at this bank."""
    result = await service.upsert_loan(session, external_id=external_id, data=data, bik=settings.bank.bik, now=now)
    return _status(response, result)


@router.put("/payments/{external_id}", response_model=UpsertResult, summary="Record a payment received")
async def put_payment(
    external_id: ExternalIdPath, data: PaymentUpsert, session: SessionDep, response: Response, now: NowDep
) -> UpsertResult:
    """Record a payment received on a loan (regular or early)."""
    return _status(response, await service.upsert_payment(session, external_id=external_id, data=data, now=now))


@router.put("/policies/{external_id}", response_model=UpsertResult, summary="Create or update an insurance policy")
async def put_policy(
    external_id: ExternalIdPath, data: PolicyUpsert, session: SessionDep, response: Response, now: NowDep
) -> UpsertResult:
    """Create or update an insurance policy on a loan."""
    return _status(response, await service.upsert_policy(session, external_id=external_id, data=data, now=now))
