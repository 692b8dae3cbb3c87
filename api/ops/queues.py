"""The queue figures a scrape reads from the database: the outbox's depth and its oldest due row's age, the relay
tasks waiting for the bot, the active support cases by age. Each is one aggregate query on an indexed column; they
are read anew at each scrape (never kept by a worker), so any backend worker answers the same."""

import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime, timedelta

from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector, CollectorRegistry
from sqlalchemy import ColumnElement, and_, case, func, select, true
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import Notification, RelayTask, SupportCase
from api.models.notification import NotificationStatus
from api.models.relay_task import RelayTaskStatus
from api.models.support import CaseStatus

log = logging.getLogger(__name__)
#: A reader of figures: the session and the scrape's time in, finished metric families out.
Reader = Callable[[AsyncSession, datetime], Awaitable[list[Metric]]]
#: The support cases' age buckets: (label, upper bound); the last has none.
CASE_AGES: tuple[tuple[str, timedelta | None], ...] = (
    ("lt_1h", timedelta(hours=1)),
    ("1h_4h", timedelta(hours=4)),
    ("4h_1d", timedelta(days=1)),
    ("1d_3d", timedelta(days=3)),
    ("gt_3d", None),
)


async def outbox(session: AsyncSession, now: datetime) -> list[Metric]:
    waiting = (NotificationStatus.PENDING, NotificationStatus.CLAIMED)
    by_status = dict(
        (
            await session.execute(
                select(Notification.status, func.count())
                .where(Notification.status.in_(waiting))
                .group_by(Notification.status)
            )
        ).all()
    )
    due, oldest = (
        await session.execute(
            select(func.count(), func.min(Notification.not_before)).where(
                Notification.status.in_(waiting), Notification.not_before <= now
            )
        )
    ).one()
    depth = GaugeMetricFamily(
        "ipoteka_outbox_depth", "Notifications not yet sent, by status (pending or claimed).", labels=["status"]
    )
    for status in waiting:
        depth.add_metric([status.value], by_status.get(status, 0))
    return [
        depth,
        GaugeMetricFamily("ipoteka_outbox_due", "Notifications due now and not yet sent.", value=due),
        GaugeMetricFamily(
            "ipoteka_outbox_oldest_due_age_seconds",
            "How long the oldest notification due has waited past its time (0 when none is due).",
            value=_age(now, oldest),
        ),
    ]


async def relay_tasks(session: AsyncSession, now: datetime) -> list[Metric]:
    waiting = (RelayTaskStatus.PENDING, RelayTaskStatus.CLAIMED)
    rows = dict(
        (
            await session.execute(
                select(RelayTask.status, func.count()).where(RelayTask.status.in_(waiting)).group_by(RelayTask.status)
            )
        ).all()
    )
    oldest = await session.scalar(select(func.min(RelayTask.created_at)).where(RelayTask.status.in_(waiting)))
    depth = GaugeMetricFamily(
        "ipoteka_relay_queue_depth", "Relay tasks the bot has not finished, by status.", labels=["status"]
    )
    for status in waiting:
        depth.add_metric([status.value], rows.get(status, 0))
    return [
        depth,
        GaugeMetricFamily(
            "ipoteka_relay_queue_oldest_age_seconds",
            "How long the oldest unfinished relay task has waited (0 when none).",
            value=_age(now, oldest),
        ),
    ]


async def support_cases(session: AsyncSession, now: datetime) -> list[Metric]:
    buckets = []
    lower = None
    for label, upper in CASE_AGES:
        conditions = []
        if upper is not None:
            conditions.append(SupportCase.created_at > now - upper)
        if lower is not None:
            conditions.append(SupportCase.created_at <= now - lower)
        buckets.append(func.sum(case((_all(conditions), 1), else_=0)).label(label))
        lower = upper
    active = (CaseStatus.OPEN, CaseStatus.TAKEN)
    rows = (
        await session.execute(
            select(SupportCase.status, *buckets).where(SupportCase.status.in_(active)).group_by(SupportCase.status)
        )
    ).all()
    counts = {row[0]: row[1:] for row in rows}
    family = GaugeMetricFamily(
        "ipoteka_support_cases_active",
        "Support cases not closed, by status (open: waiting for staff; taken) and age since opened.",
        labels=["status", "age"],
    )
    for status in active:
        figures = counts.get(status, (0,) * len(CASE_AGES))
        for (label, _upper), count in zip(CASE_AGES, figures, strict=True):
            family.add_metric([status.value, label], int(count or 0))
    return [family]


#: What a scrape reads, in order; another module adds its own reader here (e.g. a durable relay queue of copies).
READERS: list[Reader] = [outbox, relay_tasks, support_cases]


async def read(session: AsyncSession, now: datetime) -> CollectorRegistry:
    """A registry holding this scrape's figures; when the database does not answer, only `ipoteka_queues_read` 0,
    so the process's own instruments are still scraped."""
    try:
        metrics = [metric for reader in READERS for metric in await reader(session, now)]
    except (SQLAlchemyError, OSError) as exc:
        log.warning("the queue figures could not be read: %s", type(exc).__name__)
        metrics = []
    read = GaugeMetricFamily(
        "ipoteka_queues_read",
        "1 when this scrape read the queue figures from the database, else 0.",
        value=int(bool(metrics)),
    )
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Fixed([read, *metrics]))
    return registry


class _Fixed(Collector):
    def __init__(self, metrics: Iterable[Metric]) -> None:
        self._metrics = list(metrics)

    def collect(self) -> Iterable[Metric]:
        return self._metrics


def _age(now: datetime, since: datetime | None) -> float:
    return max((now - since).total_seconds(), 0.0) if since is not None else 0.0


def _all(conditions: list[ColumnElement[bool]]) -> ColumnElement[bool]:
    return and_(*conditions) if conditions else true()
