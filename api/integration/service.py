"""Idempotent upserts keyed by the bank's external ids: a repeated record changes nothing.

`stage_*` write one record into the caller's transaction (the CSV load batches them under savepoints);
`upsert_*` stage one record and commit it (the HTTP routes). `now` is the app's clock: it stamps a new record, and a
payment received is told to the borrower (`api/outbox/payment_received.py`) in the same transaction.
"""

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from api import audit
from api.errors import ApiError
from api.integration.schemas import BorrowerUpsert, LoanUpsert, PaymentUpsert, PolicyUpsert, UpsertResult
from api.loans.account_key import key_matches
from api.models import Borrower, InsurancePolicy, Loan, Payment
from api.outbox import payment_received
from api.outbox.replanning import replan_borrower, replan_loan

ModelT = TypeVar("ModelT", Borrower, Loan, Payment, InsurancePolicy)
DataT = TypeVar("DataT", BorrowerUpsert, LoanUpsert, PaymentUpsert, PolicyUpsert)
Stage = Callable[..., Awaitable[UpsertResult]]

INTEGRATION_ACTOR = "integration"


async def _id_of(session: AsyncSession, model: type[Borrower | Loan], external_id: str, what: str) -> int:
    found = await session.scalar(select(model.id).where(model.external_id == external_id))
    if found is None:
        raise ApiError(422, f"{what}_not_found", f"No {what} with external id {external_id!r} has been loaded.")
    return found


async def _stage(
    session: AsyncSession, model: type[ModelT], external_id: str, values: dict[str, Any], actor: str, now: datetime
) -> tuple[ModelT, UpsertResult]:
    """Create or update the record and flush it; a taken unique field is a 409, the transaction is the caller's."""
    found = await session.scalar(select(model).where(model.external_id == external_id))
    record, created, changed = _apply(session, model, found, external_id, values, actor, now)
    if changed:
        await _flush(session, model)
    return record, UpsertResult(id=record.id, external_id=external_id, created=created, changed=changed)


def _apply(
    session: AsyncSession,
    model: type[ModelT],
    record: ModelT | None,
    external_id: str,
    values: dict[str, Any],
    actor: str,
    now: datetime,
) -> tuple[ModelT, bool, bool]:
    """`values` written into the stored `record`, or a new one added; audited when anything changed. Returns the
    record, whether it is new and whether it changed."""
    created = record is None
    if created:
        record = model(external_id=external_id, created_at=now, **values)
        session.add(record)
    changed = created or any(getattr(record, key) != value for key, value in values.items())
    for key, value in values.items():
        setattr(record, key, value)
    if changed:
        audit.record(
            session,
            actor=actor,
            action="create" if created else "update",
            entity=model.__tablename__,
            entity_id=external_id,
        )
    return record, created, changed


async def _flush(session: AsyncSession, model: type[ModelT]) -> None:
    try:
        await session.flush()
    except IntegrityError as exc:
        raise ApiError(
            409, "conflict", f"The {model.__tablename__} clashes with another record (a unique field is taken)."
        ) from exc


async def stage_borrower(
    session: AsyncSession, *, external_id: str, data: BorrowerUpsert, actor: str, now: datetime
) -> UpsertResult:
    result = (await _stage(session, Borrower, external_id, data.model_dump(), actor, now))[1]
    if result.changed and not result.created:  # its time zone, say
        await replan_borrower(session, result.id)
    return result


async def stage_loan(
    session: AsyncSession, *, external_id: str, data: LoanUpsert, actor: str, bik: str, now: datetime
) -> UpsertResult:
    """`bik`: the bank's BIC, which the repayment account's control key must match (a mistyped account is refused)."""
    if not key_matches(data.repayment_account, bik):
        raise ApiError(
            422,
            "repayment_account_key",
            f"The repayment account's control key does not match the bank's BIC {bik}: check the account number.",
        )
    if data.contract_date > now.date():  # every zone the bank serves is at or east of UTC: no contract from later
        raise ApiError(422, "contract_date_in_future", "contract_date is in the future: no read can serve the loan.")
    values = data.model_dump(exclude={"borrower_external_id"})
    values["borrower_id"] = await _id_of(session, Borrower, data.borrower_external_id, "borrower")
    values["payment_day"] = data.payment_day or data.first_payment_date.day
    result = (await _stage(session, Loan, external_id, values, actor, now))[1]
    if result.changed and not result.created:
        await replan_loan(session, result.id)
    return result


