"""The profile answer: preferences and state the bot needs, no phone, birth date or contract numbers."""

from datetime import datetime

from pydantic import Field

from api.models import CaseStatus
from api.schemas import ApiModel, HourMinute


class ChatCase(ApiModel):
    """The borrower's active chat case: while it exists, their messages go to staff instead of the dialogs."""

    id: int
    status: CaseStatus
    topic_id: int | None


class Profile(ApiModel):
    id: int
    first_name: str
    language: str
    time_zone: str
    selected_loan_id: int | None
    reminders_enabled: bool
    reminder_days_ahead: list[int]
    daytime_start: HourMinute = Field(description="Start of the local daytime window for pushes.")
    daytime_end: HourMinute = Field(description="End of the local daytime window for pushes.")
    linked_at: datetime | None
    survey_allowed: bool = Field(description="True when no satisfaction survey was offered in the last 7 days.")
    chat_case: ChatCase | None = Field(
        default=None, description="The active case in which staff hold (or will take) the chat; null when none."
    )
