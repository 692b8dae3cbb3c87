"""Putting the test database back, before each test, to empty or to the demo rows, rewriting only what changed; and
states built on top of those two (a linked borrower, a chat's walk) saved once and loaded again.

Emptying all tables and copying the 1,800 demo rows back cost 80 ms a test on SQLite and up to a second on
PostgreSQL (TRUNCATE). Instead, the test schema has a trigger on every table that notes the table's name in
`test_written_tables` whenever a row goes in, changes or goes, and whether anything but an insert happened. A reset
rewrites only the tables noted since the last one (and, when switching between empty and the demo rows, the tables
the demo fills), with the foreign keys off while it does (each table ends as a whole snapshot, so they hold again at
the end); a table that only had rows added, ids past the snapshot's, loses just those. It sets every id sequence to
where the snapshot leaves it, so ids count from the same number in every test.

A state built from a clean database is `save`d as the rows it added or the whole tables it changed (and where their
sequences stand), and `load`ed into the same clean database in a few statements, noted as written like any test's.

The triggers and their table are the tests' own: they are added after `create_all`, never by a migration.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Boolean, Column, MetaData, String, Table, insert, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from api.models import Base

#: The tables written since the last reset, and whether rows changed or went (not only went in). The tests' own.
WRITTEN = Table(
    "test_written_tables",
    MetaData(),
    Column("name", String(100), primary_key=True),
    Column("changed", Boolean, nullable=False),
)

#: The demo rows of every table, captured once a process from the first seeding (filled by tests/bot/conftest.py).
DEMO_ROWS: dict[str, list[dict]] = {}

#: What the database held after the last reset in this process: "empty", "demo", or None when unknown.
_held: list[str | None] = [None]

_TABLES = {table.name: table for table in Base.metadata.sorted_tables}


async def install_tracking(conn: AsyncConnection) -> None:
    """The written-tables note and a trigger per table feeding it (on a freshly created schema)."""
    await conn.run_sync(WRITTEN.create)
    if conn.dialect.name == "postgresql":
        await conn.execute(
            text(
                f"CREATE FUNCTION note_written() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "  # noqa: S608
                f"INSERT INTO {WRITTEN.name} AS w VALUES (TG_TABLE_NAME, TG_OP <> 'INSERT') "
                "ON CONFLICT (name) DO UPDATE SET changed = w.changed OR excluded.changed; RETURN NULL; END $$"
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
                f"BEGIN INSERT OR {how} INTO {WRITTEN.name} VALUES ('{table.name}', {changed}); END"
                for event, how, changed in (("INSERT", "IGNORE", 0), ("UPDATE", "REPLACE", 1), ("DELETE", "REPLACE", 1))
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


def _top(table: Table, rows: list[dict]) -> int | None:
    """The highest id of `rows` when they hold every id from 1 up to it, so rows added since are those above it."""
    if "id" not in table.c:
        return None
    ids = [row["id"] for row in rows]
    return max(ids, default=0) if len(ids) == max(ids, default=0) else None


async def _written(conn: AsyncConnection) -> dict[str, bool]:
    return {row.name: row.changed for row in await conn.execute(select(WRITTEN))}


async def reset(engine: AsyncEngine, *, demo: bool) -> None:
    """Bring the database to the demo rows (which must have been captured) or to empty tables."""
    want = "demo" if demo else "empty"
    snapshot = DEMO_ROWS if demo else {}
    tables = Base.metadata.sorted_tables
    async with engine.connect() as conn:
        written = await _written(conn)
        await conn.commit()
        if _held[0] is None:
            stale = {t.name for t in tables}
        elif _held[0] == want:
            stale = set(written)
        else:
            stale = set(written) | {name for name, rows in DEMO_ROWS.items() if rows}
        # Tables that only had rows added on top of the snapshot lose those rows, the rest is rewritten whole.
        added = {
            name: top
            for name in stale
            if _held[0] == want
            and not written.get(name, True)
            and (top := _top(_TABLES[name], snapshot.get(name, []))) is not None
        }
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
                    if table.name in added:
                        await conn.execute(table.delete().where(table.c.id > added[table.name]))
                    elif table.name in stale:
                        await conn.execute(table.delete())
                for table in tables:
                    if table.name in stale and table.name not in added and snapshot.get(table.name):
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


# --- states built on a clean database, saved and loaded again --------------------------------------------------


@dataclass(frozen=True)
class Saved:
    """What a build wrote on top of a clean database (`base`, "empty" or "demo")."""

    base: str
    #: Tables the build only added rows to: the rows past the base's ids.
    added: dict[str, list[dict]] = field(default_factory=dict)
    #: Tables the build changed otherwise (or whose ids have gaps): every row.
    whole: dict[str, list[dict]] = field(default_factory=dict)
    #: PostgreSQL: each written table's id sequence as (last value, called).
    sequences: dict[str, tuple[int, bool]] = field(default_factory=dict)

    def values(self) -> list[Any]:
        """Every value the saved rows hold."""
        return [
            value for rows in (*self.added.values(), *self.whole.values()) for row in rows for value in row.values()
        ]

    def swapped(self, column: str, old: Any, new: Any) -> "Saved":
        """The same rows with `column`'s value `old` replaced by `new` (a chat's Telegram id, say)."""

        def swap(tables: dict[str, list[dict]]) -> dict[str, list[dict]]:
            return {
                name: [row | {column: new} if row.get(column, new) == old else row for row in rows]
                for name, rows in tables.items()
            }

        return replace(self, added=swap(self.added), whole=swap(self.whole))


def _base_rows(base: str) -> dict[str, list[dict]]:
    return DEMO_ROWS if base == "demo" else {}


async def clean(engine: AsyncEngine) -> str | None:
    """What the database holds, "empty" or "demo", when nothing was written since the last reset; else None."""
    if _held[0] is None:
        return None
    async with engine.connect() as conn:
        written = await conn.scalar(select(WRITTEN.c.name).limit(1))
    return None if written is not None else _held[0]


async def save(engine: AsyncEngine, base: str) -> Saved:
    """What was written since the database was clean at `base`."""
    added: dict[str, list[dict]] = {}
    whole: dict[str, list[dict]] = {}
    sequences: dict[str, tuple[int, bool]] = {}
    async with engine.connect() as conn:
        for name, changed in (await _written(conn)).items():
            table = _TABLES[name]
            top = None if changed else _top(table, _base_rows(base).get(name, []))
            query = select(table) if top is None else select(table).where(table.c.id > top)
            rows = [dict(row._mapping) for row in await conn.execute(query.order_by(*table.primary_key.columns))]
            (whole if top is None else added)[name] = rows
            if conn.dialect.name == "postgresql" and "id" in table.c:
                sequence = await conn.scalar(text(f"SELECT pg_get_serial_sequence('{name}', 'id')"))
                row = (await conn.execute(text(f"SELECT last_value, is_called FROM {sequence}"))).one()  # noqa: S608
                sequences[name] = (row.last_value, row.is_called)
    return Saved(base, added, whole, sequences)


async def load(engine: AsyncEngine, saved: Saved) -> None:
    """Write `saved` into the database, clean at `saved.base`; its tables are noted as written, as a build's are."""
    async with engine.connect() as conn:
        postgres = conn.dialect.name == "postgresql"
        if not postgres:
            await conn.execute(text("PRAGMA foreign_keys=OFF"))
            await conn.commit()
        try:
            async with conn.begin():
                if postgres:
                    await conn.execute(text("SET LOCAL session_replication_role = replica"))
                for table in reversed(Base.metadata.sorted_tables):
                    if table.name in saved.whole:
                        await conn.execute(table.delete())
                for table in Base.metadata.sorted_tables:
                    rows = saved.added.get(table.name) or saved.whole.get(table.name)
                    if rows:
                        await conn.execute(insert(table), rows)
                for name, (value, called) in saved.sequences.items():
                    await conn.execute(
                        text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), {value}, {str(called).lower()})")
                    )
                dialect = postgresql if postgres else sqlite
                notes = [{"name": name, "changed": False} for name in saved.added] + [
                    {"name": name, "changed": True} for name in saved.whole
                ]
                if notes:
                    note = dialect.insert(WRITTEN).values(notes)
                    await conn.execute(
                        note.on_conflict_do_update(
                            index_elements=[WRITTEN.c.name], set_={"changed": WRITTEN.c.changed | note.excluded.changed}
                        )
                    )
        finally:
            if not postgres:
                await conn.execute(text("PRAGMA foreign_keys=ON"))
                await conn.commit()


#: States built so far in this process, by their base and key: what was written, and what the build returned.
_BUILT: dict[tuple, tuple[Saved, Any]] = {}


def through(app: Any, *names: Any) -> tuple:
    """A key for a state built through the backend `app`: `names` (what it is, for which chat) and what the build
    depends on besides the base, the app's clock and settings."""
    return (*names, app.state.clock.now, app.state.settings.model_dump_json())


async def built(engine: AsyncEngine, key: tuple, build: Callable[[], Awaitable[Any]]) -> Any:
    """`build()`'s result: built the first time on a clean database and saved, loaded again after; built anew when
    the database is not clean. `key` names everything the build depends on besides the base (its clock, say)."""
    base = await clean(engine)
    if base is None:
        return await build()
    found = _BUILT.get((base, *key))
    if found is not None:
        await load(engine, found[0])
        return found[1]
    result = await build()
    _BUILT[(base, *key)] = (await save(engine, base), result)
    return result
