"""`ipoteka staff`: add a staff member (API token, console password and TOTP enrolment shown once), list them,
disable one, reset their console password or TOTP secret; in dev/demo/test, print a member's current code."""

import asyncio
import io
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Annotated, TypeVar

import qrcode
import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.ext.asyncio import AsyncSession

from api import staff_accounts
from api.console.auth import totp
from api.console.auth.passwords import MIN_LENGTH, generate_password
from api.errors import ApiError
from api.models import StaffMember, StaffRole
from api.settings import DEV_MODES, Settings
from ipoteka.database import SchemaMissingError, command_session

app = typer.Typer(help="Support staff accounts, their API tokens and console sign-in.", no_args_is_help=True)

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


AskPassword = Annotated[
    bool, typer.Option("--ask-password", help=f"Type the console password (at least {MIN_LENGTH} characters).")
]


def _password(ask: bool) -> tuple[str, bool]:
    """The console password typed (hidden, twice) or generated; and whether it was generated (then it is shown)."""
    if ask:
        return typer.prompt("Console password", hide_input=True, confirmation_prompt=True), False
    return generate_password(), True


def _show_enrolment(member: StaffMember) -> None:
    """The TOTP enrolment, once: a QR code for the authenticator app, and its URI and secret to type instead."""
    assert member.totp_secret
    uri = totp.enrolment_uri(member.totp_secret, member.name)
    code = qrcode.QRCode(border=1)
    code.add_data(uri)
    terminal = io.StringIO()
    code.print_ascii(out=terminal, invert=True)
    typer.echo("Scan with the authenticator app (shown only now; the member signs in with its 6-digit code):")
    typer.echo(terminal.getvalue().rstrip("\n"))
    typer.echo(uri)
    typer.echo(f"TOTP secret: {member.totp_secret}")


@app.command()
def add(
    name: Annotated[str, typer.Option(help="The member's name, unique among staff.")],
    role: Annotated[StaffRole, typer.Option(help="What the member may do.")],
    telegram_user_id: Annotated[
        int | None, typer.Option(min=1, help="Their Telegram user id: the bot heeds them in the staff group's topics.")
    ] = None,
    ask_password: AskPassword = False,
) -> None:
    """Create a staff member: their API token, console password (generated unless --ask-password) and TOTP
    enrolment are printed this once only, so enrol with the member beside you."""
    password, generated = _password(ask_password)
    member, token = _run(
        lambda session: staff_accounts.add_staff(
            session, name=name, role=role, actor=CLI_ACTOR, telegram_user_id=telegram_user_id, password=password
        )
    )
    typer.echo(f"Added {member.name} ({member.role.value}). Token, shown only now:")
    typer.echo(token)
    if generated:
        typer.echo(f"Console password, shown only now: {password}")
    _show_enrolment(member)


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
    """Disable a staff member: their token stops working and their console sessions end at once."""
    member = _run(lambda session: staff_accounts.disable_staff(session, name=name, actor=CLI_ACTOR))
    typer.echo(f"Disabled {member.name}.")


@app.command("reset-password")
def reset_password(name: Annotated[str, typer.Argument(help="The member's name.")], ask_password: AskPassword = False):
    """A new console password (generated unless --ask-password, shown once); the member's sessions end."""
    password, generated = _password(ask_password)
    member = _run(
        lambda session: staff_accounts.set_console_credentials(session, name=name, actor=CLI_ACTOR, password=password)
    )
    typer.echo(f"New console password for {member.name}" + (f", shown only now: {password}" if generated else "."))


@app.command("reset-totp")
def reset_totp(name: Annotated[str, typer.Argument(help="The member's name.")]) -> None:
    """A new TOTP secret (a lost phone): the enrolment is shown once, the old codes stop working, sessions end."""
    member = _run(
        lambda session: staff_accounts.set_console_credentials(
            session, name=name, actor=CLI_ACTOR, totp_secret=totp.new_secret()
        )
    )
    typer.echo(f"New TOTP secret for {member.name}.")
    _show_enrolment(member)


@app.command("totp")
def current_code(name: Annotated[str, typer.Argument(help="The member's name.")]) -> None:
    """Print the member's current TOTP code: for the demo staff (dev/demo/test mode only)."""
    if Settings().mode not in DEV_MODES:
        Console(stderr=True).print("`ipoteka staff totp` works in dev, demo and test mode only.", markup=False)
        raise typer.Exit(1)
    member = _run(lambda session: staff_accounts.member_by_name(session, name=name))
    if not member.totp_secret:
        Console(stderr=True).print(f"{member.name} has no console sign-in.", markup=False)
        raise typer.Exit(1)
    typer.echo(totp.current_code(member.totp_secret, datetime.now(UTC)))
