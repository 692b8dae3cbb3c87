"""`ipoteka import` on the real CLI: exit codes, reported rows, the summary, a re-run that changes nothing."""

import re
from decimal import Decimal

import pytest
from click.testing import Result
from sqlalchemy import select
from typer.testing import CliRunner

from api.importer.kinds import KINDS
from api.models import Borrower, InsurancePolicy, Loan, Payment
from ipoteka.cli import app
from tests.importer.cli_database import row_counts, run_query

runner = CliRunner()

FILES = {
    "borrowers": (
        "\ufeffexternal_id;last_name;first_name;middle_name;phone;birth_date;time_zone",
        "B-1;Иванов;Иван;Петрович;+79161234567;12.04.1985;",
        "B-2;Петрова;Анна;;+79160000002;1979-09-23;Asia/Vladivostok",
    ),
    "loans": (
        "external_id,borrower_external_id,contract_number,contract_date,principal,rate_percent,term_months,"
        "first_payment_date,property_address,repayment_account",
        'L-1,B-1,ИК-2021/000457,2021-03-10,"4 000 000,00","12,5",180,2021-04-10,"г. Москва, ул. Примерная, д. 1",'
        "40817810400000000001",
        "L-2,B-2,ИК-2022/001234,2022-01-15,2500000,9.9,240,2022-02-15,г. Москва,40817810700000000002",
    ),
    "payments": (
        "external_id;loan_external_id;paid_on;amount",
        "P-1;L-1;2021-04-10;49300,88",
        "P-2;L-1;2021-05-10;49300,88",
        "P-3;L-2;2022-02-15;23 957,47",
    ),
    "policies": (
        "external_id;loan_external_id;kind;insurer;policy_number;starts_on;expires_on;premium",
        "POL-1;L-1;property;СК «Надёжная»;IP-1;2026-03-10;2027-03-10;10000,00",
        "POL-2;L-1;life;СК «Надёжная»;IL-1;2026-03-10;2027-03-10;",
    ),
}


def _import(env, **paths) -> Result:
    args = ["import"]
    for name, path in paths.items():
        args += [f"--{name}", str(path)]
    return runner.invoke(app, args, env=env)


def _summary_row(output: str, file_name: str) -> list[int]:
    line = next(line for line in output.splitlines() if f" {file_name} " in line and "━" not in line)
    return [int(number) for number in re.findall(r"\b\d+\b", line.split(file_name, 1)[1])]


def _write_all(write_csv, files=FILES):
    return {name: write_csv(f"{name}.csv", *lines) for name, lines in files.items()}


def test_a_clean_load_and_a_rerun(env, database_url, write_csv):
    paths = _write_all(write_csv)
    result = _import(env, **paths)
    assert result.exit_code == 0, result.output
    assert "Import summary" in result.stdout
    assert _summary_row(result.stdout, "borrowers.csv") == [2, 0, 0, 0]
    assert _summary_row(result.stdout, "payments.csv") == [3, 0, 0, 0]
    counts = row_counts(database_url)
    assert {k: counts[k] for k in ("borrower", "loan", "payment", "insurance_policy")} == {
        "borrower": 2,
        "loan": 2,
        "payment": 3,
        "insurance_policy": 2,
    }

    async def stored(session):
        borrower = await session.scalar(select(Borrower).where(Borrower.external_id == "B-2"))
        loan = await session.scalar(select(Loan).where(Loan.external_id == "L-1"))
        amounts = list(await session.scalars(select(Payment.amount).order_by(Payment.external_id)))
        premium = await session.scalar(select(InsurancePolicy.premium).where(InsurancePolicy.external_id == "POL-2"))
        return borrower.time_zone, loan.principal, loan.property_address, amounts, premium

    assert run_query(database_url, stored) == (
        "Asia/Vladivostok",
        Decimal("4000000.00"),
        "г. Москва, ул. Примерная, д. 1",
        [Decimal("49300.88"), Decimal("49300.88"), Decimal("23957.47")],
        None,
    )

    again = _import(env, **paths)
    assert again.exit_code == 0, again.output
    assert _summary_row(again.stdout, "borrowers.csv") == [0, 0, 2, 0]
    assert _summary_row(again.stdout, "loans.csv") == [0, 0, 2, 0]
    assert _summary_row(again.stdout, "payments.csv") == [0, 0, 3, 0]
    assert _summary_row(again.stdout, "policies.csv") == [0, 0, 2, 0]
    assert row_counts(database_url) == counts


