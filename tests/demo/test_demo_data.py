"""`ipoteka demo-data` run twice on 2026-11-26: the same rows both times, and each borrower as advertised."""

import asyncio
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from click.testing import Result
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from typer.testing import CliRunner

from api.console.auth.passwords import password_matches
from api.deps import token_digest
from api.engine import InstallmentKind, PaymentHoliday
from api.linking.second_factor import matches, parse
from api.loans.state import load_state
from api.models import (
    Borrower,
    HolidayApplication,
    HolidayStatus,
    InsurancePolicy,
    Loan,
    LoanStatus,
    Payment,
    PaymentKind,
    PolicyKind,
    StaffMember,
    StaffRole,
)
from ipoteka.cli import app
from tests.importer.cli_database import cli_env, empty_database, row_counts, run_query

TODAY = date(2026, 11, 26)
LINE = re.compile(r"^\s*(\d+)\. (\S+ \S\.)\s+(\+7\d{10})  second factor (\d{4}) or (\d\d\.\d\d\.\d{4})  (.+)$")


@dataclass(frozen=True)
class Seeded:
    first: Result
    second: Result
    counts_first: dict[str, int]
    counts_second: dict[str, int]


@pytest.fixture(scope="module")
def seeded(database_url: str) -> Seeded:
    """The demo data loaded twice into an emptied database (once for the whole module: it takes seconds)."""
    empty_database(database_url)
    runner, args, env = CliRunner(), ["demo-data", "--today", TODAY.isoformat()], cli_env(database_url)
    first = runner.invoke(app, args, env=env)
    counts_first = row_counts(database_url)
    second = runner.invoke(app, args, env=env)
    return Seeded(first, second, counts_first, row_counts(database_url))


def _state_of(database_url: str, loan_external_id: str):
    async def query(session):
        loan = await session.scalar(select(Loan).where(Loan.external_id == loan_external_id))
        payments = list(await session.scalars(select(Payment).where(Payment.loan_id == loan.id)))
        return loan, await load_state(session, loan), payments

    return run_query(database_url, query)


def test_a_second_run_changes_nothing(seeded):
    assert seeded.first.exit_code == 0, seeded.first.output
    assert seeded.second.exit_code == 0, seeded.second.output
    assert seeded.counts_second == seeded.counts_first
    counts = seeded.counts_first
    assert (counts["borrower"], counts["loan"], counts["staff_member"], counts["holiday_application"]) == (20, 21, 2, 1)
    assert counts["insurance_policy"] >= counts["loan"]
    assert seeded.second.stdout == seeded.first.stdout


def test_the_seed_loan_is_paid_on_time(seeded, database_url):
    loan, state, payments = _state_of(database_url, "DEMO-L-01")
    assert (loan.contract_number, loan.principal, loan.rate_percent, loan.term_months) == (
        "ИК-2021/000457",
        Decimal("4000000.00"),
        Decimal("12.5"),
        180,
    )
    assert state.schedule.installments[0].payment == Decimal("49300.88")
    due = [row for row in state.schedule.installments if row.due_date <= TODAY]
    assert len(due) == 68
    assert sorted((p.paid_on, p.amount) for p in payments) == [(row.due_date, row.payment) for row in due]
    position = state.position(TODAY)
    assert position.overdue_amount == 0
    assert position.next_due_date == date(2026, 12, 10)
    assert position.installments_left == 180 - 68


def test_the_arrears_loan_is_two_installments_behind(seeded, database_url):
    _, state, payments = _state_of(database_url, "DEMO-L-02")
    due = [row for row in state.schedule.installments if row.due_date <= TODAY]
    position = state.position(TODAY)
    assert position.overdue_amount == due[-1].payment + due[-2].payment
    assert position.overdue_since == due[-2].due_date
    assert position.installments_left - (len(state.schedule.installments) - len(due)) == 2
    assert len(payments) == len(due) - 2


def test_the_closed_loan_is_closed(seeded, database_url):
    loan, state, payments = _state_of(database_url, "DEMO-L-03")
    assert loan.status is LoanStatus.CLOSED
    assert loan.closed_on == state.schedule.installments[-1].due_date < TODAY
    assert len(payments) == len(state.schedule.installments) == 60
    position = state.position(TODAY)
    assert position.closed
    assert position.principal_outstanding == 0


def test_the_holiday_was_approved_before_it_began_and_the_payments_follow_it(seeded, database_url):
    loan, state, payments = _state_of(database_url, "DEMO-L-06")

    async def query(session):
        application = await session.scalar(select(HolidayApplication))
        supervisor = await session.scalar(select(StaffMember).where(StaffMember.role == StaffRole.SUPERVISOR))
        return application, supervisor.id

    application, supervisor_id = run_query(database_url, query)
    assert application.loan_id == loan.id
    assert application.status is HolidayStatus.APPROVED
    assert application.decided_by == supervisor_id
    assert (
        application.created_at
        < application.decided_at
        < datetime.combine(application.start_date, datetime.min.time(), UTC)
    )
    assert application.precheck_eligible is True
    assert application.precheck["eligible"] is True
    assert state.holiday == PaymentHoliday(application.start_date, 3)
    holiday_rows = [row for row in state.schedule.installments if row.kind == InstallmentKind.HOLIDAY]
    assert [row.payment for row in holiday_rows] == [0, 0, 0]
    assert all(row.due_date < TODAY for row in holiday_rows)
    assert not {row.due_date for row in holiday_rows} & {p.paid_on for p in payments}
    assert sum(row.kind == InstallmentKind.DEFERRED for row in state.schedule.installments) == 3
    assert state.position(TODAY).overdue_amount == 0


