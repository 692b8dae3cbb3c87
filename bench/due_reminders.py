"""Benchmark: selecting due reminders among a million loans in PostgreSQL, against a count(*) over the loans.

Usage: python -m bench.due_reminders [--database-url URL] [--loans 1000000] [--notifications N] [--repeat 3]
                                     [--refill] [--explain]
Fills a scratch database of its own (created and migrated here; set-based SQL; kept for the next run while its loan
and outbox counts match) with loans, their borrowers, insurance policies and an outbox, then times, through SQLAlchemy
on asyncpg as the backend runs them:
- the planner's selection (`planner.due_loans`) for the first run of the day: every time zone past midnight at once,
  the heaviest run there is; `--repeat` times;
- the same selection for a later run that day, once those loans are marked seen to;
- planning (reminders computed, enqueued, loans marked) the first 2,000 selected loans, then rolled back: what a
  loan costs beyond its selection, and so roughly what the whole first run takes;
- `delivery.claim` of up to 100 due rows, 20 times, at the next noon in Moscow (daytime for nearly every borrower),
  as the scheduler claims every couple of seconds; the rows it touched are put back afterwards;
and, as the baseline, `SELECT count(*) FROM loan`, the floor of touching every loan. Prints median and worst of each
and the selection/baseline ratio. `--explain` also prints the plan of the selection.
"""

import argparse
import asyncio
import statistics
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Row, make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from api.db import create_engine, create_sessionmaker
from api.migrate import upgrade
from api.outbox import delivery, planner
from api.settings import Settings

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/ipoteka_bench_due"
#: Every row the fill makes carries this prefix in its external id, so a database holding anything else is refused.
PREFIX = "DUE-"
CLAIM_LIMIT = 100
CLAIM_RUNS = 20
#: Loans planned (and rolled back) to measure what a loan costs the planner beyond its selection.
PLAN_SAMPLE = 2000
#: Timed runs of the quick counts (the planner's selection takes `--repeat`).
QUICK_RUNS = 5
#: The borrowers' time zones, west to east, and the share of borrowers up to each (cumulative).
ZONES = (
    ("Europe/Kaliningrad", 0.03),
    ("Europe/Moscow", 0.58),
    ("Europe/Samara", 0.63),
    ("Asia/Yekaterinburg", 0.73),
    ("Asia/Omsk", 0.77),
    ("Asia/Novosibirsk", 0.84),
    ("Asia/Krasnoyarsk", 0.89),
    ("Asia/Irkutsk", 0.93),
    ("Asia/Yakutsk", 0.95),
    ("Asia/Vladivostok", 0.98),
    ("Asia/Magadan", 0.99),
    ("Asia/Kamchatka", 1.0),
)

# Borrowers: 80% linked with reminders on (2% of all unreachable: the bot was blocked), 8% linked but opted out,
# 12% never linked; most keep the default days (3 and 1), some chose others; a tenth keep shorter daytime hours.
FILL_BORROWERS = """
INSERT INTO borrower (id, external_id, last_name, first_name, middle_name, phone, birth_date, language, time_zone,
    telegram_user_id, linked_at, personal_data_consent_at, reminders_enabled, reminder_days_ahead,
    daytime_start, daytime_end, unreachable_since, created_at)
SELECT g, :prefix || 'B' || g,
    (ARRAY['Иванов', 'Смирнова', 'Кузнецов', 'Попова', 'Васильев', 'Петрова', 'Соколов'])[1 + g % 7],
    (ARRAY['Алексей', 'Мария', 'Дмитрий', 'Анна', 'Сергей', 'Елена'])[1 + g % 6],
    CASE WHEN g % 10 <> 0 THEN (ARRAY['Иванович', 'Петровна', 'Сергеевич'])[1 + g % 3] END,
    '+7900' || lpad(g::text, 7, '0'),
    DATE '1960-01-01' + (g::bigint * 7919 % 14600)::int,
    CASE WHEN g % 20 = 0 THEN 'en' ELSE 'ru' END,
    (CAST(:zones AS text[]))[1 + width_bucket(r_zone, CAST(:zone_bounds AS float8[]))],
    CASE WHEN r_link < 0.88 THEN 7000000000 + g END,
    CASE WHEN r_link < 0.88 THEN now() - r_link * interval '1000 days' END,
    now() - interval '3 years',
    r_link < 0.80,
    (CASE WHEN r_days < 0.70 THEN '[3, 1]' WHEN r_days < 0.85 THEN '[1]' WHEN r_days < 0.95 THEN '[7, 3, 1]'
        ELSE '[14, 3]' END)::json,
    CASE WHEN r_hours < 0.9 THEN TIME '09:00' ELSE TIME '10:00' END,
    CASE WHEN r_hours < 0.9 THEN TIME '21:00' ELSE TIME '20:00' END,
    CASE WHEN r_link < 0.02 THEN now() - interval '40 days' END,
    now() - interval '5 years'
FROM (
    SELECT g, random() AS r_link, random() AS r_zone, random() AS r_days, random() AS r_hours
    FROM generate_series(1, :borrowers) AS g
) AS draw
"""

