"""Column types shared by the models: aware UTC timestamps, exact money, string-valued enums."""

from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import BigInteger, DateTime, Dialect, Enum, Integer, Numeric
from sqlalchemy.types import TypeDecorator, TypeEngine

KOPECKS = Decimal(100)

#: Primary keys: BIGINT on PostgreSQL, INTEGER (the rowid alias) on SQLite.
BigIntPK = BigInteger().with_variant(Integer(), "sqlite")


class UtcDateTime(TypeDecorator[datetime]):
    """`timestamptz` on PostgreSQL; aware UTC datetimes in Python on every database."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: timestamps must be timezone-aware")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Money(TypeDecorator[Decimal]):
    """`Numeric(14, 2)` on PostgreSQL; whole kopecks in an integer on SQLite, which has no decimal type."""

    impl = Numeric(14, 2)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(14, 2, asdecimal=True))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Decimal | int | None:
        if value is None:
            return None
        value = Decimal(value)
        if value != value.quantize(Decimal("0.01")):
            raise ValueError("money has at most two decimal places")
        return int(value * KOPECKS) if dialect.name == "sqlite" else value

    def process_result_value(self, value: object, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return (Decimal(int(value)) / KOPECKS).quantize(Decimal("0.01"))
        return Decimal(value).quantize(Decimal("0.01"))


def str_enum(enum_cls: type[StrEnum]) -> Enum:
    """A VARCHAR column with a CHECK constraint holding the enum's values (no native PG enum to migrate)."""
    return Enum(
        enum_cls,
        native_enum=False,
        length=32,
        create_constraint=True,
        validate_strings=True,
        values_callable=lambda members: [m.value for m in members],
        name=enum_cls.__name__.lower(),
    )
