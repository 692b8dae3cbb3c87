"""`ipoteka api --workers 2`: the workers' counters meet in one multiprocess directory, so a scrape of any worker
counts every worker's requests; the queue figures are read from the database by whichever worker answers; the
access log is JSON in production format and leaves out the probes."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.ops.scrape import value

IPOTEKA = Path(sys.executable).with_name("ipoteka")
REQUESTS = 40


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 150  # a worker imports the whole app first: slow on a busy machine
    while True:
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            assert server.poll() is None, "the server stopped"
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)


def test_two_workers_count_together(database_url, tmp_path):
    port = _free_port()
    metrics = tmp_path / "metrics"
    metrics.mkdir()
    (metrics / "counter_999.db").write_bytes(b"stale")  # an earlier run's file: emptied at start
    env = os.environ | {
        "DATABASE_URL": database_url,
        "MODE": "test",
        "LOG_FORMAT": "json",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics),
    }
    log = tmp_path / "api.log"
    with log.open("w") as output:
        server = subprocess.Popen(  # noqa: S603 (our own console script)
            [str(IPOTEKA), "api", "--port", str(port), "--workers", "2"], env=env, stdout=output, stderr=output
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{base}/healthz", server)
        pids = set()
        with httpx.Client(base_url=base) as client:  # a fresh connection each time, so both workers answer
            for _ in range(REQUESTS):
                client.get("/api/v1/terms", headers={"Connection": "close", "X-Telegram-User-Id": "1"})
            for _ in range(20):
                pids |= {p.name for p in metrics.glob("*.db")}
                scrape = client.get("/metrics", headers={"Connection": "close"}).text
                client.get("/readyz", headers={"Connection": "close"})
        count = value(
            scrape, "ipoteka_api_request_duration_seconds_count", method="GET", route="/api/v1/terms", status="401"
        )
        count += value(
            scrape, "ipoteka_api_request_duration_seconds_count", method="GET", route="/api/v1/terms", status="200"
        )
        assert count == REQUESTS
        assert "ipoteka_outbox_depth" in scrape
        assert len({name.rsplit("_", 1)[-1] for name in pids}) >= 2, pids  # two workers wrote their files
        assert not (metrics / "counter_999.db").exists()
    finally:
        server.terminate()
        server.wait(timeout=20)
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    access = [line["message"] for line in lines if line["logger"] == "uvicorn.access"]
    assert sum("/api/v1/terms" in message for message in access) == REQUESTS
    assert not any("/metrics" in message or "/readyz" in message or "/healthz" in message for message in access)
    assert any(line["logger"] == "uvicorn.error" for line in lines)
