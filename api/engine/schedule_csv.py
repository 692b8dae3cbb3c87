"""CSV export of a schedule: one row per installment, ISO dates, amounts with two decimals and a dot."""

import csv
from typing import TextIO

from api.engine.schedule import Schedule

HEADER = ("number", "date", "payment", "principal", "interest", "balance", "kind")


def write_schedule_csv(schedule: Schedule, stream: TextIO) -> None:
    """Write `schedule` to `stream` as CSV with a header row and "\\n" line ends."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(HEADER)
    for row in schedule.installments:
        writer.writerow(
            (
                row.number,
                row.due_date.isoformat(),
                f"{row.payment:.2f}",
                f"{row.principal:.2f}",
                f"{row.interest:.2f}",
                f"{row.balance_after:.2f}",
                str(row.kind),
            )
        )
