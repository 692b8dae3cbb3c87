"""Putting the test database back, before each test, to empty or to the demo rows, rewriting only what changed.

Emptying all tables and copying the 1,800 demo rows back cost 80 ms a test on SQLite and up to a second on
PostgreSQL (TRUNCATE). Instead, the test schema has a trigger on every table that notes the table's name in
`test_written_tables` whenever a row goes in, changes or goes; a reset rewrites only the tables noted since the last
one (and, when switching between empty and the demo rows, the tables the demo fills), with the foreign keys off
while it does (each table ends as a whole snapshot, so they hold again at the end), and sets every id sequence to
where the snapshot leaves it, so ids count from the same number in every test.

The triggers and their table are the tests' own: they are added after `create_all`, never by a migration.
"""

from sqlalchemy import Column, MetaData, String, Table, insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from api.models import Base

#: The tables written since the last reset (the tests' own; names from the metadata throughout).
WRITTEN = Table("test_written_tables", MetaData(), Column("name", String(100), primary_key=True))

#: The demo rows of every table, captured once a process from the first seeding (filled by tests/bot/conftest.py).
DEMO_ROWS: dict[str, list[dict]] = {}

#: What the database held after the last reset in this process: "empty", "demo", or None when unknown.
_held: list[str | None] = [None]


async def install_tracking(conn: AsyncConnection) -> None:
    """The written-tables note and a trigger per table feeding it (on a freshly created schema)."""
    await conn.run_sync(WRITTEN.create)
    if conn.dialect.name == "postgresql":
        await conn.execute(
            text(
                f"CREATE FUNCTION note_written() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "  # noqa: S608
                f"INSERT INTO {WRITTEN.name} VALUES (TG_TABLE_NAME) ON CONFLICT DO NOTHING; RETURN NULL; END $$"
            )
        )
    for table in Base.metadata.sorted_tables:
        if conn.dialect.name == "postgresql":
            statements = [
                f"CREATE TRIGGER note_written AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table.name} "
                "FOR EACH STATEMENT EXECUTE FUNCTION note_written()"
            ]
        else:
            statements = [
                f"CREATE TRIGGER note_{event.lower()}_{table.name} AFTER {event} ON {table.name} "  # noqa: S608
                f"BEGIN INSERT OR IGNORE INTO {WRITTEN.name} VALUES ('{table.name}'); END"
                for event in ("INSERT", "UPDATE", "DELETE")
            ]
        for statement in statements:
            await conn.execute(text(statement))


def forget() -> None:
    """The database was rebuilt or written behind the tracking's back: the next reset rewrites every table."""
    _held[0] = None


async def mark(conn: AsyncConnection, held: str) -> None:
    """The database holds `held` exactly ("empty" or "demo") once `conn`'s transaction commits: nothing written."""
    await conn.execute(WRITTEN.delete())
    _held[0] = held


async def reset(engine: AsyncEngine, *, demo: bool) -> None:
    """Bring the database to the demo rows (which must have been captured) or to empty tables."""
    want = "demo" if demo else "empty"
    snapshot = DEMO_ROWS if demo else {}
    tables = Base.metadata.sorted_tables
    async with engine.connect() as conn:
        written = set((await conn.execute(select(WRITTEN.c.name))).scalars())
        await conn.commit()
        if _held[0] is None:
            stale = {t.name for t in tables}
        elif _held[0] == want:
            stale = written
        else:
            stale = written | {name for name, rows in DEMO_ROWS.items() if rows}
        postgres = conn.dialect.name == "postgresql"
        if not stale and not postgres:  # PostgreSQL's sequences are set in any case: see _set_sequences
            return
        if not postgres:
            await conn.execute(text("PRAGMA foreign_keys=OFF"))  # only outside a transaction
            await conn.commit()
        try:
            async with conn.begin():
                if postgres:  # no foreign-key actions or checks, no triggers, till the commit
                    await conn.execute(text("SET LOCAL session_replication_role = replica"))
                for table in reversed(tables):
                    if table.name in stale:
                        await conn.execute(table.delete())
                for table in tables:
                    if table.name in stale and snapshot.get(table.name):
                        await conn.execute(insert(table), snapshot[table.name])
                if postgres:
                    await _set_sequences(conn, [t for t in tables if "id" in t.c], snapshot)
                await mark(conn, want)
        finally:
            if not postgres:
                await conn.execute(text("PRAGMA foreign_keys=ON"))
                await conn.commit()


async def _set_sequences(conn: AsyncConnection, tables: list[Table], snapshot: dict[str, list[dict]]) -> None:
    """Every id sequence just past the snapshot's highest id (a rolled-back insert may have moved it too)."""
    calls = []
    for table in tables:
        top = max((row["id"] for row in snapshot.get(table.name, [])), default=0)
        sequence = f"pg_get_serial_sequence('{table.name}', 'id')"  # table names from the metadata
        calls.append(f"setval({sequence}, {max(top, 1)}, {'true' if top else 'false'})")
    await conn.execute(text(f"SELECT {', '.join(calls)}"))
