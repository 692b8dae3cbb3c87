"""Schema building blocks shared by the domains: money, phones, bounded strings, enums as plain values."""

import re
from datetime import time
from decimal import Decimal
from typing import Annotated, Any, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
    field_validator,
)

from api.phone import to_e164
from api.plain_text import CONTROL


def _holds_control(value: object) -> bool:
    if isinstance(value, str):
        return CONTROL.search(value) is not None
    if isinstance(value, dict):
        return any(_holds_control(key) or _holds_control(item) for key, item in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return any(_holds_control(item) for item in value)
    return False


def refuse_control(value: Any) -> Any:
    """A text (or the texts inside a list or mapping) with a control character is refused, naming the field."""
    if _holds_control(value):
        raise ValueError("must not contain control characters")
    return value


def strip_control(value: Any) -> Any:
    """For a text the backend is told rather than asked (an error Telegram gave): its control characters dropped."""
    return CONTROL.sub("", value) if isinstance(value, str) else value


#: A plain text parameter (a form field, a query) held to the same rule as every model's texts.
PlainText = Annotated[str, AfterValidator(refuse_control)]


class ApiModel(BaseModel):
    """Strict about unknown fields, so a typo in a request is an error rather than silently ignored; no text in any
    field holds a control character (a 422 naming the field, never a database error)."""

    model_config = ConfigDict(extra="forbid", from_attributes=True, use_enum_values=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        return refuse_control(value)

    @classmethod
    def from_record(cls, record: object, **more: Any) -> Self:
        """The answer from `record`'s attributes of its fields' names, and the fields `record` has not given here."""
        own = {name: getattr(record, name) for name in cls.model_fields if name not in more and hasattr(record, name)}
        return cls.model_validate(own | more)


def _kopecks(value: Decimal) -> Decimal:
    if not value.is_finite():
        raise ValueError("must be a finite amount")
    if value != value.quantize(Decimal("0.01")):
        raise ValueError("at most two decimal places (kopecks)")
    return value.quantize(Decimal("0.01"))


#: An amount in roubles, exact to the kopeck; serialised as a string so no client turns it into a float.
Money = Annotated[
    Decimal,
    Field(max_digits=14, decimal_places=2, allow_inf_nan=False),
    AfterValidator(_kopecks),
    PlainSerializer(lambda v: f"{v:.2f}", return_type=str, when_used="json"),
]
PositiveMoney = Annotated[Money, Field(gt=0)]
NonNegativeMoney = Annotated[Money, Field(ge=0)]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, max_length=32), AfterValidator(to_e164)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
MAX_TEXT = 2000  # the longest free text the backend keeps: a case's summary, a comment
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_TEXT)]
ExternalId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
TelegramId = Annotated[int, Field(gt=0, lt=2**63)]
_HOUR_MINUTE = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


def _hour_minute(value: Any) -> Any:
    if isinstance(value, str):
        if not re.fullmatch(_HOUR_MINUTE, value):
            raise ValueError("a time of day as HH:MM, 00:00 to 23:59")
        return time(int(value[:2]), int(value[3:]))
    if isinstance(value, time):
        return value
    raise ValueError("a time of day as HH:MM")


#: A local time of day, written HH:MM both ways, and documented so (not as an ISO time with seconds and offset).
HourMinute = Annotated[
    time,
    BeforeValidator(_hour_minute),
    PlainSerializer(lambda t: t.strftime("%H:%M"), return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "pattern": _HOUR_MINUTE, "examples": ["09:00"]}),
]
Language = Annotated[str, StringConstraints(pattern=r"^(ru|en)$")]