# Loans: a tenth of the borrowers hold two; signed over the last ten years (a few this month), payment days 1-28, 95%
# active. The planner's next look at each is as a run after midnight finds it: today for a loan with a payment due
# yesterday, today, tomorrow or in three days (the default days: 3 and 1 before, the day itself, arrears the day
# after), a later day of the coming four weeks for the rest.
FILL_LOANS = """
INSERT INTO loan (id, external_id, borrower_id, contract_number, contract_date, principal, rate_percent, term_months,
    first_payment_date, payment_day, status, closed_on, property_address, property_is_only_home, created_at,
    reminders_next_on)
SELECT g, :prefix || 'L' || g, (g - 1) % :borrowers + 1, 'ИК-' || g, signed,
    round((1500000 + r_amount * 13500000)::numeric, -3), round((5.9 + r_rate * 10)::numeric, 2), term,
    make_date(extract(year FROM first_month)::int, extract(month FROM first_month)::int, payment_day),
    payment_day,
    CASE WHEN r_closed < 0.05 THEN 'closed' ELSE 'active' END,
    CASE WHEN r_closed < 0.05 THEN signed + ((current_date - signed) * r_closed * 20)::int END,
    'г. Москва, ул. Тестовая, д. ' || (g % 200 + 1),
    r_amount < 0.9,
    signed::timestamptz,
    CASE WHEN payment_day IN (
            SELECT extract(day FROM current_date + ahead)::int FROM unnest(ARRAY[-1, 0, 1, 3]) AS ahead
        ) THEN current_date ELSE current_date + 1 + floor(random() * 27)::int END
FROM (
    SELECT *, date_trunc('month', signed + interval '1 month') AS first_month
    FROM (
        SELECT g, current_date - floor(random() * 3680)::int AS signed, 1 + floor(random() * 28)::int AS payment_day,
            random() AS r_amount, random() AS r_rate, random() AS r_closed,
            (ARRAY[120, 180, 240, 300, 360])[1 + floor(random() * 5)::int] AS term
        FROM generate_series(1, :loans) AS g
    ) AS draw
) AS dated
"""

# Policies: property cover on every loan, life on 45%, title on 10%, expiring over the coming year (some lapsed
# lately); half of those expiring within a month of today, or lapsed, were renewed already.
FILL_POLICIES = """
INSERT INTO insurance_policy (external_id, loan_id, kind, insurer, policy_number, starts_on, expires_on, premium,
    created_at)
SELECT :prefix || 'P' || kind || '-' || g, g, kind, 'АО «Страховая»', 'POL-' || kind || '-' || g,
    expires - 365, expires, round((5000 + random() * 40000)::numeric, 2), now()
FROM (
    SELECT g, kind, share, current_date - 20 + floor(random() * 365)::int AS expires, random() AS r_has
    FROM generate_series(1, :loans) AS g
    CROSS JOIN (VALUES ('property', 1.0), ('life', 0.45), ('title', 0.10)) AS kinds(kind, share)
) AS draw
WHERE r_has < share
"""
FILL_RENEWALS = """
INSERT INTO insurance_policy (external_id, loan_id, kind, insurer, policy_number, starts_on, expires_on, premium,
    created_at)
SELECT :prefix || 'R' || id, loan_id, kind, insurer, policy_number || '-R', expires_on, expires_on + 365, premium, now()
FROM insurance_policy
WHERE expires_on BETWEEN current_date - 20 AND current_date + 30 AND random() < 0.5
"""

