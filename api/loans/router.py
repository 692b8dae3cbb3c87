"""HTTP routes for the borrower's loans: list, balance summary, schedule (JSON or CSV), the two at once for the
balance screen, early-repayment estimate."""

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response

from api.deps import BorrowerDep, LoanDep, NowDep, SessionDep, SettingsDep, require_service
from api.loans import service
from api.loans.schemas import (
    EarlyRepaymentEstimateOut,
    EstimateRequest,
    LoanBalance,
    LoanItem,
    LoanSchedule,
    LoanSummary,
)

router = APIRouter(prefix="/me/loans", tags=["loans"], dependencies=[Depends(require_service)])

_NOT_FOUND = {404: {"description": "No such loan among the caller's loans"}}


@router.get("", response_model=list[LoanItem], summary="The borrower's loans")
async def list_loans(borrower: BorrowerDep, session: SessionDep) -> list[LoanItem]:
    """Every loan of the linked borrower, with the one selected in the bot flagged."""
    return await service.list_loans(session, borrower=borrower)


@router.get(
    "/{loan_id}/summary",
    response_model=LoanSummary,
    summary="Balance and progress on a date",
    responses={**_NOT_FOUND, 422: {"description": "A date before the contract or long after the last payment"}},
)
async def loan_summary(
    loan: LoanDep,
    borrower: BorrowerDep,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    on: Annotated[date | None, Query(description="YYYY-MM-DD; default: today in the borrower's time zone.")] = None,
) -> LoanSummary:
    """Outstanding principal, next payment, paid so far, overdue and how to pay (the chart comes from /schedule)."""
    return await service.summary(session, loan=loan, borrower=borrower, settings=settings, now=now, on=on)


@router.get(
    "/{loan_id}/balance", response_model=LoanBalance, summary="The summary today and the schedule", responses=_NOT_FOUND
)
async def loan_balance(
    loan: LoanDep, borrower: BorrowerDep, session: SessionDep, settings: SettingsDep, now: NowDep
) -> LoanBalance:
    """What the balance screen shows, read once: the progress today and every installment for the payoff chart."""
    return await service.balance(session, loan=loan, borrower=borrower, settings=settings, now=now)


@router.get(
    "/{loan_id}/schedule",
    response_model=LoanSchedule,
    summary="The payment schedule",
    responses={**_NOT_FOUND, 200: {"content": {"text/csv": {}}, "description": "JSON rows, or CSV with format=csv"}},
)
async def loan_schedule(
    loan: LoanDep,
    session: SessionDep,
    output: Annotated[Literal["json", "csv"], Query(alias="format")] = "json",
) -> LoanSchedule | Response:
    """Every installment with its principal, interest and the balance after it."""
    schedule = await service.schedule(session, loan=loan)
    if output == "csv":
        return Response(
            service.schedule_csv(schedule),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="grafik-{loan.id}.csv"'},
        )
    return service.schedule_out(schedule, loan_id=loan.id)


@router.post(
    "/{loan_id}/early-repayment/estimate",
    response_model=EarlyRepaymentEstimateOut,
    summary="Estimate an early repayment",
    responses={
        **_NOT_FOUND,
        409: {"description": "The loan is closed"},
        422: {"description": "Amount above the balance, or a date inside the notice period"},
    },
)
async def estimate_early_repayment(
    request: EstimateRequest,
    loan: LoanDep,
    borrower: BorrowerDep,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
) -> EarlyRepaymentEstimateOut:
    """The new payment or term and the interest saved, with the notice period and how to file the request."""
    return await service.estimate(session, loan=loan, borrower=borrower, request=request, settings=settings, now=now)
