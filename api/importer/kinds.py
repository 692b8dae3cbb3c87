"""The four kinds of CSV file: each one's upsert schema, staging function and columns."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, get_args

from api.integration import service
from api.integration.schemas import BorrowerUpsert, LoanUpsert, PaymentUpsert, PolicyUpsert
from api.schemas import ApiModel

EXTERNAL_ID = "external_id"


def _holds(annotation: Any, wanted: type) -> bool:
    """True when `wanted` is the annotation or inside it (`Decimal | None`, `Annotated[date, ...]`)."""
    return annotation is wanted or any(_holds(arg, wanted) for arg in get_args(annotation))


@dataclass(frozen=True)
class RecordKind:
    """One kind of record: the file's name in messages, its schema and the upsert that stages it."""

    name: str
    schema: type[ApiModel]
    stage: service.Stage
    #: Its stage checks an account against the bank's BIC (a loan's repayment account), so it is given the BIC.
    needs_bik: bool = False

    @property
    def columns(self) -> frozenset[str]:
        return frozenset({EXTERNAL_ID, *self.schema.model_fields})

    @property
    def required_columns(self) -> frozenset[str]:
        return frozenset({EXTERNAL_ID, *(name for name, f in self.schema.model_fields.items() if f.is_required())})

    @property
    def amount_fields(self) -> frozenset[str]:
        """Decimal fields, which may be spelt with a decimal comma."""
        return self._fields_of(Decimal)

    @property
    def date_fields(self) -> frozenset[str]:
        """Date fields, which may be spelt DD.MM.YYYY."""
        return self._fields_of(date)

    def _fields_of(self, wanted: type) -> frozenset[str]:
        return frozenset(name for name, f in self.schema.model_fields.items() if _holds(f.annotation, wanted))


BORROWERS = RecordKind("borrowers", BorrowerUpsert, service.stage_borrower)
LOANS = RecordKind("loans", LoanUpsert, service.stage_loan, needs_bik=True)
PAYMENTS = RecordKind("payments", PaymentUpsert, service.stage_payment)
POLICIES = RecordKind("policies", PolicyUpsert, service.stage_policy)

#: In loading order: a loan needs its borrower, payments and policies need their loan.
KINDS = (BORROWERS, LOANS, PAYMENTS, POLICIES)
