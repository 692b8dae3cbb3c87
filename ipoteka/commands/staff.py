"""`ipoteka staff`: add a staff member (the token is shown once), list them, disable one."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.ext.asyncio import AsyncSession

from api import staff_accounts
from api.errors import ApiError
from api.models import StaffMember, StaffRole
from api.settings import Settings
from ipoteka.database import SchemaMissingError, command_session

app = typer.Typer(help="Support staff accounts and their API tokens.", no_args_is_help=True)

CLI_ACTOR = "cli"
ResultT = TypeVar("ResultT")


def _run(action: Callable[[AsyncSession], Awaitable[ResultT]]) -> ResultT:
    """Run `action` in a session; refusals are printed and end the command with exit code 1."""

    async def main() -> ResultT:
        async with command_session(Settings()) as session:
            return await action(session)

    try:
        return asyncio.run(main())
    except ApiError as exc:
        Console(stderr=True).print(exc.message, markup=False, highlight=False)
        raise typer.Exit(1) from None
    except SchemaMissingError as exc:
        Console(stderr=True).print(str(exc), markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None


@app.command()
def add(
    name: Annotated[str, typer.Option(help="The member's name, unique among staff.")],
    role: Annotated[StaffRole, typer.Option(help="What the member may do.")],
    telegram_user_id: Annotated[
        int | None, typer.Option(min=1, help="Their Telegram user id: the bot heeds them in the staff group's topics.")
    ] = None,
) -> None:
    """Create a staff member and print their API token (shown this once only)."""
    member, token = _run(
        lambda session: staff_accounts.add_staff(
            session, name=name, role=role, actor=CLI_ACTOR, telegram_user_id=telegram_user_id
        )
    )
    typer.echo(f"Added {member.name} ({member.role.value}). Token, shown only now:")
    typer.echo(token)


@app.command("list")
def list_() -> None:
    """List staff members: name, role and whether their token works."""
    members: list[StaffMember] = _run(staff_accounts.list_staff)
    table = Table("name", "role", "active", "in the staff group")
    for member in members:
        in_group = "yes" if member.telegram_user_id else "no"
        table.add_row(member.name, member.role.value, "yes" if member.active else "no", in_group)
    Console().print(table)


@app.command()
def disable(name: Annotated[str, typer.Argument(help="The member's name.")]) -> None:
    """Disable a staff member: their token stops working at once."""
    member = _run(lambda session: staff_accounts.disable_staff(session, name=name, actor=CLI_ACTOR))
    typer.echo(f"Disabled {member.name}.")
