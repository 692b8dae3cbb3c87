"""The CSV files: Excel's encoding and separators per language, quoting, and no formula ever."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from api.console.portfolio.csv_export import BOM, to_csv


def read(text: str, delimiter: str) -> list[list[str]]:
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text.removeprefix(BOM)), delimiter=delimiter))


def test_russian_excel_gets_semicolons_and_decimal_commas():
    text = to_csv(
        ["Неделя", "CSAT, %"], [[date(2026, 11, 16), Decimal("66.7")], [date(2026, 11, 23), None]], language="ru"
    )
    assert text == BOM + 'Неделя;"CSAT, %"\r\n2026-11-16;66,7\r\n2026-11-23;\r\n'.replace('"CSAT, %"', "CSAT, %")
    assert read(text, ";") == [["Неделя", "CSAT, %"], ["2026-11-16", "66,7"], ["2026-11-23", ""]]


def test_english_excel_gets_commas_and_fields_are_quoted_as_needed():
    text = to_csv(["Kind", "Total"], [['Interest, "paid"', 3], ["line\nbreak", -2]], language="en")
    assert text.removeprefix(BOM).splitlines()[1] == '"Interest, ""paid""",3'
    assert read(text, ",") == [["Kind", "Total"], ['Interest, "paid"', "3"], ["line\nbreak", "-2"]]


@pytest.mark.parametrize("dangerous", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"])
def test_a_text_that_a_spreadsheet_would_run_is_made_plain_text(dangerous):
    [_header, [cell, number]] = read(to_csv([dangerous, "n"], [[dangerous, -5]], language="en"), ",")
    assert cell == "'" + dangerous and number == "-5"  # a negative number stays a number
    assert read(to_csv([dangerous], [], language="en"), ",")[0] == ["'" + dangerous]


def test_an_unknown_language_gets_the_english_separators():
    assert to_csv(["a", "b"], [[1, Decimal("0.5")]], language="de") == BOM + "a,b\r\n1,0.5\r\n"
