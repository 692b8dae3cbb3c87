"""The portfolio page for supervisors, and each of its tables as a CSV file."""

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from api.console.deps import ConsoleSupervisor
from api.console.portfolio import period as periods
from api.console.portfolio.csv_export import to_csv
from api.console.portfolio.report import Table, display, portfolio
from api.console.templating import console_language, render, translations
from api.deps import NowDep, SessionDep, SettingsDep

router = APIRouter()

Weeks = Annotated[int, Query(description="How many weeks, up to this one.")]
TableKey = Literal["csat", "reminders", "reach", "hardship", "certificates", "response", "response_by_staff"]


def _weeks(weeks: int) -> int:
    """A length offered by the period selector; anything else is the default."""
    return weeks if weeks in periods.CHOICES else periods.CHOICES[0]


async def _tables(request: Request, session, settings, now: datetime, weeks: int) -> tuple[str, list[Table]]:
    language = console_language(request)
    period = periods.last_weeks(weeks, now=now, zone=settings.bank_zone)
    tables = await portfolio(session, period=period, now=now, translations=translations(language), language=language)
    return language, tables


@router.get("/portfolio")
async def page(
    request: Request,
    member: ConsoleSupervisor,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    weeks: Weeks = periods.CHOICES[0],
):
    weeks = _weeks(weeks)
    language, tables = await _tables(request, session, settings, now, weeks)
    context = {"tables": tables, "weeks": weeks, "choices": sorted(periods.CHOICES), "display": display}
    return render(request, "portfolio/portfolio.html", context | {"cell_language": language})


@router.get("/portfolio.csv")
async def csv_file(
    request: Request,
    member: ConsoleSupervisor,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    table: TableKey,
    weeks: Weeks = periods.CHOICES[0],
) -> Response:
    """One table as the page shows it, for Excel in the supervisor's language."""
    weeks = _weeks(weeks)
    language, tables = await _tables(request, session, settings, now, weeks)
    [chosen] = [found for found in tables if found.key == table]
    day = now.astimezone(settings.bank_zone).date().isoformat()
    return Response(
        to_csv(chosen.header, chosen.rows, language=language),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="portfolio-{table}-{weeks}w-{day}.csv"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )
