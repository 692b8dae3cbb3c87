"""`ipoteka api`: uvicorn serves the app factory's /health; bad options are usage errors."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from ipoteka.cli import app

IPOTEKA = Path(sys.executable).with_name("ipoteka")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serves_the_api(database_url):
    port = _free_port()
    env = os.environ | {"DATABASE_URL": database_url, "MODE": "test"}
    server = subprocess.Popen(  # noqa: S603 (our own console script)
        [str(IPOTEKA), "api", "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stdout.read().decode()
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        assert response.json() == {"status": "ok"}
        assert httpx.get(f"http://127.0.0.1:{port}/openapi.json").json()["info"]["title"] == "Ipoteka Assistant API"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.parametrize(
    "args", [["--port", "0"], ["--port", "70000"], ["--port", "http"], ["--workers", "0"], ["--host"]]
)
def test_bad_options(args):
    result = CliRunner().invoke(app, ["api", *args])
    assert result.exit_code == 2
