"""Staff decisions on holidays, certificates and documents: recorded, audited and told to the borrower at once."""

from datetime import datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from api import audit
from api.errors import ApiError, not_found
from api.loans.state import load_state
from api.models import (
    Borrower,
    CertificateRequest,
    CertificateStatus,
    Document,
    DocumentPurpose,
    HolidayApplication,
    HolidayStatus,
    InsurancePolicy,
    Loan,
    NotificationKind,
    PolicyKind,
    ReviewStatus,
    StaffMember,
)
from api.outbox import Push, enqueue
from api.outbox.replanning import replan_loan
from api.staff.schemas import Decision, DecisionResult, DocumentDecision

Decided = HolidayApplication | CertificateRequest | Document


async def _decide(
    session: AsyncSession,
    model: type[Decided],
    entity_id: int,
    *,
    what: str,
    pending: StrEnum,
    status: StrEnum,
    reason: str | None,
    staff: StaffMember,
    now: datetime,
    address: str | None,
    **values: Any,
) -> Decided:
    """Move a pending request to `status`; the conditional UPDATE makes a second decision lose (409)."""
    decided = await session.scalar(
        update(model)
        .where(model.id == entity_id, model.status == pending)
        .values(status=status, decided_at=now, decided_by=staff.id, decision_reason=reason, **values)
        .returning(model.id)
        .execution_options(synchronize_session=False)
    )
    record = await session.get(model, entity_id, populate_existing=True)
    if record is None:
        raise not_found(what)
    if decided is None:
        raise ApiError(
            409,
            "already_decided",
            "This request has already been decided or withdrawn.",
            current_status=record.status.value,
        )
    audit.record(
        session,
        actor=f"staff:{staff.id}",
        action=f"decide_{status.value}",
        entity=model.__tablename__,
        entity_id=entity_id,
        address=address,
    )
    return record


async def _notify(
    session: AsyncSession, record: Decided, kind: NotificationKind, payload: dict[str, Any], *, now: datetime
) -> int | None:
    borrower = await session.get(Borrower, record.borrower_id)
    push = Push(kind, f"{kind.value}:{record.id}", payload, loan_id=record.loan_id)
    return await enqueue(session, borrower, push, now=now)


def _result(record: Decided, notification_id: int | None, **extra: Any) -> DecisionResult:
    return DecisionResult(
        id=record.id,
        status=record.status.value,
        decided_at=record.decided_at,
        decided_by=record.decided_by,
        decision_reason=record.decision_reason,
        notification_id=notification_id,
        **extra,
    )


async def _check_holiday_applies(session: AsyncSession, application: HolidayApplication) -> None:
    """One holiday per contract, and one the engine can lay over the loan's schedule."""
    granted = await session.scalar(
        select(func.count())
        .select_from(HolidayApplication)
        .where(
            HolidayApplication.loan_id == application.loan_id,
            HolidayApplication.status == HolidayStatus.APPROVED,
            HolidayApplication.id != application.id,
        )
    )
    if granted:
        raise ApiError(
            409, "holiday_already_granted", "A payment holiday was already granted on this loan; the law allows one."
        )
    try:
        await load_state(session, await session.get(Loan, application.loan_id))
    except ApiError as exc:
        raise ApiError(
            409,
            "holiday_not_applicable",
            "The holiday does not fit the schedule: it covers no installment or the reduced payment is too high.",
        ) from exc


async def decide_holiday(
    session: AsyncSession,
    *,
    holiday_id: int,
    decision: Decision,
    staff: StaffMember,
    now: datetime,
    address: str | None = None,
) -> DecisionResult:
    """Approve or reject a submitted application; an approval reshapes the schedule from then on."""
    status = HolidayStatus.APPROVED if decision.approved else HolidayStatus.REJECTED
    application = await _decide(
        session,
        HolidayApplication,
        holiday_id,
        what="holiday",
        pending=HolidayStatus.SUBMITTED,
        status=status,
        reason=decision.reason,
        staff=staff,
        now=now,
        address=address,
    )
    if decision.approved:
        await _check_holiday_applies(session, application)
        await replan_loan(session, application.loan_id)  # the schedule changes from the holiday's start
    payload = {
        "holiday_id": application.id,
        "loan_id": application.loan_id,
        "decision": status.value,
        "reason": decision.reason,
        "start_date": application.start_date.isoformat(),
        "months": application.months,
        "mode": application.mode.value,
    }
    notification_id = await _notify(session, application, NotificationKind.HOLIDAY_DECIDED, payload, now=now)
    await session.commit()
    return _result(application, notification_id)


