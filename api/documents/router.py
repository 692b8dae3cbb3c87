"""HTTP route for judging a file before anything is stored: the bot asks as soon as a borrower sends one."""

from typing import Annotated

from fastapi import APIRouter, Depends, File, UploadFile

from api.deps import BorrowerDep, SettingsDep, require_service
from api.documents.schemas import FILE_REFUSALS, FileCheckPublic
from api.documents.uploads import read_upload

router = APIRouter(tags=["documents"], dependencies=[Depends(require_service)])


@router.post(
    "/me/documents/check",
    response_model=FileCheckPublic,
    summary="Judge a file by the rule every upload follows, storing nothing",
    responses=FILE_REFUSALS,
)
async def check_file(
    borrower: BorrowerDep,
    file: Annotated[UploadFile, File(description="A PDF, JPEG or PNG the borrower means to send.")],
    settings: SettingsDep,
) -> FileCheckPublic:
    """The same judgement as an upload: a PDF must open with at least one page, a picture must decode."""
    upload = await read_upload(file, max_bytes=settings.max_upload_bytes)
    return FileCheckPublic(content_type=upload.content_type, size=len(upload.content))
