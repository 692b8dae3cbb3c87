"""Payment-holiday applications: the pre-check on the loan's figures, creation once per key, proof, withdrawal."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from fastapi import UploadFile
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from api import audit
from api.clock import local_date
from api.documents.store import Filing, store_upload
from api.engine import InstallmentKind, Schedule
from api.errors import ApiError
from api.holidays.precheck import MAX_MONTHS, HolidayTerms, Precheck, precheck, start_range
from api.holidays.projection import Projection, project
from api.holidays.schemas import MAX_FILES, MAX_INCOME, HolidayApplicationTerms, HolidayCreate
from api.idempotency import key_reused, stored_under
from api.loans.state import read_state
from api.models import (
    Borrower,
    Document,
    DocumentPurpose,
    HolidayApplication,
    HolidayMode,
    HolidayReason,
    HolidayStatus,
    Loan,
    LoanStatus,
)
from api.settings import Settings

#: A start date further than this from today is a typo, not an application.
MAX_START_DISTANCE_DAYS = 366
#: The request fields an application stores; a repeated key must come with the same values.
FIELDS = ("reason", "income_before", "income_after", "months", "mode", "reduced_payment", "start_date", "comment")


def _refuse_closed(loan: Loan) -> None:
    if loan.status is LoanStatus.CLOSED:
        raise ApiError(409, "loan_closed", "The loan is closed; a payment holiday applies only to a running loan.")


def _refuse_absurd_start(start: date, today: date) -> None:
    if abs((start - today).days) > MAX_START_DISTANCE_DAYS:
        raise ApiError(422, "start_date_out_of_range", "The start date must be within a year of today.")


def _values(request: HolidayCreate) -> dict[str, Any]:
    """The stored fields of the request, enums as enums."""
    values = {name: getattr(request, name) for name in FIELDS}
    return values | {"reason": HolidayReason(request.reason), "mode": HolidayMode(request.mode)}


def _terms(request: HolidayCreate) -> HolidayTerms:
    values = _values(request)
    del values["comment"]
    return HolidayTerms(**values)


def _regular_payment(schedule: Schedule, today: date) -> Decimal:
    """The payment the law compares with: the next regular installment's (the last one's once none is left)."""
    regular = [row for row in schedule.installments if row.kind == InstallmentKind.REGULAR]
    return next((row for row in regular if row.due_date >= today), (regular or schedule.installments)[-1]).payment


async def application_terms(
    session: AsyncSession, *, borrower: Borrower, loan: Loan, settings: Settings, now: datetime
) -> HolidayApplicationTerms:
    """Today's terms of an application on `loan`, the ones `run_precheck` judges by."""
    _refuse_closed(loan)
    today = local_date(now, borrower.time_zone)
    earliest, latest = start_range(today)
    state = await read_state(session, loan)
    return HolidayApplicationTerms(
        contract_number=loan.contract_number,
        contract_date=loan.contract_date,
        on_date=today,
        monthly_payment=_regular_payment(state.schedule, today),
        earliest_start=earliest,
        latest_start=latest,
        min_months=1,
        max_months=MAX_MONTHS,
        reasons=list(HolidayReason),
        modes=list(HolidayMode),
        max_income=MAX_INCOME,
        max_files=MAX_FILES,
        max_file_bytes=settings.max_upload_bytes,
    )


async def run_precheck(
    session: AsyncSession, *, borrower: Borrower, loan: Loan, request: HolidayCreate, settings: Settings, now: datetime
) -> tuple[Precheck, Projection | None]:
    """Judge the application against the law with the loan's regular payment from the engine, and what the holiday
    would do to the loan (its schedule with the holiday)."""
    _refuse_closed(loan)
    today = local_date(now, borrower.time_zone)
    _refuse_absurd_start(request.start_date, today)
    state = await read_state(session, loan)
    granted = await session.scalar(
        select(
            exists().where(HolidayApplication.loan_id == loan.id, HolidayApplication.status == HolidayStatus.APPROVED)
        )
    )
    terms = _terms(request)
    result = precheck(
        terms,
        loan_principal=loan.principal,
        loan_cap=settings.holiday_loan_cap,
        monthly_payment=_regular_payment(state.schedule, today),
        only_home=loan.property_is_only_home,
        granted_before=bool(granted),
        today=today,
    )
    return result, project(state, terms, today=today)


def _replayed(application: HolidayApplication, loan_id: int, request: HolidayCreate) -> HolidayApplication:
    """The stored application if the repeat asks for the same thing; else the key was reused for another."""
    same = application.loan_id == loan_id and all(
        getattr(application, name) == getattr(request, name) for name in FIELDS
    )
    if not same:
        raise key_reused("application", holiday_id=application.id)
    return application