async def decide_certificate(
    session: AsyncSession,
    *,
    certificate_id: int,
    decision: Decision,
    staff: StaffMember,
    bank_zone: ZoneInfo,
    now: datetime,
    signed_pdf: bytes | None = None,
    address: str | None = None,
) -> DecisionResult:
    """Sign (ready, issued today in the bank's time zone) or reject a certificate awaiting staff.

    `signed_pdf`, the file a member signed (the console uploads it), is what the borrower then receives.
    """
    if signed_pdf is not None and not decision.approved:
        raise ApiError(422, "signed_pdf_not_applicable", "A signed PDF comes only with an issued certificate.")
    if decision.approved:
        status, kind = CertificateStatus.READY, NotificationKind.CERTIFICATE_READY
        values = {"issued_on": now.astimezone(bank_zone).date(), "signed_pdf": signed_pdf}
    else:
        status, kind, values = CertificateStatus.REJECTED, NotificationKind.CERTIFICATE_REJECTED, {}
    certificate = await _decide(
        session,
        CertificateRequest,
        certificate_id,
        what="certificate",
        pending=CertificateStatus.PENDING_STAFF,
        status=status,
        reason=decision.reason,
        staff=staff,
        now=now,
        address=address,
        **values,
    )
    payload = {
        "certificate_id": certificate.id,
        "loan_id": certificate.loan_id,
        "certificate_kind": certificate.kind.value,
        "year": certificate.year,
        "on_date": certificate.on_date.isoformat() if certificate.on_date else None,
        "reason": decision.reason,
    }
    notification_id = await _notify(session, certificate, kind, payload, now=now)
    await session.commit()
    return _result(certificate, notification_id, issued_on=certificate.issued_on)


async def decide_document(
    session: AsyncSession,
    *,
    document_id: int,
    decision: DocumentDecision,
    staff: StaffMember,
    now: datetime,
    address: str | None = None,
) -> DecisionResult:
    """Approve or reject an uploaded document; an approved insurance policy may register the new policy.

    Insurance documents are told to the borrower; holiday proof is told with the holiday's decision.
    """
    status = ReviewStatus.APPROVED if decision.approved else ReviewStatus.REJECTED
    document = await _decide(
        session,
        Document,
        document_id,
        what="document",
        pending=ReviewStatus.SUBMITTED,
        status=status,
        reason=decision.reason,
        staff=staff,
        now=now,
        address=address,
    )
    if document.purpose is not DocumentPurpose.INSURANCE_POLICY:
        if decision.policy is not None:
            raise ApiError(422, "policy_not_applicable", "Only an insurance policy document can register a policy.")
        await session.commit()
        return _result(document, None)
    policy = None
    if decision.policy is not None:
        policy = InsurancePolicy(
            external_id=f"staff-document-{document.id}", loan_id=document.loan_id, **decision.policy.model_dump()
        )
        session.add(policy)
        await session.flush()
        await replan_loan(session, policy.loan_id)
        audit.record(
            session,
            actor=f"staff:{staff.id}",
            action="create",
            entity="insurance_policy",
            entity_id=policy.id,
            address=address,
        )
    kind = policy.kind if policy else document.policy_kind
    payload = {
        "document_id": document.id,
        "loan_id": document.loan_id,
        "decision": status.value,
        "reason": decision.reason,
        "policy_kind": PolicyKind(kind).value if kind else None,
        "policy_id": policy.id if policy else None,
        "expires_on": policy.expires_on.isoformat() if policy else None,
    }
    notification_id = await _notify(session, document, NotificationKind.INSURANCE_DOCUMENT_DECIDED, payload, now=now)
    await session.commit()
    return _result(document, notification_id, policy_id=policy.id if policy else None)


async def document_content(
    session: AsyncSession, *, document_id: int, staff: StaffMember, address: str | None = None
) -> Document:
    """The document with its file loaded; each viewing is audited."""
    document = await session.scalar(
        select(Document).where(Document.id == document_id).options(undefer(Document.content))
    )
    if document is None:
        raise not_found("document")
    audit.record(
        session, actor=f"staff:{staff.id}", action="view", entity="document", entity_id=document_id, address=address
    )
    await session.commit()
    return document
