"""`ipoteka api`: serve the backend with uvicorn, each worker building the app from the environment and logging as
`ipoteka/logs.py` says; with several workers their metrics meet in `PROMETHEUS_MULTIPROC_DIR`."""

import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer
import uvicorn

from api.settings import Settings
from ipoteka import logs

APP_FACTORY = "api.app:create_app"
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
WORKER_START_SECONDS = 60


def api(
    host: Annotated[str | None, typer.Option(help="Interface to listen on [default: API_HOST, 127.0.0.1].")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="TCP port [default: API_PORT, 8000].")] = None,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
) -> None:
    """Serve the backend API (settings from the environment, e.g. DATABASE_URL)."""
    settings = Settings()
    if workers > 1:
        share_metrics()
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=host or settings.api_host,
        port=port or settings.api_port,
        workers=workers,
        log_config=logs.dict_config(),
        # a worker builds the app before it answers the supervisor's ping: tens of seconds on a busy host (uvicorn: 5)
        timeout_worker_healthcheck=WORKER_START_SECONDS,
    )


def share_metrics() -> Path:
    """The workers' shared metrics directory: `PROMETHEUS_MULTIPROC_DIR` emptied of an earlier run's files (as
    prometheus-client asks), or a new temporary one; the workers inherit the variable."""
    given = os.environ.get(MULTIPROC_ENV)
    directory = Path(given) if given else Path(tempfile.mkdtemp(prefix="ipoteka-metrics-"))
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()
    os.environ[MULTIPROC_ENV] = str(directory)
    return directory
