"""Helpers for the outbox and staff tests: staff accounts, borrowers and requests in a given state, rows read back."""

import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from api.db import create_sessionmaker
from api.deps import token_digest
from api.engine import Installment, LoanTerms, Schedule, build_schedule
from api.models import (
    Borrower,
    CaseReason,
    CertificateKind,
    CertificateRequest,
    CertificateStatus,
    Document,
    DocumentPurpose,
    HolidayApplication,
    HolidayMode,
    HolidayReason,
    Notification,
    PolicyKind,
    StaffMember,
    StaffRole,
    SupportCase,
)
from tests.helpers import borrower_body, link, loan_body, put

PDF = b"%PDF-1.4\n% policy\n%%EOF\n"
SUPERVISOR_TOKEN = "supervisor-token-1"
OPERATOR_TOKEN = "operator-token-1"
SCHEDULER = "/api/v1/scheduler"


@asynccontextmanager
async def session_of(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    async with create_sessionmaker(engine)() as session:
        yield session


async def add_staff(engine: AsyncEngine, role: StaffRole, token: str, *, active: bool = True) -> int:
    async with session_of(engine) as session:
        member = StaffMember(name=f"{role.value} {token}", role=role, token_sha256=token_digest(token), active=active)
        session.add(member)
        await session.commit()
        return member.id


def client_with(app, token: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://api", headers={"Authorization": f"Bearer {token}"}
    )


async def add_record(engine: AsyncEngine, record: Any) -> int:
    async with session_of(engine) as session:
        session.add(record)
        await session.commit()
        return record.id


def holiday_row(borrower_id: int, loan_id: int, *, created_at: datetime, **values: Any) -> HolidayApplication:
    fields = {
        "idempotency_key": f"key-{created_at.timestamp()}",
        "reason": HolidayReason.INCOME_DROP,
        "income_before": Decimal("150000.00"),
        "income_after": Decimal("60000.00"),
        "months": 3,
        "mode": HolidayMode.FULL,
        "start_date": date(2026, 12, 10),
        "precheck_eligible": True,
        "precheck": {"eligible": True},
    }
    return HolidayApplication(borrower_id=borrower_id, loan_id=loan_id, created_at=created_at, **fields | values)


def certificate_row(borrower_id: int, loan_id: int, *, created_at: datetime, **values: Any) -> CertificateRequest:
    fields = {
        "kind": CertificateKind.INTEREST_PAID,
        "year": 2025,
        "signed": True,
        "status": CertificateStatus.PENDING_STAFF,
    }
    return CertificateRequest(borrower_id=borrower_id, loan_id=loan_id, created_at=created_at, **fields | values)


def document_row(borrower_id: int, loan_id: int, *, created_at: datetime, **values: Any) -> Document:
    content = values.pop("content", PDF)
    fields = {
        "purpose": DocumentPurpose.INSURANCE_POLICY,
        "policy_kind": PolicyKind.PROPERTY,
        "file_name": "полис 2027.pdf",
        "content_type": "application/pdf",
    }
    return Document(
        borrower_id=borrower_id,
        loan_id=loan_id,
        created_at=created_at,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        **fields | values,
    )


def case_row(borrower_id: int, loan_id: int | None, *, created_at: datetime, **values: Any) -> SupportCase:
    fields = {"reason": CaseReason.REQUESTED, "summary": "Wants a person", "recent_steps": ["menu", "balance"]} | values
    fields.setdefault("reasons", [CaseReason(fields["reason"]).value])
    return SupportCase(borrower_id=borrower_id, loan_id=loan_id, created_at=created_at, **fields)


async def set_borrower(engine: AsyncEngine, borrower_id: int, **values: Any) -> None:
    """Change the borrower's row through the ORM, as the API's services do."""
    async with session_of(engine) as session:
        borrower = await session.get_one(Borrower, borrower_id)
        for name, value in values.items():
            setattr(borrower, name, value)
        await session.commit()


async def outbox(engine: AsyncEngine, **where: Any) -> list[Notification]:
    """Outbox rows in id order, filtered by column values."""
    conditions = [getattr(Notification, name) == value for name, value in where.items()]
    async with session_of(engine) as session:
        return list(await session.scalars(select(Notification).where(*conditions).order_by(Notification.id)))


def seed_schedule(first_payment_date: date = date(2021, 4, 10)) -> Schedule:
    """The engine's schedule of the seed loan (4,000,000 at 12.5% over 180 months from 2021-03-10)."""
    terms = LoanTerms(
        principal=Decimal(4_000_000),
        rate_percent=Decimal("12.5"),
        months=180,
        first_payment_date=first_payment_date,
        issue_date=date(2021, 3, 10),
        payment_day=first_payment_date.day,
    )
    return build_schedule(terms)


def installment_on(due: date, first_payment_date: date = date(2021, 4, 10)) -> Installment:
    return next(row for row in seed_schedule(first_payment_date).installments if row.due_date == due)


async def pay(bank: httpx.AsyncClient, loan_ext: str, *, paid_on: date, amount: Decimal, ext: str) -> None:
    await put(
        bank, f"payments/{ext}", {"loan_external_id": loan_ext, "paid_on": paid_on.isoformat(), "amount": str(amount)}
    )


async def pay_through(bank: httpx.AsyncClient, loan_ext: str, last_due: date, *, extra: Decimal = Decimal(0)) -> None:
    """One payment on `last_due` covering every installment due up to it, plus `extra` paid in advance."""
    owed = sum(row.payment for row in seed_schedule().installments if row.due_date <= last_due)
    await pay(bank, loan_ext, paid_on=last_due, amount=owed + extra, ext=f"{loan_ext}-P-{last_due}")


async def linked_borrower(
    bank: httpx.AsyncClient,
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    *,
    telegram_user_id: int,
    number: int = 1,
    time_zone: str = "Europe/Moscow",
    reminders: bool = True,
    **loan: Any,
) -> tuple[int, int]:
    """A borrower with the seed loan, linked to `telegram_user_id`; returns (borrower id, loan id).

    `number` makes the phone, contract and external ids distinct (B-1/L-1 for number 1).
    """
    phone = f"+7916123{4566 + number:04d}"
    contract = f"ИК-2021/{456 + number:06d}"
    await put(bank, f"borrowers/B-{number}", borrower_body(phone=phone, time_zone=time_zone))
    loan_id = (await put(bank, f"loans/L-{number}", loan_body(f"B-{number}", contract_number=contract, **loan)))["id"]
    response = await link(client, telegram_user_id, phone=phone, factor=contract[-4:])
    assert response.status_code == 200, response.text
    borrower_id = response.json()["borrower_id"]
    await set_borrower(engine, borrower_id, reminders_enabled=reminders)
    return borrower_id, loan_id
