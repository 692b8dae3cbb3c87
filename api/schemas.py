"""Schema building blocks shared by the domains: money, phones, bounded strings, enums as plain values."""

from decimal import Decimal
from typing import Annotated, Any, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainSerializer, StringConstraints

from api.phone import to_e164


class ApiModel(BaseModel):
    """Strict about unknown fields, so a typo in a request is an error rather than silently ignored."""

    model_config = ConfigDict(extra="forbid", from_attributes=True, use_enum_values=True)

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
Language = Annotated[str, StringConstraints(pattern=r"^(ru|en)$")]
