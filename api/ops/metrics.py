"""The backend's Prometheus instruments, by name, for any module to count with, and the registry a scrape reads.

Counters and histograms live in the process; under several uvicorn workers set `PROMETHEUS_MULTIPROC_DIR` (`ipoteka
api --workers N` does it itself) and a scrape of any worker adds up every worker's files. The queue figures (outbox,
relay tasks, support cases) are read from the database at each scrape (`api/ops/queues.py`), so any worker gives the
same answer and they are never in the shared files.
"""

import os

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

#: Every answer the backend gives, by method, route template (`/api/v1/me/loans/{loan_id}/summary`, never the path
#: with its ids) and status code.
REQUEST_SECONDS = Histogram(
    "ipoteka_api_request_duration_seconds",
    "Time the backend took to answer a request, by route template.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)

#: Requests run again because their database connection was lost under them (api/ops/retry.py), by method and route
#: template; `outcome` is `retried` (run again) or `gave_up` (lost again on the last attempt, or not safe to repeat).
DB_RETRIES = Counter(
    "ipoteka_api_lost_connection_requests_total",
    "Requests whose database connection was lost under them, by what was done.",
    ["method", "route", "outcome"],
)

#: Requests run again because SQLite refused them its write lock (api/ops/retry.py), as `DB_RETRIES` counts them.
DB_BUSY_RETRIES = Counter(
    "ipoteka_api_database_busy_requests_total",
    "Requests SQLite refused its write lock, by what was done.",
    ["method", "route", "outcome"],
)


def process_registry() -> CollectorRegistry:
    """This process's instruments, or every worker's when they share a multiprocess directory."""
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        return registry
    return REGISTRY


def exposition(*extra: CollectorRegistry) -> bytes:
    """The text a scrape gets: the process instruments, then the registries read for this scrape."""
    return b"".join(generate_latest(registry) for registry in (process_registry(), *extra))