# The outbox: one row per loan and past month, mostly sent or cancelled; 0.5% pending and due now, 1% pending for
# later, 1% failed. Reminders mostly, a few status messages.
FILL_NOTIFICATIONS = """
INSERT INTO notification (dedupe_key, borrower_id, loan_id, kind, due_date, payload, not_before, status, attempts,
    sent_at, last_error, created_at)
SELECT
    CASE WHEN kind = 'payment_due' THEN kind || ':' || loan_id || ':' || due || ':' || 3
        WHEN kind IN ('payment_overdue', 'insurance_expiry') THEN kind || ':' || loan_id || ':' || due
        ELSE kind || ':' || n END,
    borrower_id, loan_id, kind, due,
    json_build_object('loan_id', loan_id, 'due_date', due, 'amount', '49300.88', 'days_before', 3),
    not_before, status,
    CASE WHEN status = 'pending' THEN 0 WHEN status = 'failed' THEN 3 ELSE 1 END,
    CASE WHEN status = 'sent' THEN not_before + r_time * interval '10 minutes' END,
    CASE WHEN status = 'failed' THEN 'Forbidden: bot was blocked by the user' END,
    not_before - interval '1 hour'
FROM (
    SELECT *,
        CASE WHEN status = 'pending' THEN current_date + 3 + cycle ELSE month_due END AS due,
        CASE WHEN r_status < 0.005 THEN now() - r_time * interval '2 hours'
            WHEN r_status < 0.015 THEN now() + r_time * interval '20 hours'
            ELSE month_due - 3 + TIME '06:00' END AS not_before
    FROM (
        SELECT n, loan_id, cycle, r_status, r_time, loan.borrower_id,
            (date_trunc('month', current_date) - (cycle + 1) * interval '1 month')::date + loan.payment_day - 1
                AS month_due,
            CASE WHEN r_kind < 0.80 THEN 'payment_due' WHEN r_kind < 0.88 THEN 'payment_overdue'
                WHEN r_kind < 0.95 THEN 'insurance_expiry' WHEN r_kind < 0.97 THEN 'certificate_ready'
                WHEN r_kind < 0.99 THEN 'holiday_decided' ELSE 'insurance_document_decided' END AS kind,
            CASE WHEN r_status < 0.015 THEN 'pending' WHEN r_status < 0.025 THEN 'failed'
                WHEN r_status < 0.08 THEN 'cancelled' ELSE 'sent' END AS status
        FROM (
            SELECT n, (n - 1) % :loans + 1 AS loan_id, (n - 1) / :loans AS cycle,
                random() AS r_kind, random() AS r_status, random() AS r_time
            FROM generate_series(1, :notifications) AS n
        ) AS draw
        JOIN loan ON loan.id = draw.loan_id
    ) AS drawn
) AS timed
"""

FILL = (
    ("borrowers", FILL_BORROWERS),
    ("loans", FILL_LOANS),
    ("insurance policies", FILL_POLICIES),
    ("renewed policies", FILL_RENEWALS),
    ("notifications", FILL_NOTIFICATIONS),
)
FILLED_TABLES = ("borrower", "loan", "insurance_policy", "notification")

#: The filled tables' foreign keys, unique constraints and plain indexes (primary keys stay): the fill drops them and
#: builds them again afterwards in the same transaction, which is several times faster than growing them row by row.
SECONDARY = """
SELECT con.conrelid::regclass::text AS table_name, con.conname AS name, con.contype::text AS kind,
    pg_get_constraintdef(con.oid) AS definition
FROM pg_constraint AS con
WHERE con.conrelid::regclass::text = ANY(CAST(:tables AS text[])) AND con.contype IN ('f', 'u')
UNION ALL
SELECT ix.tablename, ix.indexname, 'i', ix.indexdef
FROM pg_indexes AS ix
WHERE ix.schemaname = current_schema() AND ix.tablename = ANY(CAST(:tables AS text[]))
    AND NOT EXISTS (
        SELECT 1 FROM pg_constraint AS con WHERE con.conindid = format('%I.%I', ix.schemaname, ix.indexname)::regclass
    )
"""


