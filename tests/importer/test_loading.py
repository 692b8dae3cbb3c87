"""Loading rows through the integration upserts: good rows in, bad rows refused alone, batches, re-runs."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from api.db import create_sessionmaker
from api.engine import DayCount
from api.importer.kinds import BORROWERS, LOANS, PAYMENTS
from api.importer.loader import Outcome, load_file
from api.importer.reader import read_csv
from api.models import AuditEntry, Borrower, Loan, Payment
from api.settings import BankDetailsSettings

BIK = BankDetailsSettings().bik

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)

BORROWERS_CSV = (
    "external_id;last_name;first_name;middle_name;phone;birth_date;language",
    "B-1;Иванов;Иван;Петрович;+79161234567;12.04.1985;",
    "B-2;Петрова;Анна;;+79160000002;1979-09-23;en",
    "B-3;Смирнов;Алексей;;12;1970-01-30;ru",
    "B-4;Кузнецова;Мария;;+79161234567;1988-06-05;ru",
    "B-5;Попов;Дмитрий;;+79160000005;1983-11-17;de",
    "B-6;Васильева;Елена;;+79160000006;1990-03-08;ru",
)
LOANS_CSV = (
    "external_id;borrower_external_id;contract_number;contract_date;principal;rate_percent;term_months;"
    "first_payment_date;property_address;repayment_account;day_count",
    "L-1;B-1;ИК-2021/000457;2021-03-10;4 000 000,00;12,5;180;2021-04-10;г. Москва, ул. Примерная, д. 1;"
    "40817810400000000001;",
    "L-2;B-3;ИК-2021/000458;2021-03-10;1000000;10;120;2021-04-10;г. Москва;40817810700000000002;monthly",
    "L-3;B-2;ИК-2022/000100;2022-01-15;-1000000;10;120;2022-02-15;г. Москва;40817810000000000003;actual_365",
    "L-4;B-2;ИК-2022/000101;2022-01-15;1000000;10;120;2022-02-15;г. Москва;40817810300000000004;actual_actual",
    "L-5;B-2;ИК-2022/000102;2022-01-15;1000000;10;120;2022-02-15;г. Москва;4081781000000000003;",
    "L-6;B-2;ИК-2022/000103;2022-01-15;1000000;10;120;2022-02-15;г. Москва;;",
    "L-7;B-2;ИК-2022/000104;2022-01-15;1000000;10;120;2022-02-15;г. Москва;40817810500000000001;",
    "L-8;B-6;ИК-2022/000105;2022-01-15;1000000;10;120;2022-02-15;г. Москва;40817810500000000008;30/360",
)


@pytest.fixture
def sessionmaker(engine):
    return create_sessionmaker(engine, check_replanning=True)  # as the import command on a dev database


async def _load(sessionmaker, csv, **options):
    async with sessionmaker() as session:
        return await load_file(session, csv=csv, bik=BIK, now=NOW, **options)


async def _count(sessionmaker, what) -> int:
    async with sessionmaker() as session:
        return await session.scalar(select(func.count()).select_from(what))


async def test_good_rows_go_in_and_bad_ones_are_reported(sessionmaker, write_csv):
    report = await _load(sessionmaker, read_csv(write_csv("borrowers.csv", *BORROWERS_CSV), BORROWERS))
    assert report.counts == {Outcome.CREATED: 3, Outcome.UPDATED: 0, Outcome.UNCHANGED: 0, Outcome.FAILED: 3}
    assert [(f.line, f.external_id, f.reason) for f in report.failures] == [
        (4, "B-3", "phone: not a valid phone number"),
        (5, "B-4", "The borrower clashes with another record (a unique field is taken)."),
        (6, "B-5", "language: String should match pattern '^(ru|en)$'"),
    ]
    async with sessionmaker() as session:
        borrowers = {b.external_id: b for b in await session.scalars(select(Borrower))}
    assert sorted(borrowers) == ["B-1", "B-2", "B-6"]
    assert borrowers["B-1"].middle_name == "Петрович"
    assert borrowers["B-1"].birth_date.isoformat() == "1985-04-12"
    assert borrowers["B-1"].language == "ru"
    assert borrowers["B-2"].middle_name is None
    assert borrowers["B-2"].language == "en"

    loans = await _load(sessionmaker, read_csv(write_csv("loans.csv", *LOANS_CSV), LOANS))
    assert loans.counts[Outcome.CREATED] == 2
    assert [(f.line, f.reason) for f in loans.failures] == [
        (3, "No borrower with external id 'B-3' has been loaded."),
        (4, "principal: Input should be greater than 0"),
        (6, "repayment_account: String should match pattern '^[0-9]{20}$'"),
        (7, "repayment_account: Field required"),
        (8, "The repayment account's control key does not match the bank's BIC 044525000: check the account number."),
        (9, "day_count: Input should be 'monthly', 'actual_365' or 'actual_actual'"),
    ]
    async with sessionmaker() as session:
        loaded = {loan.external_id: loan for loan in await session.scalars(select(Loan))}
    loan = loaded["L-1"]
    assert (loan.external_id, loan.principal, loan.rate_percent) == ("L-1", Decimal("4000000.00"), Decimal("12.5"))
    assert loan.payment_day == 10
    assert (loan.day_count, loaded["L-4"].day_count) == (DayCount.MONTHLY, DayCount.ACTUAL_ACTUAL)


async def test_a_rerun_changes_nothing_and_an_edit_updates(sessionmaker, write_csv):
    csv = read_csv(write_csv("borrowers.csv", *BORROWERS_CSV), BORROWERS)
    await _load(sessionmaker, csv)
    audited = await _count(sessionmaker, AuditEntry)
    assert audited == 3

    again = await _load(sessionmaker, csv)
    assert again.counts == {Outcome.CREATED: 0, Outcome.UPDATED: 0, Outcome.UNCHANGED: 3, Outcome.FAILED: 3}
    assert await _count(sessionmaker, AuditEntry) == audited

    edited = [line.replace("Анна", "Анна-Мария") for line in BORROWERS_CSV]
    changed = await _load(sessionmaker, read_csv(write_csv("edited.csv", *edited), BORROWERS))
    assert changed.counts[Outcome.UPDATED] == 1
    assert changed.counts[Outcome.UNCHANGED] == 2
    async with sessionmaker() as session:
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "update"))
    assert (entry.actor, entry.entity, entry.entity_id, entry.details) == ("import", "borrower", "B-2", {})


async def test_batches_commit_good_rows_around_bad_ones(sessionmaker, write_csv):
    await _load(sessionmaker, read_csv(write_csv("borrowers.csv", *BORROWERS_CSV), BORROWERS))
    await _load(sessionmaker, read_csv(write_csv("loans.csv", *LOANS_CSV), LOANS))
    lines = ["external_id;loan_external_id;paid_on;amount;kind;early_mode"]
    for n in range(1, 8):
        lines.append(f"P-{n};L-1;2021-{n + 3:02d}-10;49300,88;;")
    lines[3] = "P-3;L-9;2021-06-10;49300,88;;"
    lines[5] = "P-5;L-1;2021-08-10;100000;early;shorter_term"
    lines[6] = "P-6;L-1;2021-09-10;100000;early;"
    seen = []
    report = await _load(
        sessionmaker, read_csv(write_csv("payments.csv", *lines), PAYMENTS), batch_size=2, on_row=seen.append
    )
    assert [result.line for result in seen] == [2, 3, 4, 5, 6, 7, 8]
    assert [(f.line, f.external_id) for f in report.failures] == [(4, "P-3"), (7, "P-6")]
    assert report.failures[1].reason == "early_mode is required for an early repayment and only for one"
    async with sessionmaker() as session:
        payments = {p.external_id: p for p in await session.scalars(select(Payment))}
    assert sorted(payments) == ["P-1", "P-2", "P-4", "P-5", "P-7"]
    assert payments["P-5"].kind.value == "early"
    assert payments["P-5"].early_mode.value == "shorter_term"
    assert payments["P-7"].amount == Decimal("49300.88")
