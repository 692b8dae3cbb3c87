"""The profile of the calling borrower, including whether a survey may be offered now."""

from datetime import datetime, timedelta

from api.models import Borrower
from api.profile.schemas import Profile

#: At most one satisfaction survey a week (SPEC §3.8).
SURVEY_INTERVAL = timedelta(days=7)


def survey_allowed(borrower: Borrower, *, now: datetime) -> bool:
    return borrower.last_survey_at is None or now - borrower.last_survey_at >= SURVEY_INTERVAL


def profile(*, borrower: Borrower, now: datetime) -> Profile:
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
    )
