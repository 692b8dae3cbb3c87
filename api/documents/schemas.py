"""Answers about files: an uploaded document and its review (the insurance and holiday APIs share it), and what
the bank made of a file it was asked to judge."""

from datetime import datetime

from pydantic import Field

from api.models import PolicyKind, ReviewStatus
from api.schemas import ApiModel

#: The refusals every upload route may answer, for their OpenAPI documentation.
FILE_REFUSALS = {
    413: {"description": "The file is over the size limit (`file_too_large`)"},
    415: {"description": "Not a PDF, JPEG or PNG by its content (`unsupported_file_type`)"},
    422: {
        "description": "Empty (`empty_file`), a PDF that does not open (`pdf_unreadable`), is locked by a "
        "password (`pdf_protected`) or has no pages (`pdf_no_pages`), a picture that does not decode "
        "(`image_unreadable`) or is too large (`image_too_large`), a name or declared type that says it is another "
        "kind of file than its bytes (`file_type_mismatch`)"
    },
}


class FileCheckPublic(ApiModel):
    content_type: str = Field(description="What the bytes are: application/pdf, image/jpeg or image/png.")
    size: int = Field(description="Bytes.")


class DocumentPublic(ApiModel):
    """An uploaded document and where its review stands."""

    id: int
    purpose: str
    policy_kind: PolicyKind | None
    holiday_id: int | None
    file_name: str
    content_type: str
    size: int
    sha256: str
    status: ReviewStatus
    decision_reason: str | None
    created_at: datetime
    decided_at: datetime | None
