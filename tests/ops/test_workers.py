"""`ipoteka api --workers 2`: the workers' counters meet in one multiprocess directory, so a scrape of any worker
counts every worker's requests; the queue figures are read from the database by whichever worker answers; the
access log is JSON in production format and leaves out the probes."""

import json
import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from tests.ops.scrape import value

IPOTEKA = Path(sys.executable).with_name("ipoteka")
REQUESTS = 40
USER = {"X-Telegram-User-Id": "1"}


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


def _wait_for(check) -> None:
    deadline = time.monotonic() + 150
    while not check():
        assert time.monotonic() < deadline, "the workers did not start"
        time.sleep(0.2)


RECORD = """
import sys
from api.ops.metrics import REQUEST_SECONDS
for _ in range(int(sys.argv[1])):
    REQUEST_SECONDS.labels("GET", "/api/v1/terms", "200").observe(0.01)
"""
SCRAPE = "from api.ops.metrics import exposition; import sys; sys.stdout.write(exposition().decode())"


def test_processes_sharing_the_directory_are_added_up(tmp_path):
    """Deterministic: two processes record, a third scrapes, as two workers and the one answering the scrape."""
    env = {"PATH": "/usr/bin:/bin", "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    for count in ("3", "4"):
        subprocess.run([sys.executable, "-c", RECORD, count], env=env, check=True, timeout=60)  # noqa: S603
    scrape = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SCRAPE], env=env, check=True, timeout=60, capture_output=True, text=True
    ).stdout
    name = "ipoteka_api_request_duration_seconds_count"
    assert value(scrape, name, method="GET", route="/api/v1/terms", status="200") == 7


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
        _wait_for(lambda: log.read_text().count("Application startup complete") == 2)  # both workers serve
        with ThreadPoolExecutor(8) as pool:  # at once, on connections of their own, so both workers may take some
            answers = list(pool.map(lambda _: httpx.get(f"{base}/api/v1/terms", headers=USER), range(REQUESTS)))
        [status] = {str(answer.status_code) for answer in answers}  # 401: no service token, timed all the same
        name = "ipoteka_api_request_duration_seconds_count"
        for _ in range(10):  # whichever worker answers the scrape counts every worker's requests
            scrape = httpx.get(f"{base}/metrics", headers={"Connection": "close"}).text
            assert value(scrape, name, method="GET", route="/api/v1/terms", status=status) == REQUESTS
            assert value(scrape, "ipoteka_queues_read") == 1
            httpx.get(f"{base}/readyz", headers={"Connection": "close"})
        assert not (metrics / "counter_999.db").exists()
    finally:
        server.terminate()
        server.wait(timeout=20)
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    access = [line["message"] for line in lines if line["logger"] == "uvicorn.access"]
    assert sum("/api/v1/terms" in message for message in access) == REQUESTS
    assert not any("/metrics" in message or "/readyz" in message or "/healthz" in message for message in access)
    assert any(line["logger"] == "uvicorn.error" for line in lines)
