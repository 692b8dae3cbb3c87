"""HTTP route for the limits that depend on no borrower (an unlinked chat asks for a person too)."""

from fastapi import APIRouter, Depends

from api.deps import SettingsDep, require_service
from api.schemas import MAX_TEXT
from api.terms.schemas import GeneralTerms

router = APIRouter(tags=["terms"], dependencies=[Depends(require_service)])


@router.get("/terms", response_model=GeneralTerms, summary="The text and file limits every dialog asks within")
async def general_terms(settings: SettingsDep) -> GeneralTerms:
    """The backend's own limits, so the bot's dialogs say them and repeat none."""
    return GeneralTerms(max_text=MAX_TEXT, max_file_bytes=settings.max_upload_bytes)
