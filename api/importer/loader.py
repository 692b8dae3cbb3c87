"""Loading a file's rows: each under a savepoint so a bad one is refused alone, committed in batches."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import ApiError
from api.importer.cells import RowError, parse_row
from api.importer.reader import CsvFile, CsvRow

IMPORT_ACTOR = "import"
BATCH_SIZE = 500


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    FAILED = "failed"


@dataclass(frozen=True)
class RowResult:
    """What became of one row; a failure carries the reason and, when it could be read, the external id."""

    line: int
    outcome: Outcome
    external_id: str | None = None
    reason: str | None = None


@dataclass
class FileReport:
    """Counts per outcome for one file, with every failed row."""

    csv: CsvFile
    counts: dict[Outcome, int] = field(default_factory=lambda: dict.fromkeys(Outcome, 0))
    failures: list[RowResult] = field(default_factory=list)

    def add(self, result: RowResult) -> None:
        self.counts[result.outcome] += 1
        if result.outcome is Outcome.FAILED:
            self.failures.append(result)


async def _load_row(session: AsyncSession, csv: CsvFile, row: CsvRow, bik: str, now: datetime) -> RowResult:
    try:
        external_id, data = parse_row(csv.kind, row)
    except RowError as exc:
        return RowResult(row.line, Outcome.FAILED, exc.external_id, exc.reason)
    try:
        async with session.begin_nested():
            context = {"bik": bik} if csv.kind.needs_bik else {}
            result = await csv.kind.stage(
                session, external_id=external_id, data=data, actor=IMPORT_ACTOR, now=now, **context
            )
    except ApiError as exc:
        return RowResult(row.line, Outcome.FAILED, external_id, exc.message)
    if result.created:
        return RowResult(row.line, Outcome.CREATED, external_id)
    return RowResult(row.line, Outcome.UPDATED if result.changed else Outcome.UNCHANGED, external_id)


async def load_file(
    session: AsyncSession,
    *,
    csv: CsvFile,
    bik: str,
    now: datetime,
    batch_size: int = BATCH_SIZE,
    on_row: Callable[[RowResult], None] | None = None,
) -> FileReport:
    """Upsert every row of `csv` at `now`; good rows are committed every `batch_size` rows and at the end.

    `bik`: the bank's BIC, which a loan's repayment account must be valid at.
    """
    report = FileReport(csv)
    for done, row in enumerate(csv.rows, start=1):
        result = await _load_row(session, csv, row, bik, now)
        report.add(result)
        if on_row is not None:
            on_row(result)
        if done % batch_size == 0:
            await session.commit()
            session.expunge_all()
    await session.commit()
    return report
