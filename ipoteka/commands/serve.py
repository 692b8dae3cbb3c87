"""`ipoteka api`: serve the backend with uvicorn, each worker building the app from the environment."""

from typing import Annotated

import typer
import uvicorn

APP_FACTORY = "api.app:create_app"


def api(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
) -> None:
    """Serve the backend API (settings from the environment, e.g. DATABASE_URL)."""
    uvicorn.run(APP_FACTORY, factory=True, host=host, port=port, workers=workers)
