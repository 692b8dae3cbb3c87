"""A low rating of a support case brings it back for a supervisor: reopened, or the borrower's active case flagged."""

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from api import audit
from api.models import CaseStatus, SupportCase
from api.support.service import ACTIVE, MAX_SUMMARY, joined_summary


def _note(score: int, comment: str | None) -> str:
    """The rating as staff read it at the end of the summary, in no particular language; the score always fits."""
    return (f"{score}/5: {comment}" if comment else f"{score}/5")[:MAX_SUMMARY]


async def _active_case(session: AsyncSession, borrower_id: int) -> SupportCase | None:
    return await session.scalar(
        select(SupportCase).where(SupportCase.borrower_id == borrower_id, SupportCase.status.in_(ACTIVE))
    )


async def _reopen(session: AsyncSession, case: SupportCase, note: str) -> bool:
    """Reopen the closed case unassigned; False when another case of the borrower became active first.

    In a savepoint: the one-active-case index refuses the reopening if a case was opened meanwhile, and the
    rating around it must survive that.
    """
    try:
        async with session.begin_nested():
            await session.execute(
                update(SupportCase)
                .where(SupportCase.id == case.id)
                .values(
                    status=CaseStatus.OPEN,
                    assigned_to=None,
                    closed_at=None,
                    needs_supervisor=True,
                    summary=joined_summary(case.summary, note),
                )
                .execution_options(synchronize_session=False)
            )
    except IntegrityError:
        return False
    return True


async def _flag(session: AsyncSession, case: SupportCase, note: str) -> None:
    await session.execute(
        update(SupportCase)
        .where(SupportCase.id == case.id)
        .values(needs_supervisor=True, summary=joined_summary(case.summary, note))
        .execution_options(synchronize_session=False)
    )


async def for_supervisor(
    session: AsyncSession, *, borrower_id: int, case_id: int, score: int, comment: str | None, feedback_id: int
) -> None:
    """In the rating's transaction: reopen the rated case, or flag the borrower's active case (maybe this one)."""
    note = _note(score, comment)
    details = {"rated_case": case_id, "feedback": feedback_id, "score": score}
    active = await _active_case(session, borrower_id)
    if active is None:
        if await _reopen(session, await session.get(SupportCase, case_id), note):
            audit.record(
                session,
                actor="bot",
                action="reopen_for_supervisor",
                entity="support_case",
                entity_id=case_id,
                **details,
            )
            return
        active = await _active_case(session, borrower_id)  # opened meanwhile: flag that one instead
    await _flag(session, active, note)
    audit.record(
        session, actor="bot", action="flag_for_supervisor", entity="support_case", entity_id=active.id, **details
    )
