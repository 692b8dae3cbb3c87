"""The scheduler's Prometheus instruments, by name; served on `SCHEDULER_METRICS_PORT` when it is set
(`prometheus_client.start_http_server`, by `scheduler/runner.py`). The scheduler has no other HTTP server: it is
watched by this port answering, `ipoteka_scheduler_leading` (one instance in all leads) and its heartbeat."""

from prometheus_client import Counter, Gauge

#: Every push the sender finished with, by notification kind and outcome (`scheduler.sender.Outcome`: `sent`,
#: `retry` (Telegram or the network failed; the backend schedules it again), `unreachable`, `gave_up`,
#: `not_started`).
PUSHES = Counter("ipoteka_scheduler_pushes_total", "Pushes by kind and outcome.", ["kind", "outcome"])
#: Pushes Telegram answered with 429 (each paused every sender for its `retry_after`; also counted as `retry`).
PUSHES_429 = Counter("ipoteka_scheduler_push_429_total", "Pushes Telegram refused with 429 Too Many Requests.")
LEADING = Gauge("ipoteka_scheduler_leading", "1 while this scheduler holds the leader lock, else 0.")
HEARTBEAT = Gauge(
    "ipoteka_scheduler_heartbeat_timestamp_seconds",
    "When this scheduler last checked its leadership (Unix time): it stalls if this stops moving.",
)
