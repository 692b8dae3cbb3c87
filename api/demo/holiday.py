"""The demo's approved payment holiday: an application decided by the demo supervisor before it began."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api import audit
from api.demo.plans import LoanPlan
from api.engine import InstallmentKind, PaymentHoliday
from api.holidays.precheck import HolidayTerms, precheck
from api.models import HolidayApplication, HolidayMode, HolidayReason, HolidayStatus
from api.outbox.replanning import replan_loan
from api.settings import Settings

IDEMPOTENCY_KEY = "demo-holiday"
INCOME_BEFORE = Decimal("150000.00")
INCOME_AFTER = Decimal("60000.00")
APPLIED_DAYS_BEFORE = 10
DECIDED_DAYS_BEFORE = 7
#: The supervisor's reason, written in the borrower's language as a real supervisor would: the bot shows it as it is.
DECISION_REASONS = {
    "ru": "Справка о доходах подтверждает снижение дохода.",
    "en": "The income statement confirms the drop in income.",
}


def _noon(day: date, settings: Settings) -> datetime:
    return datetime.combine(day, time(12), tzinfo=settings.bank_zone)


def _values(
    plan: LoanPlan, holiday: PaymentHoliday, *, loan_id: int, supervisor_id: int, language: str, settings: Settings
) -> dict[str, Any]:
    """The application as staff decided it, with the pre-check it got on the day it was made."""
    applied_on = holiday.start_date - timedelta(days=APPLIED_DAYS_BEFORE)
    payment = next(
        row.payment
        for row in plan.schedule.installments
        if row.kind == InstallmentKind.REGULAR and row.due_date >= applied_on
    )
    terms = HolidayTerms(
        reason=HolidayReason.INCOME_DROP,
        income_before=INCOME_BEFORE,
        income_after=INCOME_AFTER,
        months=holiday.months,
        mode=HolidayMode.FULL,
        reduced_payment=None,
        start_date=holiday.start_date,
    )
    result = precheck(
        terms,
        loan_principal=plan.loan.principal,
        loan_cap=settings.holiday_loan_cap,
        monthly_payment=payment,
        only_home=plan.loan.property_is_only_home,
        granted_before=False,
        today=applied_on,
    )
    return {
        "loan_id": loan_id,
        "reason": terms.reason,
        "income_before": terms.income_before,
        "income_after": terms.income_after,
        "months": terms.months,
        "mode": terms.mode,
        "reduced_payment": None,
        "start_date": terms.start_date,
        "precheck_eligible": result.eligible,
        "precheck": result.as_json(),
        "status": HolidayStatus.APPROVED,
        "created_at": _noon(applied_on, settings),
        "decided_at": _noon(holiday.start_date - timedelta(days=DECIDED_DAYS_BEFORE), settings),
        "decided_by": supervisor_id,
        "decision_reason": DECISION_REASONS[language],
    }


async def stage_holiday(
    session: AsyncSession,
    *,
    borrower_id: int,
    loan_id: int,
    plan: LoanPlan,
    holiday: PaymentHoliday,
    supervisor_id: int,
    language: str,
    settings: Settings,
    actor: str,
) -> None:
    """Create or bring up to date the borrower's demo application (the staff's reason in the borrower's language);
    nothing changes when it already matches."""
    values = _values(plan, holiday, loan_id=loan_id, supervisor_id=supervisor_id, language=language, settings=settings)
    application = await session.scalar(
        select(HolidayApplication).where(
            HolidayApplication.borrower_id == borrower_id, HolidayApplication.idempotency_key == IDEMPOTENCY_KEY
        )
    )
    if application is None:
        application = HolidayApplication(borrower_id=borrower_id, idempotency_key=IDEMPOTENCY_KEY, **values)
        session.add(application)
        await session.flush()
        audit.record(session, actor=actor, action="create", entity="holiday_application", entity_id=application.id)
    elif any(getattr(application, key) != value for key, value in values.items()):
        for key, value in values.items():
            setattr(application, key, value)
        audit.record(session, actor=actor, action="update", entity="holiday_application", entity_id=application.id)
    else:
        return
    await replan_loan(session, loan_id)  # an approved holiday: the schedule changes