async def ensure_database(url: str) -> None:
    """Create the benchmark's database if it does not exist yet (through the server's `postgres` database)."""
    target = make_url(url)
    admin = create_async_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            exists = await conn.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
            )
            if not exists:
                await conn.exec_driver_sql(f'CREATE DATABASE "{target.database}"')
    finally:
        await admin.dispose()


async def table_counts(engine: AsyncEngine) -> dict[str, int]:
    async with engine.connect() as conn:
        return {table: await conn.scalar(text(f"SELECT count(*) FROM {table}")) for table in FILLED_TABLES}  # noqa: S608


async def drop_secondary(conn: AsyncConnection) -> list[Row]:
    """Drop the filled tables' foreign keys, unique constraints and plain indexes; their definitions, to restore."""
    secondary = (await conn.execute(text(SECONDARY), {"tables": list(FILLED_TABLES)})).all()
    for item in sorted(secondary, key=lambda item: "fui".index(item.kind)):  # foreign keys before what they rely on
        if item.kind == "i":
            await conn.exec_driver_sql(f'DROP INDEX "{item.name}"')
        else:
            await conn.exec_driver_sql(f'ALTER TABLE {item.table_name} DROP CONSTRAINT "{item.name}"')
    return secondary


async def restore_secondary(conn: AsyncConnection, secondary: list[Row]) -> None:
    for item in sorted(secondary, key=lambda item: "iuf".index(item.kind)):
        if item.kind == "i":
            await conn.exec_driver_sql(item.definition)
        else:
            await conn.exec_driver_sql(f'ALTER TABLE {item.table_name} ADD CONSTRAINT "{item.name}" {item.definition}')


async def fill(engine: AsyncEngine, *, loans: int, notifications: int) -> None:
    """Empty the benchmark's tables and fill them with set-based SQL in one transaction, then VACUUM ANALYZE them."""
    async with engine.begin() as conn:
        foreign = await conn.scalar(
            text(
                "SELECT (SELECT count(*) FROM borrower WHERE external_id NOT LIKE :prefix)"
                " + (SELECT count(*) FROM loan WHERE external_id NOT LIKE :prefix)"
            ),
            {"prefix": PREFIX + "%"},
        )
        if foreign:
            raise SystemExit(f"{engine.url.database} holds borrowers or loans this benchmark did not make; refusing")
        await conn.exec_driver_sql(f"TRUNCATE {', '.join(FILLED_TABLES)} RESTART IDENTITY CASCADE")
        await conn.exec_driver_sql("SET LOCAL maintenance_work_mem = '256MB'")
        secondary = await drop_secondary(conn)
        params = {
            "loans": loans,
            "borrowers": loans - loans // 10,
            "notifications": notifications,
            "prefix": PREFIX,
            "zones": [zone for zone, _ in ZONES],
            "zone_bounds": [upto for _, upto in ZONES[:-1]],
        }
        for name, statement in FILL:
            started = time.perf_counter()
            result = await conn.execute(text(statement), params)
            print(f"  {name:20} {result.rowcount:>10,} rows in {time.perf_counter() - started:5.1f} s", flush=True)
        for table in ("borrower", "loan"):
            await conn.exec_driver_sql(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))")  # noqa: S608
        started = time.perf_counter()
        await restore_secondary(conn, secondary)
        print(
            f"  {'indexes, keys':20} {len(secondary):>10} built in {time.perf_counter() - started:5.1f} s", flush=True
        )
    started = time.perf_counter()
    await vacuum(engine, FILLED_TABLES)
    print(f"  {'vacuum analyze':20} {'':>10}    in {time.perf_counter() - started:5.1f} s", flush=True)