def test_bad_rows_are_reported_and_the_good_ones_load(env, database_url, write_csv):
    files = dict(FILES)
    files["borrowers"] = (*FILES["borrowers"], "B-3;Сидоров;Олег;;555;1990-01-01;")
    files["loans"] = (
        *FILES["loans"],
        "L-3,B-404,ИК-2023/000001,2023-01-10,1000000,10,120,2023-02-10,г. Москва,40817810000000000003",
    )
    files["payments"] = (
        *FILES["payments"],
        "P-4;L-1;2021-06-10;-49300,88",
        "P-5;L-1;2021-13-10;49300,88",
        "P-6;L-404;2021-06-10;100",
    )
    result = _import(env, **_write_all(write_csv, files))
    assert result.exit_code == 1, result.output
    assert "borrowers.csv:4: B-3: phone: not a valid phone number" in result.stdout
    assert "loans.csv:4: L-3: No borrower with external id 'B-404' has been loaded." in result.stdout
    assert "payments.csv:5: P-4: amount: Input should be greater than 0" in result.stdout
    assert "payments.csv:6: P-5: paid_on: Input should be a valid date or datetime, month value is outside" in (
        result.stdout
    )
    assert "payments.csv:7: P-6: No loan with external id 'L-404' has been loaded." in result.stdout
    assert _summary_row(result.stdout, "payments.csv") == [3, 0, 0, 3]
    counts = row_counts(database_url)
    assert (counts["borrower"], counts["loan"], counts["payment"], counts["insurance_policy"]) == (2, 2, 3, 2)


def test_a_row_with_a_nul_character_is_refused_alone(env, database_url, write_csv):
    files = dict(FILES)
    files["borrowers"] = (*FILES["borrowers"], "B-3;Сидо\x00ров;Олег;;+79160000003;1990-01-01;")
    files["policies"] = (*FILES["policies"], "POL-3;L-2;property;СК\x00;IP-3;2026-03-10;2027-03-10;1000")
    result = _import(env, **_write_all(write_csv, files))
    assert result.exit_code == 1, result.output
    assert "borrowers.csv:4: B-3: last_name: must not contain control characters" in result.stdout
    assert "policies.csv:4: POL-3: insurer: must not contain control characters" in result.stdout
    assert "Traceback" not in result.output and "\x00" not in result.output
    assert _summary_row(result.stdout, "borrowers.csv") == [2, 0, 0, 1]
    counts = row_counts(database_url)
    assert (counts["borrower"], counts["loan"], counts["payment"], counts["insurance_policy"]) == (2, 2, 3, 2)


def test_a_missing_column_loads_nothing(env, database_url, write_csv):
    paths = _write_all(write_csv)
    paths["loans"] = write_csv("loans.csv", "external_id,borrower_external_id,principal", "L-1,B-1,100")
    result = _import(env, **paths)
    assert result.exit_code == 2
    assert "loans.csv: the header does not fit loans (missing columns: contract_date, contract_number" in (
        result.stderr
    )
    assert row_counts(database_url)["borrower"] == 0


@pytest.mark.parametrize("case", ["no file given", "no such file", "not utf-8"])
def test_unreadable_input_is_exit_2(env, database_url, write_csv, tmp_path, case):
    paths = {
        "no file given": {},
        "no such file": {"borrowers": tmp_path / "missing.csv"},
        "not utf-8": {"borrowers": write_csv("cp1251.csv", *FILES["borrowers"][1:], encoding="cp1251")},
    }[case]
    result = _import(env, **paths)
    assert result.exit_code == 2
    assert result.stderr.strip()
    assert row_counts(database_url)["borrower"] == 0


def test_a_database_without_schema_is_exit_2(write_csv, tmp_path):
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/empty.db", "MODE": "test"}
    result = _import(env, borrowers=write_csv("borrowers.csv", *FILES["borrowers"]))
    assert result.exit_code == 2
    assert "run `ipoteka db upgrade` first" in result.stderr


def test_the_help_lists_every_column():
    result = runner.invoke(app, ["import", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for kind in KINDS:
        for column in kind.columns:
            assert column in result.stdout, column
        for column in kind.required_columns:
            assert f"{column}*" in result.stdout, column
