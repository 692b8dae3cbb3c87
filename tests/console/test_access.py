"""Every console page and action is refused without a live session (none, idle too long, too old, signed out,
member disabled), to an operator where a supervisor is needed, and without the session's CSRF token.

The routes are read from the console's router, so each section's pages are held to this as they are added."""

import pytest

from api import staff_accounts
from api.console.deps import console_member, console_supervisor, csrf_checked
from api.models import StaffRole
from tests.console.helpers import console_routes

PUBLIC = {"/console/login"}
GUARDED = [(method, route) for route in console_routes() if route.path not in PUBLIC for method in route.methods]
STATE_CHANGING = [(method, route) for method, route in GUARDED if method != "GET"]
SUPERVISOR_ONLY = [(method, route) for method, route in GUARDED if route.depends_on(console_supervisor)]


def _ids(pairs) -> list[str]:
    return [f"{method} {route.path}" for method, route in pairs]


def test_the_route_list_is_read():
    paths = {route.path for _, route in GUARDED}
    assert {"/console", "/console/logout", "/console/language"} <= paths
    assert all(route.depends_on(console_member) for _, route in GUARDED), "a console route without ConsoleMember"
    assert all(route.depends_on(csrf_checked) for _, route in STATE_CHANGING), "an action without CsrfChecked"


async def _refused_as_signed_out(client, method: str, path: str) -> None:
    page = await client.request(method, path, data={"csrf_token": getattr(client, "csrf", "")})
    assert page.status_code == 303 and page.headers["location"].startswith("/console/login?next=")
    htmx = await client.request(method, path, headers={"HX-Request": "true"})
    assert htmx.status_code == 401 and htmx.headers["HX-Redirect"].startswith("/console/login?next=")


@pytest.mark.parametrize(("method", "route"), GUARDED, ids=_ids(GUARDED))
async def test_refused_without_a_session(anonymous, method, route):
    await _refused_as_signed_out(anonymous, method, route.example_path)


@pytest.mark.parametrize(("method", "route"), GUARDED, ids=_ids(GUARDED))
async def test_refused_once_idle_too_long(console_client, clock, settings, method, route):
    client = await console_client()
    clock.advance(minutes=settings.console_idle_minutes, seconds=1)
    await _refused_as_signed_out(client, method, route.example_path)


async def test_a_session_in_use_ends_at_its_absolute_lifetime(console_client, clock, settings):
    client = await console_client()
    step = settings.console_idle_minutes - 1
    for _ in range(settings.console_session_hours * 60 // step):
        clock.advance(minutes=step)
        assert (await client.get("/console")).status_code == 200
    clock.advance(minutes=step)
    await _refused_as_signed_out(client, "GET", "/console")


async def test_disabling_a_member_ends_their_sessions_at_once(app, console_client):
    client = await console_client()
    async with app.state.sessionmaker() as session:
        await staff_accounts.disable_staff(session, name=client.login.name, actor="test")
    for method, route in GUARDED:
        await _refused_as_signed_out(client, method, route.example_path)


async def test_a_signed_out_session_is_gone(app, console_client):
    client = await console_client()
    session_id = client.cookies["console_session"]
    assert (await client.post("/console/logout", data={"csrf_token": client.csrf})).status_code == 303
    client.cookies.set("console_session", session_id, path="/console")  # the old cookie kept by an attacker
    await _refused_as_signed_out(client, "GET", "/console")


@pytest.mark.parametrize(("method", "route"), STATE_CHANGING, ids=_ids(STATE_CHANGING))
async def test_an_action_needs_the_sessions_csrf_token(console_client, method, route):
    client = await console_client(StaffRole.SUPERVISOR)
    other = await console_client(StaffRole.SUPERVISOR)
    for refused in (
        client.request(method, route.example_path),
        client.request(method, route.example_path, data={"csrf_token": "forged"}),
        client.request(method, route.example_path, headers={"X-CSRF-Token": other.csrf}),
        client.request(method, route.example_path, data={"csrf_token": other.csrf}),
    ):
        response = await refused
        assert response.status_code == 403, response.text
    assert (await client.get("/console")).status_code == 200  # refused, not signed out


async def test_the_csrf_token_is_taken_from_the_header_or_the_form(console_client):
    client = await console_client()
    by_header = await client.post("/console/language", data={"language": "en"}, headers={"X-CSRF-Token": client.csrf})
    assert by_header.status_code == 303
    by_form = await client.post("/console/language", data={"language": "ru", "csrf_token": client.csrf})
    assert by_form.status_code == 303


@pytest.mark.parametrize(("method", "route"), SUPERVISOR_ONLY, ids=_ids(SUPERVISOR_ONLY))
async def test_an_operator_is_refused_a_supervisors_page(console_client, method, route):
    operator = await console_client(StaffRole.OPERATOR)
    response = await operator.request(method, route.example_path, data={"csrf_token": operator.csrf})
    assert response.status_code == 403 and "супервайзер" in response.text
