"""From a row's cells to an upsert: empty cells left out, local spellings of amounts and dates accepted."""

import re
from typing import Annotated

from pydantic import StringConstraints, ValidationError

from api.importer.kinds import EXTERNAL_ID, RecordKind
from api.importer.reader import CsvRow
from api.schemas import ApiModel

_SPACES = re.compile(r"[\s\u00a0\u202f]")
_RU_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


class RowError(Exception):
    """A row that cannot be loaded; the reason names fields, never their values."""

    def __init__(self, reason: str, external_id: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.external_id = external_id


class _Key(ApiModel):
    """The external id, under the same rules as the integration API's path."""

    external_id: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64, pattern=r"^[\w.:\-]+$")
    ]


def describe(exc: ValidationError) -> str:
    """Pydantic's errors as `field: message; ...` (the values themselves are not repeated)."""
    parts = []
    for err in exc.errors():
        message = str(err["msg"]).removeprefix("Value error, ")
        field = ".".join(str(part) for part in err["loc"])
        parts.append(f"{field}: {message}" if field else message)
    return "; ".join(parts)


def _amount(text: str) -> str:
    text = _SPACES.sub("", text)
    return text.replace(",", ".") if "." not in text else text


def _date(text: str) -> str:
    found = _RU_DATE.fullmatch(text)
    return f"{found[3]}-{int(found[2]):02d}-{int(found[1]):02d}" if found else text


def _values(kind: RecordKind, cells: dict[str, str]) -> dict[str, str]:
    values = {}
    for name, cell in cells.items():
        text = cell.strip()
        if not text or name == EXTERNAL_ID:
            continue
        if name in kind.amount_fields:
            text = _amount(text)
        elif name in kind.date_fields:
            text = _date(text)
        values[name] = text
    return values


def parse_row(kind: RecordKind, row: CsvRow) -> tuple[str, ApiModel]:
    """The row's external id and validated upsert; `RowError` with every problem found otherwise."""
    if row.problem:
        raise RowError(row.problem)
    external_id = data = None
    problems = []
    try:
        external_id = _Key.model_validate({EXTERNAL_ID: row.cells.get(EXTERNAL_ID, "")}).external_id
    except ValidationError as exc:
        problems.append(describe(exc))
    try:
        data = kind.schema.model_validate(_values(kind, row.cells))
    except ValidationError as exc:
        problems.append(describe(exc))
    if external_id is None or data is None:
        raise RowError("; ".join(problems), external_id)
    return external_id, data