async def vacuum(engine: AsyncEngine, tables: tuple[str, ...]) -> None:
    async with engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.exec_driver_sql(f"VACUUM ANALYZE {', '.join(tables)}")


async def prepare(engine: AsyncEngine, *, loans: int, notifications: int, refill: bool) -> dict[str, int]:
    counts = await table_counts(engine)
    if refill or counts["loan"] != loans or counts["notification"] != notifications:
        print(f"filling {engine.url.database} with {loans:,} loans and {notifications:,} notifications", flush=True)
        started = time.perf_counter()
        await fill(engine, loans=loans, notifications=notifications)
        print(f"filled in {time.perf_counter() - started:.1f} s", flush=True)
        counts = await table_counts(engine)
    else:
        print(f"reusing {engine.url.database} (--refill to fill it again)")
    return counts


async def select_due(sessions: async_sessionmaker[AsyncSession], now: datetime) -> list[int]:
    """The loans a planner run at `now` looks at, selected as the run selects them."""
    async with sessions() as session:
        return await planner.due_loans(session, now=now)


async def look_later(sessions: async_sessionmaker[AsyncSession], ids: list[int], *, days: int) -> None:
    """Set these loans' next look `days` from today (1: as a run leaves them; 0: back as the fill made them)."""
    async with sessions() as session:
        await session.execute(
            text(
                "UPDATE loan SET reminders_next_on = current_date + CAST(:days AS int)"
                " WHERE id = ANY(CAST(:ids AS bigint[]))"
            ),
            {"days": days, "ids": ids},
        )
        await session.commit()


async def plan_sample(
    sessions: async_sessionmaker[AsyncSession], now: datetime, ids: list[int]
) -> tuple[float, Counter[str]]:
    """Plan the first PLAN_SAMPLE of these loans as a run does (their reminders computed and enqueued, the loans
    marked), then roll it all back; the seconds a loan took and what was planned."""
    sample = ids[:PLAN_SAMPLE]
    counts: Counter[str] = Counter()
    async with sessions() as session:
        started = time.perf_counter()
        for start in range(0, len(sample), planner.BATCH):
            await planner.plan_loans(session, counts, sample[start : start + planner.BATCH], now=now, since=None)
        elapsed = time.perf_counter() - started
        await session.rollback()
    return elapsed / max(len(sample), 1), counts


