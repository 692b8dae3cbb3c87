"""Reading the CSV files: encodings, delimiters, headers, line numbers; an unloadable file is refused whole."""

from datetime import date
from pathlib import Path

import pytest

from api.importer.cells import RowError, parse_row
from api.importer.kinds import BORROWERS, LOANS, PAYMENTS, POLICIES
from api.importer.reader import CsvFileError, CsvRow, read_csv

BORROWER_HEADER = "external_id;last_name;first_name;middle_name;phone;birth_date"


def test_bom_semicolons_and_blank_lines(write_csv):
    path = write_csv(
        "borrowers.csv",
        "\ufeff" + BORROWER_HEADER,
        "B-1;Иванов;Иван;Петрович;+79161234567;1985-04-12",
        "",
        ";;;;;",
        "B-2;Петрова;Анна;;8 916 000-00-02;23.09.1979",
    )
    csv = read_csv(path, BORROWERS)
    assert [row.line for row in csv.rows] == [2, 5]
    assert csv.rows[0].cells["external_id"] == "B-1"
    external_id, data = parse_row(BORROWERS, csv.rows[1])
    assert external_id == "B-2"
    assert data.model_dump() == {
        "last_name": "Петрова",
        "first_name": "Анна",
        "middle_name": None,
        "phone": "+79160000002",
        "birth_date": date(1979, 9, 23),
        "language": "ru",
        "time_zone": "Europe/Moscow",
    }


def test_commas_quotes_and_decimal_commas(write_csv):
    path = write_csv(
        "loans.csv",
        "External_ID,borrower_external_id,contract_number,contract_date,principal,rate_percent,term_months,"
        "first_payment_date,property_address,status,closed_on,repayment_account",
        'L-1,B-1,ИК-2021/000457,10.03.2021,"4 000 000,00","12,5",180,2021-04-10,"г. Москва, ул. Примерная,\n'
        'д. 1",closed,01.02.2026,00817810400000000001',
        "L-2,B-1,ИК-2021/000458,2021-03-10,1500000,9.9,120,2021-04-10,г. Москва,,40817810700000000002",
    )
    csv = read_csv(path, LOANS)
    assert [row.line for row in csv.rows] == [2, 4]
    _, loan = parse_row(LOANS, csv.rows[0])
    assert str(loan.principal) == "4000000.00"
    assert str(loan.rate_percent) == "12.5"
    assert loan.contract_date.isoformat() == "2021-03-10"
    assert loan.closed_on.isoformat() == "2026-02-01"
    assert loan.property_address == "г. Москва, ул. Примерная,\nд. 1"
    assert loan.payment_day is None
    assert loan.repayment_account == "00817810400000000001"  # a text, leading zeros kept


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        ({"amount": "-5"}, "amount: Input should be greater than 0"),
        ({"amount": "0,001"}, "amount: Decimal input should have no more than 2 decimal places"),
        ({"amount": "1,000.50"}, "amount: Input should be a valid decimal"),
        ({"paid_on": "31.02.2026"}, "paid_on: Input should be a valid date or datetime, day value is outside"),
        ({"paid_on": "yesterday"}, "paid_on: Input should be a valid date"),
        ({"kind": "early"}, "early_mode is required for an early repayment and only for one"),
        ({"loan_external_id": ""}, "loan_external_id: Field required"),
        ({"external_id": "P 1/2"}, "external_id: String should match pattern"),
        ({"external_id": "P" * 65}, "external_id: String should have at most 64 characters"),
    ],
)
def test_bad_cells_give_reasons_without_values(cells, reason):
    row_cells = {"external_id": "P-1", "loan_external_id": "L-1", "paid_on": "2026-01-10", "amount": "49300,88"}
    row = CsvRow(7, row_cells | cells)
    with pytest.raises(RowError) as caught:
        parse_row(PAYMENTS, row)
    assert reason in caught.value.reason
    assert "yesterday" not in caught.value.reason


def test_a_row_of_the_wrong_width_is_refused_alone(write_csv):
    path = write_csv(
        "borrowers.csv", BORROWER_HEADER, "B-1;Иванов;Иван;;+79161234567", "B-2;Петров;Пётр;;+79160000002;1980-01-01"
    )
    csv = read_csv(path, BORROWERS)
    with pytest.raises(RowError, match="5 cells where the header has 6"):
        parse_row(BORROWERS, csv.rows[0])
    assert parse_row(BORROWERS, csv.rows[1])[0] == "B-2"


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (["external_id;last_name;first_name;birth_date", "B-1;И;И;1985-04-12"], "missing columns: phone"),
        ([BORROWER_HEADER + ";nickname"], "unknown columns: nickname"),
        ([BORROWER_HEADER + ";phone"], "repeated: phone"),
        (["", "  "], "is empty"),
        (["kind;insurer"], "missing columns: expires_on, external_id, loan_external_id, policy_number, starts_on"),
    ],
)
def test_header_problems_refuse_the_file(write_csv, lines, message):
    kind = POLICIES if lines[0].startswith("kind") else BORROWERS
    with pytest.raises(CsvFileError, match=message):
        read_csv(write_csv("file.csv", *lines), kind)


def test_not_utf8_and_missing_files_are_refused(write_csv, tmp_path: Path):
    cp1251 = write_csv("cp1251.csv", BORROWER_HEADER, "B-1;Иванов;Иван;;+79161234567;1985-04-12", encoding="cp1251")
    with pytest.raises(CsvFileError, match="is not UTF-8 text"):
        read_csv(cp1251, BORROWERS)
    with pytest.raises(CsvFileError, match="cannot be read"):
        read_csv(tmp_path / "nowhere.csv", BORROWERS)
    with pytest.raises(CsvFileError, match="cannot be read"):
        read_csv(tmp_path, BORROWERS)
