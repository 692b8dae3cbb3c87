"""`ipoteka schedule`: CSV output checked against build_schedule, and bad options exit with code 2."""

import csv
import io
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from api.engine import DayCount, EarlyRepayment, LoanTerms, PaymentHoliday, RepaymentMode, build_schedule
from api.engine.schedule_csv import HEADER, write_schedule_csv
from ipoteka.cli import app

runner = CliRunner()
BASE = ["schedule", "--principal", "4000000", "--rate", "12,5", "--months", "180", "--start", "2024-02-15"]
TERMS = LoanTerms(Decimal(4_000_000), Decimal("12.5"), 180, date(2024, 2, 15))


def as_csv_row(row):
    return [
        str(row.number),
        row.due_date.isoformat(),
        f"{row.payment:.2f}",
        f"{row.principal:.2f}",
        f"{row.interest:.2f}",
        f"{row.balance_after:.2f}",
        row.kind,
    ]


def run_csv(*extra):
    result = runner.invoke(app, [*BASE, *extra])
    assert result.exit_code == 0, result.output
    return list(csv.reader(io.StringIO(result.stdout)))


def test_plain_schedule():
    lines = run_csv()
    expected = build_schedule(TERMS).installments
    assert lines[0] == list(HEADER)
    assert len(lines) == 181
    assert (
        lines[1]
        == as_csv_row(expected[0])
        == ["1", "2024-02-15", "49300.88", "7634.21", "41666.67", "3992365.79", "regular"]
    )
    assert lines[-1] == as_csv_row(expected[-1])


def test_early_repayments_holiday_and_payment_day():
    lines = run_csv(
        "--payment-day",
        "31",
        "--early",
        "2025-03-01:500000:shorter_term",
        "--early",
        "2026-01-31:300000,50:smaller_payment",
        "--holiday",
        "2024-06-01:3:10000",
    )
    terms = LoanTerms(Decimal(4_000_000), Decimal("12.5"), 180, date(2024, 2, 15), payment_day=31)
    expected = build_schedule(
        terms,
        early_repayments=[
            EarlyRepayment(date(2025, 3, 1), Decimal(500_000), RepaymentMode.SHORTER_TERM),
            EarlyRepayment(date(2026, 1, 31), Decimal("300000.50"), RepaymentMode.SMALLER_PAYMENT),
        ],
        holiday=PaymentHoliday(date(2024, 6, 1), 3, Decimal(10_000)),
    ).installments
    assert lines[1] == as_csv_row(expected[0])
    assert lines[-1] == as_csv_row(expected[-1])
    assert len(lines) == len(expected) + 1
    assert lines[2][1] == "2024-03-31"
    assert [line[6] for line in lines[1:]].count("holiday") == 3


@pytest.mark.parametrize("day_count", list(DayCount))
def test_day_count_and_issue_date(day_count):
    lines = run_csv(
        "--day-count", day_count.value, "--issue-date", "2024-01-20", "--early", "2025-03-01:500000:shorter_term"
    )
    terms = replace(TERMS, issue_date=date(2024, 1, 20), day_count=day_count)
    expected = build_schedule(
        terms, early_repayments=[EarlyRepayment(date(2025, 3, 1), Decimal(500_000), "shorter_term")]
    )
    assert lines[1:] == [as_csv_row(row) for row in expected.installments]
    first_interest = {DayCount.MONTHLY: "41666.67", DayCount.ACTUAL_365: "35616.44", DayCount.ACTUAL_ACTUAL: "35519.13"}
    assert (
        lines[1][4] == first_interest[day_count]
    )  # 1/12 of 12.5%, or 4000000 * 12.5% * 26 days / 365 (leap 2024: / 366)


def test_write_schedule_csv_uses_dots_and_two_decimals():
    stream = io.StringIO()
    write_schedule_csv(build_schedule(LoanTerms(Decimal(100_000), Decimal(0), 3, date(2024, 1, 31))), stream)
    assert stream.getvalue().splitlines() == [
        "number,date,payment,principal,interest,balance,kind",
        "1,2024-01-31,33333.33,33333.33,0.00,66666.67,regular",
        "2,2024-02-29,33333.33,33333.33,0.00,33333.34,regular",
        "3,2024-03-31,33333.34,33333.34,0.00,0.00,regular",
    ]


@pytest.mark.parametrize(
    ("replace", "extra", "option"),
    [
        ({"--principal": "abc"}, [], "--principal"),
        ({"--principal": "-5"}, [], "--principal"),
        ({"--rate": "100"}, [], "--rate"),
        ({"--months": "0"}, [], "--months"),
        ({"--start": "2024-02-30"}, [], "--start"),
        ({}, ["--payment-day", "32"], "--payment-day"),
        ({}, ["--day-count", "30_360"], "--day-count"),
        ({}, ["--issue-date", "2024-02-15"], "--issue-date"),
        ({}, ["--issue-date", "2024-02-30"], "--issue-date"),
        ({}, ["--early", "2025-03-01:500000"], "--early"),
        ({}, ["--early", "2025-03-01:500000:sooner"], "--early"),
        ({}, ["--early", "2025-03-01:0:shorter_term"], "--early"),
        ({}, ["--early", "2025-03-01:9000000:shorter_term"], "--early"),
        ({}, ["--holiday", "2024-06-01"], "--holiday"),
        ({}, ["--holiday", "2024-06-01:7"], "--holiday"),
        ({}, ["--holiday", "2024-06-01:2:99999999"], "--holiday"),
    ],
)
def test_bad_options_exit_with_code_2(replace, extra, option):
    args = list(BASE)
    for name, value in replace.items():
        args[args.index(name) + 1] = value
    result = runner.invoke(app, [*args, *extra])
    assert result.exit_code == 2
    assert option in result.output
    assert result.stdout == ""
