"""`ipoteka demo-data`: seed the demo borrowers and staff, then print how to log in as each."""

import asyncio
from datetime import UTC, date, datetime
from typing import Annotated

import typer
from rich.console import Console

from api.clock import local_date
from api.demo.cast import DemoStaff
from api.demo.service import DemoLine, seed_demo
from api.errors import ApiError
from api.settings import Settings
from ipoteka.database import SchemaMissingError, command_session


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not an ISO date (YYYY-MM-DD)") from None


def _describe(line: DemoLine) -> str:
    factor = f"{line.contract_digits} or {line.birth_date:%d.%m.%Y}"
    return f"{line.number:>2}. {line.name:<14} {line.phone}  second factor {factor}  {line.note}"


async def _seed(settings: Settings, today: date) -> tuple[list[DemoLine], tuple[DemoStaff, ...]]:
    async with command_session(settings) as session:
        return await seed_demo(session, settings=settings, today=today)


def demo_data(
    today: Annotated[
        date | None,
        typer.Option(parser=_date, help="Reference date, YYYY-MM-DD (default: today in the bank's time zone)."),
    ] = None,
) -> None:
    """Load the demo borrowers, loans, payments, policies and staff (dev/demo/test mode only; idempotent)."""
    settings = Settings()
    today = today or local_date(datetime.now(UTC), settings.bank_time_zone)
    errors = Console(stderr=True)
    try:
        lines, staff = asyncio.run(_seed(settings, today))
    except SchemaMissingError as exc:
        errors.print(str(exc), markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    except ApiError as exc:
        errors.print(exc.message, markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    typer.echo(f"Demo data as of {today}. Borrowers (phone and second factor to link a chat):")
    for line in lines:
        typer.echo(_describe(line))
    typer.echo("Staff tokens (Authorization: Bearer ...):")
    for member in staff:
        typer.echo(f"    {member.role.value:<10} {member.name:<16} {member.token}")
    typer.echo(f"Staff console: http://{settings.api_host}:{settings.api_port}/console (demo sign-in, never real):")
    for member in staff:
        secrets = f"password {member.password}  TOTP {member.totp_secret}"
        typer.echo(f"    {member.role.value:<10} {member.name:<16} {secrets}")
    typer.echo("    the current code: `ipoteka staff totp NAME` (or add the TOTP secret to an authenticator app)")
