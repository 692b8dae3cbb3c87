"""HTTP routes for the bank's systems: PUT a record under its external id, as often as needed."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Response

from api.deps import NowDep, SessionDep, SettingsDep, require_integration
from api.integration import service
from api.integration.schemas import BorrowerUpsert, LoanUpsert, PaymentUpsert, PolicyUpsert, UpsertResult

router = APIRouter(prefix="/integration", tags=["integration"], dependencies=[Depends(require_integration)])


def _external_id(example: str) -> Any:
    """The bank's id of a record in the path; `example` is the id the record's body example belongs with."""
    return Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[\w.:\-]+$", examples=[example])]


BorrowerId, LoanId, PaymentId, PolicyId = (_external_id(e) for e in ("B-1", "L-1", "P-1", "INS-1"))
#: Every upsert answers 201 for a new record and 200 for one loaded before; both carry an `UpsertResult`.
_ANSWERS = {
    201: {"model": UpsertResult, "description": "The record is new"},
    409: {"description": "A unique field of the record is another record's (`conflict`)"},
}


def _status(response: Response, result: UpsertResult) -> UpsertResult:
    response.status_code = 201 if result.created else 200
    return result


@router.put(
    "/borrowers/{external_id}", response_model=UpsertResult, responses=_ANSWERS, summary="Create or update a borrower"
)
async def put_borrower(
    external_id: BorrowerId, data: BorrowerUpsert, session: SessionDep, response: Response, now: NowDep
) -> UpsertResult:
    """Create or update a borrower."""
    return _status(response, await service.upsert_borrower(session, external_id=external_id, data=data, now=now))


@router.put("/loans/{external_id}", response_model=UpsertResult, responses=_ANSWERS, summary="Create or update a loan")
async def put_loan(
    external_id: LoanId,
    data: LoanUpsert,
    session: SessionDep,
    settings: SettingsDep,
    response: Response,
    now: NowDep,
) -> UpsertResult:
    """Create or update a loan of a borrower loaded before; its repayment account must be valid at this bank."""
    result = await service.upsert_loan(session, external_id=external_id, data=data, bik=settings.bank.bik, now=now)
    return _status(response, result)


@router.put(
    "/payments/{external_id}", response_model=UpsertResult, responses=_ANSWERS, summary="Record a payment received"
)
async def put_payment(
    external_id: PaymentId, data: PaymentUpsert, session: SessionDep, response: Response, now: NowDep
) -> UpsertResult:
    """Record a payment received on a loan (regular or early)."""
    return _status(response, await service.upsert_payment(session, external_id=external_id, data=data, now=now))


@router.put(
    "/policies/{external_id}",
    response_model=UpsertResult,
    responses=_ANSWERS,
    summary="Create or update an insurance policy",
)
async def put_policy(
    external_id: PolicyId, data: PolicyUpsert, session: SessionDep, response: Response, now: NowDep
) -> UpsertResult:
    """Create or update an insurance policy on a loan."""
    return _status(response, await service.upsert_policy(session, external_id=external_id, data=data, now=now))
