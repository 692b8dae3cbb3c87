"""The bot's Prometheus instruments, by name (the scheduler's are in `scheduler/metrics.py`). Every module counts
with these; the webhook server's `/metrics` (`bot/app/health.py`) shows them. Labels are fixed names (a dialog's
module, a route template, an outcome), never an id, a chat or a text."""

import re

from prometheus_client import Counter, Gauge, Histogram

#: Every update the dispatcher took, by the dialog whose handler took it (its module under `dialogs/`, e.g.
#: `holiday.wizard`; `none` when no handler did) and outcome: `ok`, `error` (the handler or a middleware failed; the
#: error boundary answered) or `unhandled` (no handler took it, or flood control dropped it).
UPDATES = Counter("ipoteka_bot_updates_total", "Updates handled, by dialog and outcome.", ["dialog", "outcome"])
UPDATE_SECONDS = Histogram(
    "ipoteka_bot_update_duration_seconds",
    "Time from taking an update to the handler's return, backend calls included, by dialog.",
    ["dialog"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
#: Every backend call of the bot's client (the scheduler's too): its method, the route template (`me/loans/{id}/
#: summary`: numbers in the path become `{id}`) and the HTTP status, or `unavailable` when no answer came.
BACKEND_SECONDS = Histogram(
    "ipoteka_backend_call_duration_seconds",
    "Time a backend call took, by method, route template and status.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
#: A relay copy (borrower -> staff topic, staff -> borrower, console reply) by direction and outcome (`sent`,
#: `failed`, `duplicate`, `retried`: Telegram kept failing it, handed back for a later claim); counted by the relay's
#: sender.
RELAY_COPIES = Counter(
    "ipoteka_bot_relay_copies_total", "Relay copies carried out, by direction and outcome.", ["direction", "outcome"]
)
#: An update Telegram delivered again (its `update_id` already handled by a replica), dropped unhandled.
DUPLICATE_UPDATES = Counter("ipoteka_bot_duplicate_updates_total", "Redelivered updates dropped.")
#: Bot API calls refused with 429, by who sent them (`reply`, `relay`, `push`); and the wait for a limiter's permit.
TELEGRAM_429 = Counter("ipoteka_telegram_429_total", "Bot API calls answered 429, by sender.", ["sender"])
PERMIT_WAIT_SECONDS = Histogram(
    "ipoteka_telegram_permit_wait_seconds",
    "Time a sender waited for the rate limiter's permit, by sender.",
    ["sender"],
    buckets=(0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
#: 1 while this process sends on its own share of the budget because Redis cannot be reached (`bot/limits/fallback.py`).
BUDGET_FALLBACK = Gauge(
    "ipoteka_telegram_budget_fallback", "1 while this process sends on its own share of the budget (Redis down)."
)

#: A typed message read as a request (`dialogs/typed/reading.py`): the best intent (`none` when nothing was read) and
#: what the bot did with it (`entered`, `asked`, `switch_offered`, `answered`, `not_understood`, `its_question`: the
#: dialog's own question again, `unlinked`); and the best intent's confidence.
TYPED_REQUESTS = Counter(
    "ipoteka_bot_typed_requests_total", "Typed messages read as requests, by intent and outcome.", ["intent", "outcome"]
)
INTENT_CONFIDENCE = Histogram(
    "ipoteka_bot_intent_confidence",
    "The reader's confidence in the best intent of a typed message, by intent.",
    ["intent"],
    buckets=(0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 0.95, 0.98, 0.99, 1.0),
)

_NUMBER_SEGMENT = re.compile(r"(?<=/)-?\d+(?=/|$)")


def route_template(path: str) -> str:
    """`me/loans/17/summary` -> `me/loans/{id}/summary`: a label per route, never per loan or chat."""
    return _NUMBER_SEGMENT.sub("{id}", "/" + path.lstrip("/"))[1:]
