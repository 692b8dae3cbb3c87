"""Reading a CSV file: UTF-8 with or without a BOM, `;` or `,` taken from the header, rows with line numbers."""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from api.importer.kinds import RecordKind

DELIMITERS = (";", ",")


class CsvFileError(Exception):
    """The file cannot be loaded at all: unreadable, not UTF-8, or its header lacks required columns."""


@dataclass(frozen=True)
class CsvRow:
    """One data row: the line it starts on, its cells by column name, or why its cells cannot be named."""

    line: int
    cells: dict[str, str]
    problem: str | None = None


@dataclass(frozen=True)
class CsvFile:
    """A file checked against its kind's columns, with all its data rows."""

    path: Path
    kind: RecordKind
    rows: tuple[CsvRow, ...]


def _text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CsvFileError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvFileError(f"{path}: is not UTF-8 text (byte {exc.start})") from exc


def _delimiter(header_line: str) -> str:
    """The separator the header uses most; column names contain neither."""
    return max(DELIMITERS, key=header_line.count)


def _header(path: Path, kind: RecordKind, cells: list[str]) -> list[str]:
    columns = [cell.strip().lower() for cell in cells]
    duplicated = sorted({name for name in columns if columns.count(name) > 1})
    missing = sorted(kind.required_columns - set(columns))
    unknown = sorted(set(columns) - kind.columns)
    problems = [
        f"{label}: {', '.join(names)}"
        for label, names in (("missing columns", missing), ("unknown columns", unknown), ("repeated", duplicated))
        if names
    ]
    if problems:
        raise CsvFileError(f"{path}: the header does not fit {kind.name} ({'; '.join(problems)})")
    return columns


def read_csv(path: Path, kind: RecordKind) -> CsvFile:
    """Read and check the whole file; blank lines are skipped, a row of the wrong width is kept to be refused."""
    text = _text(path)
    if not text.strip():
        raise CsvFileError(f"{path}: is empty (a header row is required)")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.splitlines()[0]))
    rows: list[CsvRow] = []
    try:
        columns = _header(path, kind, next(reader))
        last_line = reader.line_num
        for cells in reader:
            line, last_line = last_line + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) == len(columns):
                rows.append(CsvRow(line, dict(zip(columns, cells, strict=True))))
            else:
                rows.append(CsvRow(line, {}, f"{len(cells)} cells where the header has {len(columns)}"))
    except csv.Error as exc:
        raise CsvFileError(f"{path}: line {reader.line_num}: {exc}") from exc
    return CsvFile(path, kind, tuple(rows))