async def count_loans(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as session:
        return await session.scalar(text("SELECT count(*) FROM loan"))


def claim_moment(now: datetime) -> datetime:
    """The next noon in Moscow (09:00 UTC): daytime for nearly every borrower, so claims lease rather than defer."""
    noon = now.replace(hour=9, minute=0, second=0, microsecond=0)
    return noon if noon >= now else noon + timedelta(days=1)


async def claim_rounds(
    sessions: async_sessionmaker[AsyncSession], now: datetime, runs: int
) -> tuple[list[float], int, int]:
    """Time `runs` claims of up to CLAIM_LIMIT rows at `now`, then put every row they touched back as it was.

    Returns the times, the rows leased in all, and the pending rows that were due (some are for borrowers who cannot
    be sent to, some go back to wait for the borrower's morning)."""
    async with sessions() as session:
        touched = (
            await session.execute(
                text(
                    "SELECT id, not_before, attempts FROM notification WHERE status = 'pending' AND not_before <= :now"
                ),
                {"now": now},
            )
        ).all()
    try:
        times, leased = [], 0
        for _ in range(runs):
            async with sessions() as session:
                started = time.perf_counter()
                leased += len(await delivery.claim(session, limit=CLAIM_LIMIT, lease_seconds=60, now=now))
                times.append(time.perf_counter() - started)
        return times, leased, len(touched)
    finally:
        async with sessions() as session:
            await session.execute(
                text(
                    "UPDATE notification SET status = 'pending', not_before = old.not_before, attempts = old.attempts,"
                    " claimed_until = NULL"
                    " FROM unnest(CAST(:ids AS bigint[]), CAST(:not_befores AS timestamptz[]),"
                    " CAST(:attempts AS smallint[])) AS old(id, not_before, attempts)"
                    " WHERE notification.id = old.id"
                ),
                {
                    "ids": [row.id for row in touched],
                    "not_befores": [row.not_before for row in touched],
                    "attempts": [row.attempts for row in touched],
                },
            )
            await session.commit()


async def timed(runs: int, run: Callable[[], Awaitable[object]]) -> tuple[list[float], object]:
    """`runs` timed runs after an unmeasured one; the times and the last result."""
    result = await run()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = await run()
        times.append(time.perf_counter() - started)
    return times, result


async def explain(sessions: async_sessionmaker[AsyncSession], now: datetime) -> None:
    async with sessions() as session:
        query = planner.due_loans_query(await planner.zones_by_date(session, now=now))
        sql = str(query.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
        plan = (await session.execute(text("EXPLAIN (ANALYZE, BUFFERS) " + sql))).scalars().all()
    print("\n-- the due-reminder selection\n" + "\n".join(plan) + "\n")


def figures(times: list[float]) -> str:
    return f"median {statistics.median(times) * 1000:8.1f} ms   worst {max(times) * 1000:8.1f} ms"


async def run(args: argparse.Namespace) -> None:
    await ensure_database(args.database_url)
    settings = Settings(mode="test", database_url=args.database_url)
    await asyncio.to_thread(upgrade, settings)
    engine = create_engine(settings)
    sessions = create_sessionmaker(engine)
    try:
        counts = await prepare(engine, loans=args.loans, notifications=args.notifications, refill=args.refill)
        now = datetime.now(UTC)
        if args.explain:
            await explain(sessions, now)
        baseline, total = await timed(QUICK_RUNS, lambda: count_loans(sessions))
        selection, due = await timed(args.repeat, lambda: select_due(sessions, now))
        per_loan, planned = await plan_sample(sessions, now, due)
        await look_later(sessions, due, days=1)
        try:
            later, left = await timed(args.repeat, lambda: select_due(sessions, now))
        finally:
            await look_later(sessions, due, days=0)
            await vacuum(engine, ("loan",))  # the next run finds the table as the fill left it
        moment = claim_moment(now)
        claims, leased, pending = await claim_rounds(sessions, moment, CLAIM_RUNS)
    finally:
        await engine.dispose()
    print(
        f"PostgreSQL; {counts['loan']:,} loans of {counts['borrower']:,} borrowers, "
        f"{counts['insurance_policy']:,} policies, {counts['notification']:,} outbox rows; now {now:%Y-%m-%d %H:%M} UTC"
    )
    print(
        f"{QUICK_RUNS} counts and {args.repeat} selections, each after a warm-up; "
        f"claims: {CLAIM_RUNS} at {moment:%H:%M} UTC (noon in Moscow)"
    )
    print(f"{'count(*) over all loans (baseline)':46} {figures(baseline)}   ({total:,} loans)")
    first_run = "due-reminder selection, first run of the day"
    print(f"{first_run:46} {figures(selection)}   ({len(due):,} loans; goal: under 2 s)")
    print(f"{'the same, a later run that day':46} {figures(later)}   ({len(left):,} loans)")
    print(
        f"{'planning the selected loans (reminders made)':46} {per_loan * 1000:8.2f} ms a loan"
        f" over {min(len(due), PLAN_SAMPLE):,} ({dict(planned)}):"
        f" about {per_loan * len(due):.0f} s for all {len(due):,}"
    )
    print(
        f"{f'claim of up to {CLAIM_LIMIT} due outbox rows':46} {figures(claims)}   "
        f"({leased / len(claims):.0f} rows leased a claim; {pending:,} pending rows due)"
    )
    ratio = statistics.median(selection) / statistics.median(baseline)
    print(f"ratio selection/baseline: {ratio:.1f}× the time of counting every loan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL, help="a PostgreSQL database the benchmark may own")
    parser.add_argument("--loans", type=int, default=1_000_000)
    parser.add_argument("--notifications", type=int, default=None, help="outbox rows; default: as many as loans")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of the planner's selection")
    parser.add_argument("--refill", action="store_true", help="fill the database again even if its counts match")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of the selection")
    args = parser.parse_args()
    if args.notifications is None:
        args.notifications = args.loans
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
