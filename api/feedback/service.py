"""Feedback: a rating of the borrower's own record, and at most one survey offered a week."""

from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from api import audit
from api.errors import ApiError, not_found
from api.feedback.reopen import for_supervisor
from api.idempotency import key_reused, stored_under
from api.models import Borrower, CertificateRequest, Feedback, FeedbackSubject, HolidayApplication, SupportCase

SURVEY_INTERVAL = timedelta(days=7)
#: A decision is surveyed only while it is fresh: asked weeks later, the borrower rates a memory (SPEC §3.8).
FRESH_DECISION = timedelta(days=3)
LOW_SCORE = 2
RATED = {
    FeedbackSubject.CERTIFICATE: (CertificateRequest, "certificate_request"),
    FeedbackSubject.HOLIDAY: (HolidayApplication, "holiday"),
    FeedbackSubject.SUPPORT_CASE: (SupportCase, "support_case"),
}


def offers_person(score: int) -> bool:
    return score <= LOW_SCORE


async def _check_subject(session: AsyncSession, borrower_id: int, subject: FeedbackSubject, subject_id: int) -> None:
    model, name = RATED[subject]
    if await session.scalar(select(model.id).where(model.id == subject_id, model.borrower_id == borrower_id)) is None:
        raise not_found(name)


def _replayed(feedback: Feedback, rating: tuple) -> Feedback:
    """The stored rating if the repeat gives the same; else the key was reused for another (409)."""
    if (feedback.subject, feedback.subject_id, feedback.score, feedback.comment) != rating:
        raise key_reused("rating", feedback_id=feedback.id)
    return feedback


async def rate(
    session: AsyncSession,
    *,
    borrower: Borrower,
    subject: FeedbackSubject,
    subject_id: int | None,
    score: int,
    comment: str | None,
    key: str | None = None,
    now: datetime,
) -> tuple[Feedback, bool]:
    """Record a rating once per idempotency `key` (False: stored before under it); the subject, when named, must be
    the borrower's own record of that kind.

    A low rating of a support case brings it back for a supervisor (see `api.feedback.reopen`).
    """
    borrower_id = borrower.id
    rating = (subject, subject_id, score, comment)
    if (stored := await stored_under(session, Feedback, borrower_id, key)) is not None:
        return _replayed(stored, rating), False
    if subject_id is not None:
        await _check_subject(session, borrower_id, subject, subject_id)
    feedback = Feedback(
        borrower_id=borrower_id,
        idempotency_key=key,
        subject=subject,
        subject_id=subject_id,
        score=score,
        comment=comment,
        created_at=now,
    )
    session.add(feedback)
    try:
        await session.flush()
    except IntegrityError:
        await session.rollback()  # a concurrent repeat under the same key stored it first
        if (stored := await stored_under(session, Feedback, borrower_id, key)) is None:
            raise
        return _replayed(stored, rating), False
    audit.record(
        session, actor="bot", action="rate", entity="feedback", entity_id=feedback.id, subject=subject, score=score
    )
    if subject is FeedbackSubject.SUPPORT_CASE and subject_id is not None and offers_person(score):
        await for_supervisor(
            session, borrower_id=borrower_id, case_id=subject_id, score=score, comment=comment, feedback_id=feedback.id
        )
    await session.commit()
    return feedback, True


async def _check_fresh(
    session: AsyncSession, borrower_id: int, subject: FeedbackSubject, subject_id: int, now: datetime
) -> None:
    """A decided holiday application is surveyed only within `FRESH_DECISION` of its decision."""
    await _check_subject(session, borrower_id, subject, subject_id)
    if subject != FeedbackSubject.HOLIDAY:
        return
    decided_at = await session.scalar(select(HolidayApplication.decided_at).where(HolidayApplication.id == subject_id))
    if decided_at is None or now - decided_at > FRESH_DECISION:
        raise ApiError(409, "survey_stale", "The decision was not made recently: no survey about it.")


async def offer_survey(
    session: AsyncSession,
    *,
    borrower: Borrower,
    now: datetime,
    subject: FeedbackSubject = FeedbackSubject.GENERAL,
    subject_id: int | None = None,
) -> datetime:
    """Note that a survey is offered now, unless one was in the last week or its subject is a decision made long
    ago (nothing is noted then); answers when the next may be."""
    if subject_id is not None:
        await _check_fresh(session, borrower.id, subject, subject_id, now)
    borrower_id, cutoff = borrower.id, now - SURVEY_INTERVAL
    claimed = await session.execute(
        update(Borrower)
        .where(
            Borrower.id == borrower_id,
            or_(Borrower.last_survey_at.is_(None), Borrower.last_survey_at <= cutoff),
        )
        .values(last_survey_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount == 0:
        last = await session.scalar(select(Borrower.last_survey_at).where(Borrower.id == borrower_id))
        raise ApiError(
            409,
            "survey_too_soon",
            "A survey was offered less than a week ago.",
            next_survey_after=(last + SURVEY_INTERVAL).isoformat(),
        )
    audit.record(session, actor="bot", action="offer_survey", entity="borrower", entity_id=borrower_id)
    await session.commit()
    return now + SURVEY_INTERVAL
