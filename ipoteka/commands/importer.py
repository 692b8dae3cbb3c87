"""`ipoteka import`: the first load of the bank's CSV files, row by row, with a report per file."""

import asyncio
import inspect
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table
from typer.models import OptionInfo

import api.importer
from api.importer.kinds import BORROWERS, KINDS, LOANS, PAYMENTS, POLICIES
from api.importer.loader import FileReport, Outcome, RowResult, load_file
from api.importer.reader import CsvFile, CsvFileError, read_csv
from api.settings import Settings
from ipoteka.database import SchemaMissingError, command_session

HELP = (
    "Load the bank's CSV files into the database (any subset, loaded in the order borrowers, loans, "
    "payments, policies) under the integration API's rules; a re-run changes nothing.\n\n"
    "Every bad row is reported with its line and reason while the good rows go in. Exit code: 0 when "
    "every row went in, 1 when some rows failed, 2 when a file cannot be read or its header lacks columns "
    "(then nothing is loaded).\n\n" + inspect.cleandoc(api.importer.__doc__ or "").split("\n\n", 1)[1]
)


def _file_option(kind_name: str) -> OptionInfo:
    return typer.Option(help=f"The {kind_name} CSV file.", dir_okay=False)


def _show(progress: Progress, task: TaskID, file_name: str, result: RowResult) -> None:
    progress.advance(task)
    if result.outcome is Outcome.FAILED:
        progress.console.print(
            f"{file_name}:{result.line}: {result.external_id or '-'}: {result.reason}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )


async def _load(files: list[CsvFile], console: Console) -> list[FileReport]:
    reports = []
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    settings = Settings()
    async with command_session(settings) as session:
        with Progress(*columns, console=console) as progress:
            for csv in files:
                task = progress.add_task(csv.path.name, total=len(csv.rows))
                show = partial(_show, progress, task, csv.path.name)
                reports.append(
                    await load_file(session, csv=csv, bik=settings.bank.bik, now=datetime.now(UTC), on_row=show)
                )
    return reports


def _summary(reports: list[FileReport]) -> Table:
    table = Table(title="Import summary")
    table.add_column("file")
    for outcome in Outcome:
        table.add_column(outcome.value, justify="right")
    for report in reports:
        table.add_row(report.csv.path.name, *(str(report.counts[outcome]) for outcome in Outcome))
    return table


def import_csv(
    borrowers: Annotated[Path | None, _file_option(BORROWERS.name)] = None,
    loans: Annotated[Path | None, _file_option(LOANS.name)] = None,
    payments: Annotated[Path | None, _file_option(PAYMENTS.name)] = None,
    policies: Annotated[Path | None, _file_option(POLICIES.name)] = None,
) -> None:
    """Check every file's header, then load the files in order (the help text is `HELP`)."""
    console, errors = Console(), Console(stderr=True)
    given = [(kind, path) for kind, path in zip(KINDS, (borrowers, loans, payments, policies), strict=True) if path]
    if not given:
        errors.print("Give at least one file: --borrowers, --loans, --payments or --policies.")
        raise typer.Exit(2)
    try:
        files = [read_csv(path, kind) for kind, path in given]
        reports = asyncio.run(_load(files, console))
    except (CsvFileError, SchemaMissingError) as exc:
        errors.print(str(exc), markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    console.print(_summary(reports))
    raise typer.Exit(1 if any(report.failures for report in reports) else 0)
