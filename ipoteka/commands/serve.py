"""`ipoteka api`: serve the backend with uvicorn, each worker building the app from the environment."""

from typing import Annotated

import typer
import uvicorn

from api.settings import Settings

APP_FACTORY = "api.app:create_app"


def api(
    host: Annotated[str | None, typer.Option(help="Interface to listen on [default: API_HOST, 127.0.0.1].")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="TCP port [default: API_PORT, 8000].")] = None,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
) -> None:
    """Serve the backend API (settings from the environment, e.g. DATABASE_URL)."""
    settings = Settings()
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=host or settings.api_host,
        port=port or settings.api_port,
        workers=workers,
    )
