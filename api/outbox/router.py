"""HTTP routes for the scheduler (service token): plan reminders, claim the outbox, report each send (the sent ones
also many at a time)."""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Path

from api.deps import NowDep, SessionDep, require_service
from api.outbox import delivery, planner
from api.outbox.schemas import (
    ClaimedNotification,
    ClaimRequest,
    ClaimResult,
    FailureReport,
    NotificationState,
    OutboxStats,
    PlanRequest,
    PlanResult,
    ReleaseRequest,
    ReleaseResult,
    SendingReport,
    SentBatch,
    SentBatchResult,
)

router = APIRouter(prefix="/scheduler", tags=["scheduler"], dependencies=[Depends(require_service)])

NotificationId = Annotated[int, Path(gt=0, lt=2**63)]
_UNKNOWN = {404: {"description": "No such notification"}}
_MARK_REFUSALS = {**_UNKNOWN, 409: {"description": "The notification is not claimed"}}


@router.post("/reminders/plan", response_model=PlanResult, summary="Plan due reminders")
async def plan_reminders(session: SessionDep, now: NowDep, request: PlanRequest | None = None) -> PlanResult:
    """Enqueue payment, overdue and insurance-expiry reminders due by now; safe to run often and concurrently."""
    since = request.since if request else None
    return PlanResult.model_validate(await planner.plan(session, now=now, since=since))


@router.post("/outbox/claim", response_model=ClaimResult, summary="Claim due notifications")
async def claim(request: ClaimRequest, session: SessionDep, now: NowDep) -> ClaimResult:
    """Lease due notifications, oldest first; concurrent claimers never get the same row."""
    rows = await delivery.claim(session, limit=request.limit, lease_seconds=request.lease_seconds, now=now)
    items = [
        ClaimedNotification(
            id=notification.id,
            kind=notification.kind.value,
            chat_id=borrower.telegram_user_id,
            language=borrower.language,
            time_zone=borrower.time_zone,
            dedupe_key=notification.dedupe_key,
            payload=notification.payload,
            loan_id=notification.loan_id,
            due_date=notification.due_date,
            attempts=notification.attempts,
        )
        for notification, borrower in rows
    ]
    return ClaimResult(items=items, lease_until=now + timedelta(seconds=request.lease_seconds))


@router.post("/outbox/release", response_model=ReleaseResult, summary="Hand back unstarted claims")
async def release(request: ReleaseRequest, session: SessionDep) -> ReleaseResult:
    """Give back claimed notifications whose send has not started (a scheduler stopping): claimable again at once,
    the attempt not counted; repeating it changes nothing."""
    claims = [(item.id, item.attempt) for item in request.items]
    return ReleaseResult(released=await delivery.release(session, claims=claims))


@router.post("/outbox/sent", response_model=SentBatchResult, summary="Mark many sent")
async def mark_many_sent(report: SentBatch, session: SessionDep, now: NowDep) -> SentBatchResult:
    """Record that these claimed notifications were delivered, in one call (idempotent: a row reported twice stays
    sent once); rows not claimed are refused one by one, the rest marked all the same."""
    sent, refused = await delivery.mark_sent_many(session, notification_ids=report.ids, now=now)
    return SentBatchResult(sent=sent, refused=refused)


@router.post(
    "/outbox/{notification_id}/sending",
    response_model=NotificationState,
    responses={**_UNKNOWN, 409: {"description": "Not claimed by this attempt, or the lease expired"}},
    summary="Mark the send as starting",
)
async def mark_sending(
    notification_id: NotificationId, report: SendingReport, session: SessionDep, now: NowDep
) -> NotificationState:
    """Record that the send starts now (repeatable); call Telegram only after this succeeds. Never resent after."""
    notification = await delivery.mark_sending(
        session, notification_id=notification_id, attempt=report.attempt, now=now
    )
    return NotificationState.model_validate(notification)


@router.post(
    "/outbox/{notification_id}/sent", response_model=NotificationState, responses=_MARK_REFUSALS, summary="Mark sent"
)
async def mark_sent(notification_id: NotificationId, session: SessionDep, now: NowDep) -> NotificationState:
    """Record that a claimed notification was delivered (idempotent)."""
    return NotificationState.model_validate(await delivery.mark_sent(session, notification_id=notification_id, now=now))


@router.post(
    "/outbox/{notification_id}/failed",
    response_model=NotificationState,
    responses=_MARK_REFUSALS,
    summary="Mark failed",
)
async def mark_failed(
    notification_id: NotificationId, report: FailureReport, session: SessionDep, now: NowDep
) -> NotificationState:
    """Record a failed send: retried later, given up (`permanent`) or the borrower unreachable (bot blocked)."""
    notification = await delivery.mark_failed(
        session,
        notification_id=notification_id,
        error=report.error,
        retry_after_seconds=report.retry_after_seconds,
        permanent=report.permanent,
        unreachable=report.unreachable,
        now=now,
    )
    return NotificationState.model_validate(notification)


@router.get("/outbox/stats", response_model=OutboxStats, summary="Outbox counts")
async def outbox_stats(session: SessionDep, now: NowDep) -> OutboxStats:
    """Notifications per status, for monitoring."""
    return OutboxStats.model_validate(await delivery.stats(session, now=now))
