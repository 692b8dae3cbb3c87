"""Signing in to the console through HTTP: password and TOTP both needed, the lock-out, replayed codes, the
session cookie and what the audit keeps."""

import hashlib
import logging

from sqlalchemy import select

from api.console.auth import totp
from api.models import AuditEntry, ConsoleSession, StaffRole
from tests.console.helpers import console_http, csrf_of, sign_in


async def _audit(app) -> list[AuditEntry]:
    async with app.state.sessionmaker() as session:
        return list(await session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


async def test_password_and_code_open_a_session_whose_id_is_stored_hashed(app, clock, staff_login):
    login = await staff_login(StaffRole.SUPERVISOR)
    async with console_http(app) as client:
        response = await sign_in(client, login, clock)
        assert response.status_code == 303 and response.headers["location"] == "/console"
        cookie = response.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/console" in cookie
        assert "Secure" not in cookie  # test mode serves plain HTTP; see test_cookies_are_secure_outside_dev
        token = client.cookies["console_session"]
        home = await client.get("/console")
    assert home.status_code == 200 and login.name in home.text
    async with app.state.sessionmaker() as session:
        stored = await session.scalar(select(ConsoleSession.token_sha256))
    assert stored == hashlib.sha256(token.encode()).hexdigest() != token


async def test_the_password_alone_gives_no_session(app, clock, staff_login):
    login = await staff_login()
    async with console_http(app) as client:
        for code in ("", "000000", "12345", "abcdef"):
            response = await sign_in(client, login, clock, code=code)
            assert response.status_code == 401
            assert "console_session" not in client.cookies
            assert "неверны" in response.text  # the refusal does not say which part was wrong
        assert (await client.get("/console")).status_code == 303


async def test_a_wrong_password_with_the_right_code_gives_no_session(app, clock, staff_login):
    login = await staff_login()
    async with console_http(app) as client:
        page = await client.get("/console/login")
        response = await client.post(
            "/console/login",
            data={"name": login.name, "password": "wrong password!", "code": login.code(clock),
                  "csrf_token": csrf_of(page.text)},
        )  # fmt: skip
    assert response.status_code == 401 and "console_session" not in client.cookies


async def test_a_code_is_good_once(app, clock, staff_login):
    login = await staff_login()
    code = login.code(clock)
    async with console_http(app) as first, console_http(app) as second:
        assert (await sign_in(first, login, clock, code=code)).status_code == 303
        replayed = await sign_in(second, login, clock, code=code)
        assert replayed.status_code == 401 and "console_session" not in second.cookies
        clock.advance(seconds=totp.pyotp.TOTP(login.secret).interval)
        assert (await sign_in(second, login, clock)).status_code == 303


async def test_wrong_codes_lock_the_member_out_and_the_lock_lifts(app, clock, staff_login, settings):
    login = await staff_login()
    async with console_http(app) as client:
        for _ in range(settings.console_max_failures - 1):
            assert (await sign_in(client, login, clock, code="000000")).status_code == 401
        last = await sign_in(client, login, clock, code="000000")
        assert last.status_code == 429 and "заблокирован до 12:15" in last.text  # 09:00 UTC + 15 min, Moscow time
        locked = await sign_in(client, login, clock)  # now even the right code is refused
        assert locked.status_code == 429 and "console_session" not in client.cookies
        clock.advance(minutes=settings.console_lockout_minutes, seconds=1)
        assert (await sign_in(client, login, clock)).status_code == 303


async def test_failures_from_one_address_lock_it_for_every_name(app, clock, staff_login, settings):
    login = await staff_login()
    async with console_http(app) as client:
        stranger = login.__class__(login.member, "Nobody", "guess guess guess", login.secret)
        for _ in range(settings.console_address_max_failures):
            await sign_in(client, stranger, clock)
        response = await sign_in(client, login, clock)
    assert response.status_code == 429


async def test_the_sign_in_form_needs_its_csrf_token(app, clock, staff_login):
    login = await staff_login()
    async with console_http(app) as client:
        await client.get("/console/login")
        form = {"name": login.name, "password": login.password, "code": login.code(clock)}
        for token in ("", "forged"):
            response = await client.post("/console/login", data={**form, "csrf_token": token})
            assert response.status_code == 403 and "console_session" not in client.cookies


async def test_after_sign_in_only_a_console_path_is_followed(app, clock, staff_login):
    login = await staff_login()
    async with console_http(app) as client:
        page = await client.get("/console/login", params={"next": "https://evil.example/console"})
        assert 'value="/console"' in page.text
        form = {"name": login.name, "password": login.password, "code": login.code(clock),
                "csrf_token": csrf_of(page.text), "next": "//evil.example/console"}  # fmt: skip
        response = await client.post("/console/login", data=form)
    assert response.headers["location"] == "/console"


async def test_sign_in_failures_and_sign_out_are_audited_with_the_address(app, clock, console_client, staff_login):
    login = await staff_login()
    async with console_http(app) as stranger:
        await sign_in(stranger, login, clock, code="000000")
    client = await console_client(login=login, through_the_form=True)
    await client.post("/console/logout", data={"csrf_token": client.csrf})
    entries = [(e.action, e.actor, e.address) for e in await _audit(app) if e.action.startswith("console_")]
    actor = f"staff:{login.member.id}"
    assert entries == [
        ("console_sign_in_failed", actor, "127.0.0.1"),
        ("console_sign_in", actor, "127.0.0.1"),
        ("console_sign_out", actor, "127.0.0.1"),
    ]


async def test_no_password_code_or_session_id_is_logged_or_audited(app, clock, staff_login, caplog):
    login = await staff_login()
    caplog.set_level(logging.DEBUG)
    async with console_http(app) as client:
        wrong = await sign_in(client, login, clock, code="999999")
        assert wrong.status_code == 401
        code = login.code(clock)
        assert (await sign_in(client, login, clock, code=code)).status_code == 303
        session_id = client.cookies["console_session"]
        home = await client.get("/console")
        await client.post("/console/logout", data={"csrf_token": csrf_of(home.text)})
    audit = " ".join(f"{e.actor} {e.action} {e.entity_id} {e.details} {e.address}" for e in await _audit(app))
    for secret in (login.password, code, "999999", session_id, csrf_of(home.text), login.secret):
        assert secret not in caplog.text
        assert secret not in audit
    assert caplog.records, "nothing was captured: is the capture working?"
