"""A table as a CSV file Excel opens as it is: UTF-8 with a byte-order mark, the list separator and decimal mark of
the staff's language, every field quoted as needed, and no cell that a spreadsheet would run as a formula.

A text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with an apostrophe (OWASP's
advice against CSV injection), so a borrower's words or a name can never become a formula; numbers are written
as numbers.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: (list separator, decimal mark) as Excel expects them for the language's regional settings.
SEPARATORS = {"ru": (";", ","), "en": (",", ".")}

Cell = str | int | Decimal | date | None


def safe_text(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _field(cell: Cell, decimal_mark: str) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        raise TypeError("a CSV cell is text, a number or a date")
    if isinstance(cell, int | Decimal):
        return str(cell).replace(".", decimal_mark)
    if isinstance(cell, date):
        return cell.isoformat()
    return safe_text(cell)


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]], *, language: str) -> str:
    delimiter, decimal_mark = SEPARATORS.get(language, SEPARATORS["en"])
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([safe_text(name) for name in header])
    for row in rows:
        writer.writerow([_field(cell, decimal_mark) for cell in row])
    return BOM + stream.getvalue()
