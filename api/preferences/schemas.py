"""Requests and answers of the settings API."""

from typing import Annotated
from zoneinfo import available_timezones

from pydantic import AfterValidator, Field, model_validator

from api.schemas import ApiModel, HourMinute, Language

_ZONES = frozenset(available_timezones())
MAX_DAYS_AHEAD = 14
MAX_REMINDERS = 3


def _known_zone(value: str) -> str:
    if value not in _ZONES:
        raise ValueError("not a known IANA time zone (for example Europe/Moscow)")
    return value


def _distinct(days: list[int]) -> list[int]:
    if len(set(days)) != len(days):
        raise ValueError("the days must be distinct")
    return sorted(days, reverse=True)


TimeZone = Annotated[str, Field(max_length=64), AfterValidator(_known_zone)]
DaysAhead = Annotated[
    list[Annotated[int, Field(ge=1, le=MAX_DAYS_AHEAD)]], Field(max_length=MAX_REMINDERS), AfterValidator(_distinct)
]


class PreferencesPublic(ApiModel):
    language: str
    reminders_enabled: bool
    payment_received_notices: bool = Field(
        description="Thanks and progress when the bank records a payment; sent only while reminders are on."
    )
    reminder_days_ahead: list[int] = Field(description="Days before a due date to remind, besides the day itself.")
    daytime_start: HourMinute = Field(description="Pushes are sent only from this local time...")
    daytime_end: HourMinute = Field(description="...to this one, in time_zone.")
    time_zone: str
    selected_loan_id: int | None


class PreferencesPatch(ApiModel):
    """Only the fields sent change; none may be null."""

    language: Language | None = None
    reminders_enabled: bool | None = None
    payment_received_notices: bool | None = None
    reminder_days_ahead: DaysAhead | None = Field(default=None, description="Up to 3 distinct days, 1 to 14.")
    daytime_start: HourMinute | None = None
    daytime_end: HourMinute | None = Field(default=None, description="At least 4 hours after daytime_start.")
    time_zone: TimeZone | None = None
    selected_loan_id: Annotated[int, Field(gt=0, lt=2**63)] | None = None

    @model_validator(mode="after")
    def _no_nulls(self) -> "PreferencesPatch":
        nulls = sorted(name for name in self.model_fields_set if getattr(self, name) is None)
        if nulls:
            raise ValueError(f"may be left out but not null: {', '.join(nulls)}")
        return self
