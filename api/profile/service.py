"""The profile of the calling borrower, including whether a survey may be offered now and their chat case."""

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from api.models import Borrower
from api.profile.schemas import ChatCase, Profile
from api.support.service import active_chat_case

#: At most one satisfaction survey a week (SPEC §3.8).
SURVEY_INTERVAL = timedelta(days=7)


def survey_allowed(borrower: Borrower, *, now: datetime) -> bool:
    return borrower.last_survey_at is None or now - borrower.last_survey_at >= SURVEY_INTERVAL


async def profile(session: AsyncSession, *, borrower: Borrower, now: datetime) -> Profile:
    chat_case = await active_chat_case(session, borrower_id=borrower.id)
    return Profile(
        id=borrower.id,
        first_name=borrower.first_name,
        language=borrower.language,
        time_zone=borrower.time_zone,
        selected_loan_id=borrower.selected_loan_id,
        reminders_enabled=borrower.reminders_enabled,
        reminder_days_ahead=borrower.reminder_days_ahead,
        daytime_start=borrower.daytime_start,
        daytime_end=borrower.daytime_end,
        linked_at=borrower.linked_at,
        survey_allowed=survey_allowed(borrower, now=now),
        chat_case=ChatCase.model_validate(chat_case) if chat_case else None,
    )
