"""HTTP route for the calling borrower's profile."""

from fastapi import APIRouter, Depends

from api.deps import BorrowerDep, NowDep, SessionDep, require_service
from api.profile import service
from api.profile.schemas import Profile

router = APIRouter(tags=["profile"], dependencies=[Depends(require_service)])


@router.get("/me", response_model=Profile, summary="The borrower's profile")
async def me(borrower: BorrowerDep, session: SessionDep, now: NowDep) -> Profile:
    """Language, time zone, selected loan, reminder preferences, whether a survey may be offered and the chat case."""
    return await service.profile(session, borrower=borrower, now=now)
