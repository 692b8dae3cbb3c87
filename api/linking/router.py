"""HTTP routes for linking and unlinking a Telegram account."""

from fastapi import APIRouter, Depends, status

from api.deps import BorrowerDep, NowDep, SessionDep, SettingsDep, require_service
from api.errors import error_body
from api.linking import service
from api.linking.schemas import LinkedLoan, LinkRequest, LinkResult

router = APIRouter(tags=["linking"], dependencies=[Depends(require_service)])

_REFUSALS = {
    403: {
        "description": "Wrong phone or second factor",
        "content": {
            "application/json": {
                "example": error_body(
                    "link_failed", "The phone number and the second factor do not match our records.", attempts_left=3
                )
            }
        },
    },
    409: {"description": "Already linked to another account"},
    429: {"description": "Locked after too many failures"},
}


@router.post("/link", response_model=LinkResult, responses=_REFUSALS, summary="Link a Telegram account")
async def link(request: LinkRequest, session: SessionDep, settings: SettingsDep, now: NowDep) -> LinkResult:
    """Link the calling Telegram user to a borrower by phone and second factor."""
    borrower = await service.link(session, request=request, settings=settings, now=now)
    return LinkResult(
        borrower_id=borrower.id,
        first_name=borrower.first_name,
        language=borrower.language,
        selected_loan_id=borrower.selected_loan_id,
        loans=[LinkedLoan.model_validate(loan) for loan in borrower.loans],
    )


@router.delete("/me/link", status_code=status.HTTP_204_NO_CONTENT, summary="Unlink the Telegram account")
async def unlink(borrower: BorrowerDep, session: SessionDep) -> None:
    """Unlink the Telegram account from the borrower."""
    await service.unlink(session, borrower=borrower)
