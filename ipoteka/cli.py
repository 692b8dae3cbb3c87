"""The `ipoteka` console script: one Typer app, each sub-command in its own module."""

import typer

from ipoteka.commands import db, schedule

app = typer.Typer(no_args_is_help=True, add_completion=False, help="Ipoteka Assistant.")
app.add_typer(db.app, name="db")
app.command("schedule")(schedule.schedule)


def main() -> None:
    app()