async def stage_payment(
    session: AsyncSession, *, external_id: str, data: PaymentUpsert, actor: str, now: datetime
) -> UpsertResult:
    """Record the payment; a new or corrected one is told to the borrower (once per payment)."""
    values = data.model_dump(exclude={"loan_external_id"})
    values["loan_id"] = await _id_of(session, Loan, data.loan_external_id, "loan")
    before = await payment_received.before_payment(session, values["loan_id"])
    moved_from = await session.scalar(
        select(Payment.loan_id).where(Payment.external_id == external_id, Payment.loan_id != values["loan_id"])
    )
    payment, result = await _stage(session, Payment, external_id, values, actor, now)
    if result.changed:
        await replan_loan(session, payment.loan_id)
    if moved_from is not None:  # corrected to another loan: the first one lost the payment
        await replan_loan(session, moved_from)
    if result.changed and before is not None:
        await payment_received.notify(session, payment=payment, before=before, now=now)
    return result


async def stage_payments(
    session: AsyncSession, payments: Sequence[tuple[str, PaymentUpsert]], *, actor: str, now: datetime
) -> list[UpsertResult]:
    """`stage_payment` for each of one loan's payments, in a few statements rather than seven a payment, when none is
    to be told to its borrower and none moves from another loan (a history loaded for a borrower not in the chat: the
    demo's); otherwise one by one. A repeated history changes nothing, as row by row."""
    loans = {data.loan_external_id for _, data in payments}
    if len(loans) != 1:
        raise ValueError("stage_payments takes the payments of one loan")
    loan_id = await _id_of(session, Loan, loans.pop(), "loan")
    stored = {
        payment.external_id: payment
        for payment in await session.scalars(
            select(Payment).where(Payment.external_id.in_([external_id for external_id, _ in payments]))
        )
    }
    if await payment_received.before_payment(session, loan_id) is not None or any(
        payment.loan_id != loan_id for payment in stored.values()
    ):
        return [
            await stage_payment(session, external_id=external_id, data=data, actor=actor, now=now)
            for external_id, data in payments
        ]
    staged = [
        _apply(
            session,
            Payment,
            stored.get(external_id),
            external_id,
            data.model_dump(exclude={"loan_external_id"}) | {"loan_id": loan_id},
            actor,
            now,
        )
        for external_id, data in payments
    ]
    if any(changed for _, _, changed in staged):
        await _flush(session, Payment)
        await replan_loan(session, loan_id)
    return [
        UpsertResult(id=payment.id, external_id=payment.external_id, created=created, changed=changed)
        for payment, created, changed in staged
    ]


async def stage_policy(
    session: AsyncSession, *, external_id: str, data: PolicyUpsert, actor: str, now: datetime
) -> UpsertResult:
    values = data.model_dump(exclude={"loan_external_id"})
    values["loan_id"] = await _id_of(session, Loan, data.loan_external_id, "loan")
    result = (await _stage(session, InsurancePolicy, external_id, values, actor, now))[1]
    if result.changed:
        await replan_loan(session, values["loan_id"])
    return result


async def _committed(
    session: AsyncSession, stage: Stage, external_id: str, data: DataT, now: datetime, **context: str
) -> UpsertResult:
    try:
        result = await stage(session, external_id=external_id, data=data, actor=INTEGRATION_ACTOR, now=now, **context)
    except ApiError:
        await session.rollback()
        raise
    await session.commit()
    return result


async def upsert_borrower(
    session: AsyncSession, *, external_id: str, data: BorrowerUpsert, now: datetime
) -> UpsertResult:
    return await _committed(session, stage_borrower, external_id, data, now)


async def upsert_loan(
    session: AsyncSession, *, external_id: str, data: LoanUpsert, bik: str, now: datetime
) -> UpsertResult:
    return await _committed(session, stage_loan, external_id, data, now, bik=bik)


async def upsert_payment(
    session: AsyncSession, *, external_id: str, data: PaymentUpsert, now: datetime
) -> UpsertResult:
    return await _committed(session, stage_payment, external_id, data, now)


async def upsert_policy(session: AsyncSession, *, external_id: str, data: PolicyUpsert, now: datetime) -> UpsertResult:
    return await _committed(session, stage_policy, external_id, data, now)
