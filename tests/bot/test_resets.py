"""The per-test reset (tests/resets.py) leaves exactly the empty tables or the demo rows, whatever a test wrote."""

from sqlalchemy import select, text, update

from api.models import Base, Borrower
from tests import resets
from tests.helpers import borrower_body, put


def _by_key(tables: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Each table's rows in primary-key order (the order rows come back in is the database's own)."""
    keys = {t.name: [c.name for c in t.primary_key.columns] for t in Base.metadata.sorted_tables}
    return {name: sorted(rows, key=lambda row, n=name: [row[k] for k in keys[n]]) for name, rows in tables.items()}


async def _contents(engine) -> dict[str, list[dict]]:
    async with engine.connect() as conn:
        tables = {}
        for table in Base.metadata.sorted_tables:
            tables[table.name] = [dict(row._mapping) for row in await conn.execute(select(table))]
    return _by_key(tables)


async def test_what_a_test_wrote_is_gone_and_ids_count_from_one_again(engine, bank) -> None:
    first = await put(bank, "borrowers/B-1", borrower_body())
    await resets.reset(engine, demo=False)
    assert all(rows == [] for rows in (await _contents(engine)).values())
    again = await put(bank, "borrowers/B-1", borrower_body())
    assert again["id"] == first["id"] == 1


async def test_the_demo_rows_come_back_as_seeded(demo, engine) -> None:
    async with engine.begin() as conn:
        await conn.execute(update(Borrower).values(first_name="Changed"))
        await conn.execute(text("DELETE FROM payment"))
    await resets.reset(engine, demo=True)
    assert await _contents(engine) == _by_key(resets.DEMO_ROWS)
    await resets.reset(engine, demo=False)
    await resets.reset(engine, demo=True)
    assert await _contents(engine) == _by_key(resets.DEMO_ROWS)


async def test_rows_only_added_go_and_a_saved_state_comes_back_exactly(demo, engine, bank) -> None:
    """Rows only added are deleted past the demo's ids; a saved state loads as it was built, then resets away."""
    await put(bank, "borrowers/B-X", borrower_body(phone="+79169999999"))
    built = await _contents(engine)
    saved = await resets.save(engine, "demo")
    assert saved.added, "an upsert of a new borrower only adds rows"
    await resets.reset(engine, demo=True)
    assert await _contents(engine) == _by_key(resets.DEMO_ROWS)
    assert await resets.clean(engine) == "demo"
    await resets.load(engine, saved)
    assert await resets.clean(engine) is None, "a loaded state is noted as written"
    assert await _contents(engine) == built
    await resets.reset(engine, demo=True)
    assert await _contents(engine) == _by_key(resets.DEMO_ROWS)
