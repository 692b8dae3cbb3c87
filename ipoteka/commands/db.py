"""`ipoteka db`: bring the database schema up to date (or back) with Alembic."""

import typer

from api.migrate import downgrade as alembic_downgrade
from api.migrate import upgrade as alembic_upgrade
from api.settings import Settings

app = typer.Typer(help="Database schema commands.", no_args_is_help=True)


@app.command()
def upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    alembic_upgrade(Settings(), revision)


@app.command()
def downgrade(revision: str = typer.Argument(..., help="Target revision, e.g. -1 or base.")) -> None:
    """Revert migrations down to REVISION."""
    alembic_downgrade(Settings(), revision)
