"""Seeding the demo data: the cast's borrowers, loans, payments, policies, holiday and staff, idempotently."""

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy.ext.asyncio import AsyncSession

from api.demo.cast import CAST, SEED_LOAN, STAFF, DemoBorrower, DemoStaff
from api.demo.holiday import stage_holiday
from api.demo.plans import borrower_upsert, contract_digits, loan_terms, plan_loan
from api.errors import ApiError
from api.integration.service import stage_borrower, stage_loan, stage_payments, stage_policy
from api.models import StaffRole
from api.settings import DEV_MODES, Settings
from api.staff_accounts import ensure_staff

DEMO_ACTOR = "demo"


@dataclass(frozen=True)
class DemoLine:
    """What a tester needs to link as a demo borrower, and what is special about them."""

    number: int
    name: str
    phone: str
    contract_digits: str
    birth_date: date
    note: str


def _check(settings: Settings, today: date) -> None:
    if settings.mode not in DEV_MODES:
        raise ApiError(403, "demo_refused", "Demo data is only loaded in dev, demo or test mode, never in production.")
    terms = loan_terms(SEED_LOAN, today)
    last = terms.due_date(terms.months - 1)
    if not terms.first_payment_date <= today < last:
        raise ApiError(
            422,
            "today_out_of_range",
            f"The reference date must fall within the seed loan's term, {terms.first_payment_date} to {last}.",
        )


def _line(borrower: DemoBorrower) -> DemoLine:
    return DemoLine(
        number=borrower.number,
        name=borrower.short_name,
        phone=borrower.phone,
        contract_digits=contract_digits(borrower.loans[0].contract_number),
        birth_date=borrower.birth_date,
        note=borrower.note,
    )


async def _seed_borrower(
    session: AsyncSession, borrower: DemoBorrower, *, today: date, supervisor_id: int, settings: Settings
) -> None:
    now = datetime.combine(today, time(12), tzinfo=settings.bank_zone)  # the demo's records are made on its day
    saved = await stage_borrower(
        session, external_id=borrower.external_id, data=borrower_upsert(borrower), actor=DEMO_ACTOR, now=now
    )
    for spec in borrower.loans:
        plan = plan_loan(borrower, spec, today, bic=settings.bank.bik)
        loan = await stage_loan(
            session, external_id=plan.external_id, data=plan.loan, actor=DEMO_ACTOR, bik=settings.bank.bik, now=now
        )
        if plan.payments:
            await stage_payments(session, plan.payments, actor=DEMO_ACTOR, now=now)
        for external_id, policy in plan.policies:
            await stage_policy(session, external_id=external_id, data=policy, actor=DEMO_ACTOR, now=now)
        if plan.holiday is not None:
            await stage_holiday(
                session,
                borrower_id=saved.id,
                loan_id=loan.id,
                plan=plan,
                holiday=plan.holiday,
                supervisor_id=supervisor_id,
                language=borrower.language,
                settings=settings,
                actor=DEMO_ACTOR,
            )


async def seed_demo(
    session: AsyncSession, *, settings: Settings, today: date
) -> tuple[list[DemoLine], tuple[DemoStaff, ...]]:
    """Load the demo set laid out around `today` in one transaction; a second run with the same date changes nothing."""
    _check(settings, today)
    staff = {
        member.role: await ensure_staff(
            session,
            name=member.name,
            role=member.role,
            token=member.token,
            actor=DEMO_ACTOR,
            password=member.password,
            totp_secret=member.totp_secret,
        )
        for member in STAFF
    }
    for borrower in CAST:
        await _seed_borrower(
            session, borrower, today=today, supervisor_id=staff[StaffRole.SUPERVISOR].id, settings=settings
        )
    await session.commit()
    return [_line(borrower) for borrower in CAST], STAFF
