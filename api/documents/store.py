"""Storing an uploaded document for staff review, once: the same file still under review is not stored twice, and an
upload repeated under its idempotency key returns the document it stored."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from fastapi import UploadFile
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from api import audit
from api.documents.uploads import Upload, read_upload
from api.idempotency import key_reused, stored_under
from api.models import Document, DocumentPurpose, PolicyKind, ReviewStatus


@dataclass(frozen=True)
class Filing:
    """What an upload is for: a policy of a kind on a loan, or proof for a holiday application."""

    borrower_id: int
    loan_id: int
    purpose: DocumentPurpose
    policy_kind: PolicyKind | None = None
    holiday_id: int | None = None


def _replayed(document: Document, filing: Filing, upload: Upload) -> Document:
    """The stored document if the repeat sends the same file for the same purpose; else the key was reused (409)."""
    stored = (document.loan_id, document.purpose, document.policy_kind, document.holiday_id, document.sha256)
    if stored != (filing.loan_id, filing.purpose, filing.policy_kind, filing.holiday_id, upload.sha256):
        raise key_reused("upload", document_id=document.id)
    return document


async def store_upload(
    session: AsyncSession,
    filing: Filing,
    *,
    file: UploadFile,
    max_bytes: int,
    key: str | None,
    refuse: Callable[[], None],
    now: datetime,
) -> tuple[Document, bool]:
    """Read, judge and store an upload once; `refuse` raises when its purpose takes none now (a closed
    loan, a decided application), asked before the file is read. A repeat under the idempotency `key` that stored a
    document gets it without being refused, so a retry after a lost answer finds its file even if decided meanwhile.
    """
    stored = await stored_under(session, Document, filing.borrower_id, key)
    if stored is None:
        refuse()
    upload = await read_upload(file, max_bytes=max_bytes)
    if stored is not None:
        return _replayed(stored, filing, upload), False
    return await _store(session, filing, upload=upload, key=key, now=now)


async def _store(
    session: AsyncSession, filing: Filing, *, upload: Upload, key: str | None, now: datetime
) -> tuple[Document, bool]:
    """The document submitted for review and whether it is new (False: the same file was already waiting, or a
    concurrent repeat stored it under the idempotency `key`).

    The same file sent twenty times at once is stored once: a waiting file's unique index refuses the rest, which
    return the stored one; so does the key's unique constraint.
    """
    waiting = select(Document).where(
        Document.loan_id == filing.loan_id,
        Document.purpose == filing.purpose,
        Document.policy_kind.is_(None) if filing.policy_kind is None else Document.policy_kind == filing.policy_kind,
        Document.holiday_id.is_(None) if filing.holiday_id is None else Document.holiday_id == filing.holiday_id,
        Document.sha256 == upload.sha256,
        Document.status == ReviewStatus.SUBMITTED,
    )
    if (stored := await session.scalar(waiting.limit(1))) is not None:
        return stored, False
    document = Document(
        borrower_id=filing.borrower_id,
        loan_id=filing.loan_id,
        idempotency_key=key,
        purpose=filing.purpose,
        policy_kind=filing.policy_kind,
        holiday_id=filing.holiday_id,
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
            session,
            actor="bot",
            action="upload",
            entity="document",
            entity_id=document.id,
            purpose=filing.purpose.value,
        )
        await session.commit()
    except IntegrityError:
        await session.rollback()  # a concurrent upload of the same file, or under the same key, was stored first
        if (stored := await stored_under(session, Document, filing.borrower_id, key)) is not None:
            return _replayed(stored, filing, upload), False
        if (stored := await session.scalar(waiting.limit(1))) is None:
            raise
        return stored, False
    return document, True
