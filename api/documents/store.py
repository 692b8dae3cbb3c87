"""Storing an uploaded document for staff review, once: the same file still under review is not stored twice."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from api import audit
from api.documents.uploads import Upload
from api.models import Document, DocumentPurpose, PolicyKind, ReviewStatus


async def store_document(
    session: AsyncSession,
    *,
    borrower_id: int,
    loan_id: int,
    purpose: DocumentPurpose,
    upload: Upload,
    now: datetime,
    policy_kind: PolicyKind | None = None,
    holiday_id: int | None = None,
) -> tuple[Document, bool]:
    """The document submitted for review and whether it is new (False: the same file was already waiting).

    The same file sent twenty times at once is stored once: a waiting file's unique index refuses the rest, which
    return the stored one.
    """
    waiting = select(Document).where(
        Document.loan_id == loan_id,
        Document.purpose == purpose,
        Document.policy_kind.is_(None) if policy_kind is None else Document.policy_kind == policy_kind,
        Document.holiday_id.is_(None) if holiday_id is None else Document.holiday_id == holiday_id,
        Document.sha256 == upload.sha256,
        Document.status == ReviewStatus.SUBMITTED,
    )
    if (stored := await session.scalar(waiting.limit(1))) is not None:
        return stored, False
    document = Document(
        borrower_id=borrower_id,
        loan_id=loan_id,
        purpose=purpose,
        policy_kind=policy_kind,
        holiday_id=holiday_id,
        file_name=upload.file_name,
        content_type=upload.content_type,
        size=len(upload.content),
        sha256=upload.sha256,
        content=upload.content,
        status=ReviewStatus.SUBMITTED,
        created_at=now,
    )
    session.add(document)
    try:
        await session.flush()
        audit.record(
            session, actor="bot", action="upload", entity="document", entity_id=document.id, purpose=purpose.value
        )
        await session.commit()
    except IntegrityError:
        await session.rollback()  # a concurrent upload of the same file was stored first
        if (stored := await session.scalar(waiting.limit(1))) is None:
            raise
        return stored, False
    return document, True
