"""Benchmark: the loan-summary call against a bare FastAPI endpoint reading one row, both over HTTP in one run.

Usage: python -m bench.api_balance [--database-url URL] [--seconds 10] [--concurrency 8] [--rounds 4]
Each server runs in its own uvicorn process on 127.0.0.1; the load comes from this process, on one server at a time,
the two taking turns in `--rounds` rounds (so a neighbour's load on a shared machine falls on both alike). Prints
requests/s, p50 and p99 latency of each, the summary/bare throughput ratio, and each server's CPU time per request
(the steadier measure when the machine is shared).
"""

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent

SERVICE_TOKEN = "bench-service-token"
TELEGRAM_USER = 424242


async def seed(database_url: str) -> int:
    """One borrower with the seed's loan and five years of payments; returns the loan id."""
    from sqlalchemy import update

    from api.db import create_engine, create_sessionmaker
    from api.engine import LoanTerms, build_schedule
    from api.integration import service
    from api.integration.schemas import BorrowerUpsert, LoanUpsert, PaymentUpsert
    from api.migrate import upgrade
    from api.models import Borrower
    from api.settings import Settings

    settings = Settings(mode="test", database_url=database_url)
    await asyncio.to_thread(upgrade, settings)
    engine = create_engine(settings)
    async with create_sessionmaker(engine)() as session:
        borrower = BorrowerUpsert(
            last_name="Бенчмарков", first_name="Борис", phone="+79160000001", birth_date=date(1980, 1, 1)
        )
        now = datetime.now(UTC)
        await service.upsert_borrower(session, external_id="BENCH-B", data=borrower, now=now)
        loan = LoanUpsert(
            borrower_external_id="BENCH-B",
            contract_number="BENCH-0001",
            contract_date=date(2021, 3, 10),
            principal=Decimal("4000000.00"),
            rate_percent=Decimal("12.5"),
            term_months=180,
            first_payment_date=date(2021, 4, 10),
            property_address="г. Москва",
            repayment_account="40817810400000000001",
        )
        upserted = await service.upsert_loan(session, external_id="BENCH-L", data=loan, bik=settings.bank.bik, now=now)
        loan_id = upserted.id
        terms = LoanTerms(
            principal=loan.principal, rate_percent=loan.rate_percent, months=180, first_payment_date=date(2021, 4, 10)
        )
        for row in build_schedule(terms).installments[:60]:
            payment = PaymentUpsert(loan_external_id="BENCH-L", paid_on=row.due_date, amount=row.payment)
            await service.upsert_payment(session, external_id=f"BENCH-P{row.number}", data=payment, now=now)
        await session.execute(
            update(Borrower).where(Borrower.external_id == "BENCH-B").values(telegram_user_id=TELEGRAM_USER)
        )
        await session.commit()
    await engine.dispose()
    return loan_id


def cpu_seconds(process: subprocess.Popen) -> float:
    fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime, all threads


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def server(factory: str, database_url: str):
    port = free_port()
    env = os.environ | {
        "DATABASE_URL": database_url,
        "SERVICE_TOKEN": SERVICE_TOKEN,
        "MODE": "test",
    }
    command = [sys.executable, "-m", "uvicorn", factory, "--factory", "--port", str(port), "--log-level", "warning"]
    process = subprocess.Popen(command, env=env, cwd=ROOT)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"{factory} did not start")
        yield f"http://127.0.0.1:{port}", process
    finally:
        process.terminate()
        process.wait(timeout=10)


async def load(url: str, path: str, *, seconds: float, concurrency: int) -> tuple[float, list[float]]:
    headers = {"Authorization": f"Bearer {SERVICE_TOKEN}", "X-Telegram-User-Id": str(TELEGRAM_USER)}
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits) as client:
        for _ in range(20):  # warm up
            (await client.get(path)).raise_for_status()
        stop_at = time.perf_counter() + seconds

        async def worker() -> None:
            while time.perf_counter() < stop_at:
                started = time.perf_counter()
                response = await client.get(path)
                response.raise_for_status()
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return elapsed, latencies


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=4, help="turns each endpoint takes, seconds/rounds each")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        database_url = args.database_url or f"sqlite+aiosqlite:///{tmp}/bench.db"
        loan_id = asyncio.run(seed(database_url))
        on = datetime.now(UTC).date().isoformat()
        endpoints = (
            ("bare endpoint (one row)", "bench.bare_app:create_bare_app", f"/loan/{loan_id}"),
            ("loan summary", "api.app:create_app", f"/api/v1/me/loans/{loan_id}/summary?on={on}"),
        )
        elapsed = dict.fromkeys((name for name, _, _ in endpoints), 0.0)
        cpu = dict.fromkeys(elapsed, 0.0)
        latencies: dict[str, list[float]] = {name: [] for name, _, _ in endpoints}
        with ExitStack() as servers:
            started = {name: servers.enter_context(server(factory, database_url)) for name, factory, _ in endpoints}
            for _ in range(args.rounds):
                for name, _, path in endpoints:
                    url, process = started[name]
                    cpu_before = cpu_seconds(process)
                    took, times = asyncio.run(
                        load(url, path, seconds=args.seconds / args.rounds, concurrency=args.concurrency)
                    )
                    cpu[name] += cpu_seconds(process) - cpu_before  # the warm-up's 20 requests included
                    elapsed[name] += took
                    latencies[name] += times
    dialect = database_url.split(":", 1)[0]
    print(
        f"database: {dialect}; {args.seconds:.0f} s per endpoint in {args.rounds} turns, "
        f"{args.concurrency} concurrent clients"
    )
    rates = {name: len(latencies[name]) / elapsed[name] for name in elapsed}
    for name, rate in rates.items():
        print(
            f"{name:26} {rate:8.1f} req/s   p50 {percentile(latencies[name], 50):6.2f} ms   "
            f"p99 {percentile(latencies[name], 99):6.2f} ms   ({len(latencies[name])} requests)"
        )
    summary, bare = "loan summary", "bare endpoint (one row)"
    print(f"ratio summary/bare: {rates[summary] / rates[bare]:.2f} of the bare endpoint's throughput")
    per_request = {name: cpu[name] / (len(latencies[name]) + 20 * args.rounds) * 1000 for name in cpu}
    print(
        f"server CPU per request: bare {per_request[bare]:.2f} ms, summary {per_request[summary]:.2f} ms "
        f"(ratio bare/summary {per_request[bare] / per_request[summary]:.2f})"
    )


if __name__ == "__main__":
    main()