def test_the_early_repayment_shortened_the_term(seeded, database_url):
    _, state, payments = _state_of(database_url, "DEMO-L-07")
    early = [p for p in payments if p.kind is PaymentKind.EARLY]
    assert [(p.amount, p.early_mode.value) for p in early] == [(Decimal("800000.00"), "shorter_term")]
    assert early[0].paid_on < TODAY
    assert len(state.schedule.installments) < 240
    position = state.position(TODAY)
    assert position.overdue_amount == 0
    regular = sum(p.amount for p in payments if p.kind is PaymentKind.REGULAR)
    assert position.principal_paid + position.interest_paid == regular + Decimal("800000.00")


def test_everyone_else_is_up_to_date(seeded, database_url):
    async def query(session):
        overdue = {}
        for loan in await session.scalars(select(Loan).order_by(Loan.external_id)):
            overdue[loan.external_id] = (await load_state(session, loan)).position(TODAY).overdue_amount
        return overdue

    overdue = run_query(database_url, query)
    assert {loan for loan, amount in overdue.items() if amount} == {"DEMO-L-02"}


def test_policies_two_loans_languages_and_time_zones(seeded, database_url):
    async def query(session):
        borrowers = list(await session.scalars(select(Borrower).options(selectinload(Borrower.loans))))
        policies = list(await session.scalars(select(InsurancePolicy)))
        loans = list(await session.scalars(select(Loan)))
        return borrowers, policies, loans

    borrowers, policies, loans = run_query(database_url, query)
    by_id = {b.external_id: b for b in borrowers}
    assert len(by_id["DEMO-B-04"].loans) == 2
    assert sum(b.language == "en" for b in borrowers) == 3
    assert {"Asia/Yekaterinburg", "Asia/Vladivostok"} <= {b.time_zone for b in borrowers}
    assert sum(b.time_zone == "Europe/Moscow" for b in borrowers) >= 15
    property_cover = {p.loan_id: p for p in policies if p.kind is PolicyKind.PROPERTY}
    assert set(property_cover) == {loan.id for loan in loans}
    assert any(p.kind is PolicyKind.LIFE for p in policies)
    soon = {p.loan_id for p in policies if TODAY <= p.expires_on <= TODAY + timedelta(days=30)}
    assert soon == {by_id["DEMO-B-05"].loans[0].id}
    assert property_cover[by_id["DEMO-B-05"].loans[0].id].expires_on == TODAY + timedelta(days=20)


def test_the_printed_lines_let_a_tester_link(seeded, database_url):
    lines = [LINE.match(line) for line in seeded.first.stdout.splitlines()]
    found = [line for line in lines if line]
    assert [int(line[1]) for line in found] == list(range(1, 21))

    async def query(session):
        return list(await session.scalars(select(Borrower).options(selectinload(Borrower.loans))))

    by_phone = {b.phone: b for b in run_query(database_url, query)}
    for line in found:
        borrower = by_phone[line[3]]
        assert line[2] == f"{borrower.first_name} {borrower.last_name[0]}."
        assert matches(borrower, parse(line[4]))
        assert matches(borrower, parse(line[5]))
    assert "the seed's loan" in found[0][6]
    assert "arrears" in found[1][6]


def test_the_staff_tokens_are_printed_and_stored_hashed(seeded, database_url):
    printed = dict(re.findall(r"^\s+(operator|supervisor)\s+\S+\s+(\S+)$", seeded.first.stdout, re.MULTILINE))

    async def query(session):
        return list(await session.scalars(select(StaffMember)))

    members = {m.role.value: m for m in run_query(database_url, query)}
    assert set(printed) == set(members) == {"operator", "supervisor"}
    for role, token in printed.items():
        assert members[role].token_sha256 == token_digest(token)
        assert members[role].active


def test_the_demo_console_sign_in_is_printed_and_works(seeded, database_url):
    assert "Staff console: http://127.0.0.1:8000/console" in seeded.first.stdout
    printed = re.findall(
        r"^\s+(operator|supervisor)\s+\S+\s+password (\S+)  TOTP ([A-Z2-7]{32})$", seeded.first.stdout, re.MULTILINE
    )

    async def query(session):
        return list(await session.scalars(select(StaffMember)))

    members = {m.role.value: m for m in run_query(database_url, query)}
    assert {role for role, _, _ in printed} == {"operator", "supervisor"}
    for role, password, secret in printed:
        assert asyncio.run(password_matches(members[role].password_hash, password))
        assert members[role].totp_secret == secret
