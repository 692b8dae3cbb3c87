"""The `app` fixture shares one app per kind of settings across the session: it must hand each test the state that
create_app and its lifespan would give a new app, and nothing of the previous test's."""

from datetime import UTC, datetime

from starlette.datastructures import State

from api.app import create_app
from tests.conftest import FakeClock, bind


async def test_the_shared_app_holds_what_a_new_app_would(settings, engine) -> None:
    clock = FakeClock(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
    new = create_app(settings, engine=engine, clock=clock)
    async with new.router.lifespan_context(new):
        expected = dict(new.state._state)
    shared = create_app(settings, engine=engine, clock=clock)
    shared.state = State()
    bind(shared, settings=settings, engine=engine, clock=clock)
    got = dict(shared.state._state)

    assert got.keys() == expected.keys()
    for name in ("settings", "clock", "engine"):
        assert got[name] is expected[name], name
    assert got["sessionmaker"].kw["bind"] is expected["sessionmaker"].kw["bind"] is engine
    assert got["sessionmaker"].kw.get("sync_session_class") is expected["sessionmaker"].kw.get("sync_session_class")


async def test_each_test_gets_its_own_clock_and_settings(app, clock, settings) -> None:
    assert app.state.clock is clock
    assert app.state.settings is settings
    assert clock.now == datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    clock.advance(days=400)
    settings.early_repayment_notice_days = 1


async def test_the_previous_tests_clock_and_settings_are_gone(app, clock, settings) -> None:
    assert app.state.clock() == datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    assert app.state.settings.early_repayment_notice_days == 30
