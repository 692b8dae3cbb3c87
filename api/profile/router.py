"""HTTP route for the calling borrower's profile."""

from fastapi import APIRouter, Depends

from api.deps import BorrowerDep, NowDep, require_service
from api.profile import service
from api.profile.schemas import Profile

router = APIRouter(tags=["profile"], dependencies=[Depends(require_service)])


@router.get("/me", response_model=Profile, summary="The borrower's profile")
async def me(borrower: BorrowerDep, now: NowDep) -> Profile:
    """Language, time zone, selected loan, reminder preferences and whether a survey may be offered."""
    return service.profile(borrower=borrower, now=now)
