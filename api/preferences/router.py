"""HTTP routes for the borrower's settings."""

from fastapi import APIRouter, Depends

from api.deps import BorrowerDep, SessionDep, require_service
from api.preferences import service
from api.preferences.schemas import PreferencesPatch, PreferencesPublic

router = APIRouter(prefix="/me/settings", tags=["settings"], dependencies=[Depends(require_service)])


@router.get("", response_model=PreferencesPublic, summary="The borrower's settings")
async def get_settings(borrower: BorrowerDep) -> PreferencesPublic:
    """Language, reminders, daytime hours for pushes, time zone and the selected loan."""
    return PreferencesPublic.model_validate(borrower)


@router.patch(
    "",
    response_model=PreferencesPublic,
    summary="Change some settings",
    responses={404: {"description": "The selected loan is not the caller's"}},
)
async def patch_settings(changes: PreferencesPatch, borrower: BorrowerDep, session: SessionDep) -> PreferencesPublic:
    """Only the fields sent change; each change is audited (the field's name only)."""
    return PreferencesPublic.model_validate(await service.update(session, borrower=borrower, changes=changes))