async def _earlier(
    session: AsyncSession, *, borrower_id: int, loan_id: int, key: str, request: HolidayCreate
) -> HolidayApplication | None:
    """The application already stored under this key (if it asks the same), or a 409 if another one is pending."""
    existing = await stored_under(session, HolidayApplication, borrower_id, key)
    if existing is None:
        existing = await session.scalar(
            select(HolidayApplication).where(
                HolidayApplication.loan_id == loan_id, HolidayApplication.status == HolidayStatus.SUBMITTED
            )
        )
        if existing is not None and (existing.borrower_id, existing.idempotency_key) != (borrower_id, key):
            raise ApiError(
                409,
                "holiday_already_pending",
                "An application for this loan is already under review.",
                holiday_id=existing.id,
            )
    return None if existing is None else _replayed(existing, loan_id, request)


async def create(
    session: AsyncSession,
    *,
    borrower: Borrower,
    loan: Loan,
    key: str,
    request: HolidayCreate,
    settings: Settings,
    now: datetime,
) -> tuple[HolidayApplication, bool]:
    """Store the application once per idempotency key; the answer says whether it is new."""
    ids = {"borrower_id": borrower.id, "loan_id": loan.id}
    earlier = await _earlier(session, **ids, key=key, request=request)
    if earlier is not None:
        return earlier, False
    result, _ = await run_precheck(session, borrower=borrower, loan=loan, request=request, settings=settings, now=now)
    application = HolidayApplication(
        **ids,
        idempotency_key=key,
        **_values(request),
        precheck_eligible=result.eligible,
        precheck=result.as_json(),
        status=HolidayStatus.SUBMITTED,
        created_at=now,
    )
    session.add(application)
    try:
        await session.flush()
        audit.record(
            session,
            actor="bot",
            action="apply",
            entity="holiday_application",
            entity_id=application.id,
            eligible=result.eligible,
        )
        await session.commit()
    except IntegrityError:
        await session.rollback()  # a concurrent request stored its application first
        earlier = await _earlier(session, **ids, key=key, request=request)
        if earlier is None:
            raise
        return earlier, False
    return application, True


async def list_for(session: AsyncSession, *, borrower: Borrower) -> list[HolidayApplication]:
    """The borrower's applications on all loans, newest first."""
    rows = await session.scalars(
        select(HolidayApplication)
        .where(HolidayApplication.borrower_id == borrower.id)
        .order_by(HolidayApplication.created_at.desc(), HolidayApplication.id.desc())
    )
    return list(rows)


async def documents_of(session: AsyncSession, *, holiday_ids: list[int]) -> dict[int, list[Document]]:
    """Proof uploaded for each of the applications, oldest first."""
    found: dict[int, list[Document]] = {holiday_id: [] for holiday_id in holiday_ids}
    if holiday_ids:
        rows = await session.scalars(select(Document).where(Document.holiday_id.in_(holiday_ids)).order_by(Document.id))
        for document in rows:
            found[document.holiday_id].append(document)
    return found


def _refuse_decided(application: HolidayApplication) -> None:
    if application.status is not HolidayStatus.SUBMITTED:
        raise ApiError(
            409,
            "holiday_not_pending",
            "The application is no longer under review.",
            holiday_status=application.status.value,
        )


async def upload_proof(
    session: AsyncSession,
    *,
    application: HolidayApplication,
    file: UploadFile,
    key: str | None = None,
    max_bytes: int,
    now: datetime,
) -> tuple[Document, bool]:
    """Attach proof while the application is under review; the same file again, or the same upload under its
    idempotency `key` (even once decided), returns the stored one."""
    filing = Filing(
        borrower_id=application.borrower_id,
        loan_id=application.loan_id,
        purpose=DocumentPurpose.HOLIDAY_PROOF,
        holiday_id=application.id,
    )
    return await store_upload(
        session,
        filing,
        file=file,
        max_bytes=max_bytes,
        key=key,
        refuse=lambda: _refuse_decided(application),
        now=now,
    )


async def withdraw(session: AsyncSession, *, application: HolidayApplication) -> HolidayApplication:
    """The borrower takes back an application that staff have not decided yet."""
    _refuse_decided(application)
    application.status = HolidayStatus.WITHDRAWN
    audit.record(session, actor="bot", action="withdraw", entity="holiday_application", entity_id=application.id)
    await session.commit()
    return application
