"""The `ipoteka` console script: one Typer app, each sub-command in its own module."""

import typer

from ipoteka.commands import db, demo, importer, run, schedule, serve, shell, staff

app = typer.Typer(no_args_is_help=True, add_completion=False, help="Ipoteka Assistant.")
app.add_typer(db.app, name="db")
app.command("schedule")(schedule.schedule)
app.command("import", help=importer.HELP)(importer.import_csv)
app.command("api")(serve.api)
app.add_typer(staff.app, name="staff")
app.command("demo-data")(demo.demo_data)
app.command("run")(run.run)
app.command("bot")(run.bot)
app.command("scheduler")(run.scheduler)
app.command("shell")(shell.shell)


def main() -> None:
    app()
