"""`ipoteka staff`: a random token shown once and stored hashed, the console password and TOTP enrolment shown once,
the list, disabling by name, resetting the console sign-in, bad input."""

import asyncio
import re
from datetime import UTC, datetime

import pyotp
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from api import staff_accounts
from api.console.auth.passwords import password_matches
from api.db import create_sessionmaker
from api.deps import token_digest
from api.models import AuditEntry, StaffMember, StaffRole
from ipoteka.cli import app
from tests.importer.cli_database import run_query

runner = CliRunner()
SECRET = "q8Jr2mVx7LpN4sT9wKe3Zb6Hy1Ua5Dc0"


def _members(database_url: str) -> list[StaffMember]:
    async def query(session):
        return list(await session.scalars(select(StaffMember).order_by(StaffMember.id)))

    return run_query(database_url, query)


def _add(env, name: str, role: str):
    return runner.invoke(app, ["staff", "add", "--name", name, "--role", role], env=env)


def _token(output: str) -> str:
    lines = output.splitlines()
    return lines[lines.index(next(line for line in lines if line.endswith("Token, shown only now:"))) + 1]


def test_add_prints_the_token_once_and_stores_its_hash(env, database_url):
    result = _add(env, "Ольга Операторова", "operator")
    assert result.exit_code == 0, result.output
    token = _token(result.stdout)
    assert re.fullmatch(r"[A-Za-z0-9_\-]{43}", token)
    [member] = _members(database_url)
    assert (member.name, member.role.value, member.active) == ("Ольга Операторова", "operator", True)
    assert member.token_sha256 == token_digest(token)
    assert token not in member.token_sha256

    second = _add(env, "Пётр Старший", "supervisor")
    assert _token(second.stdout) != token

    async def audit(session):
        return [(e.actor, e.action, e.entity, e.details) for e in await session.scalars(select(AuditEntry))]

    assert run_query(database_url, audit) == [
        ("cli", "create", "staff_member", {"role": "operator"}),
        ("cli", "create", "staff_member", {"role": "supervisor"}),
    ]


def test_a_member_heard_in_the_staff_group(env, database_url):
    args = ["staff", "add", "--name", "Ольга", "--role", "operator", "--telegram-user-id", "555000001"]
    assert runner.invoke(app, args, env=env).exit_code == 0
    [member] = _members(database_url)
    assert member.telegram_user_id == 555000001
    again = runner.invoke(app, [*args[:3], "Ольга 2", *args[4:]], env=env)
    assert again.exit_code != 0
    assert "Another staff member has this Telegram account" in again.output
    listed = runner.invoke(app, ["staff", "list"], env=env)
    assert "in the staff group" in listed.stdout


def test_list_and_disable(env, database_url):
    _add(env, "Ольга", "operator")
    _add(env, "Пётр", "supervisor")
    listed = runner.invoke(app, ["staff", "list"], env=env)
    assert listed.exit_code == 0
    rows = [line for line in listed.stdout.splitlines() if "Ольга" in line or "Пётр" in line]
    assert [re.findall(r"\w+", row) for row in rows] == [
        ["Ольга", "operator", "yes", "no"],
        ["Пётр", "supervisor", "yes", "no"],
    ]

    disabled = runner.invoke(app, ["staff", "disable", "Ольга"], env=env)
    assert disabled.exit_code == 0
    assert "Disabled Ольга." in disabled.stdout
    assert [(m.name, m.active) for m in _members(database_url)] == [("Ольга", False), ("Пётр", True)]
    assert runner.invoke(app, ["staff", "disable", "Ольга"], env=env).exit_code == 0
    listed = runner.invoke(app, ["staff", "list"], env=env)
    assert re.search(r"Ольга\s.*operator\s.*no", listed.stdout)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["staff", "add", "--name", "", "--role", "operator"], 1, "1 to 100 characters"),
        (["staff", "add", "--name", "   ", "--role", "operator"], 1, "1 to 100 characters"),
        (["staff", "add", "--name", "Я" * 101, "--role", "operator"], 1, "1 to 100 characters"),
        (["staff", "add", "--name", "Ольга", "--role", "boss"], 2, "'boss' is not one of"),
        (["staff", "add", "--role", "operator"], 2, "Missing option '--name'"),
        (["staff", "add", "--name", "Ольга"], 2, "Missing option '--role'"),
        (["staff", "disable", "Никто"], 1, "No such staff member."),
        (["staff", "disable"], 2, "Missing argument 'name'"),
    ],
)
def test_bad_input(env, database_url, args, code, message):
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == code
    assert message in result.output
    assert _members(database_url) == []


def test_a_name_is_taken_once(env, database_url):
    assert _add(env, "Ольга", "operator").exit_code == 0
    again = _add(env, " Ольга ", "supervisor")
    assert again.exit_code == 1
    assert "already exists" in again.stderr
    assert [m.role.value for m in _members(database_url)] == ["operator"]


def test_without_schema(tmp_path):
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/empty.db", "MODE": "test"}
    result = runner.invoke(app, ["staff", "list"], env=env)
    assert result.exit_code == 2
    assert "run `ipoteka db upgrade` first" in result.stderr


async def test_ensure_staff_keeps_one_member_per_token(engine):
    sessionmaker = create_sessionmaker(engine)
    async with sessionmaker() as session:
        created = await staff_accounts.ensure_staff(
            session, name="Демо", role=StaffRole.OPERATOR, token="fixed-token", actor="demo"
        )
        await session.commit()
        await staff_accounts.disable_staff(session, name="Демо", actor="cli")
        again = await staff_accounts.ensure_staff(
            session, name="Демо", role=StaffRole.SUPERVISOR, token="fixed-token", actor="demo"
        )
        await session.commit()
        unchanged = await staff_accounts.ensure_staff(
            session, name="Демо", role=StaffRole.SUPERVISOR, token="fixed-token", actor="demo"
        )
        await session.commit()
        actions = [(e.actor, e.action) for e in await session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
        members = list(await session.scalars(select(StaffMember)))
    assert again.id == created.id == unchanged.id
    assert [(m.role, m.active, m.token_sha256) for m in members] == [
        (StaffRole.SUPERVISOR, True, token_digest("fixed-token"))
    ]
    assert actions == [("demo", "create"), ("cli", "disable"), ("demo", "update")]


def _printed(output: str, label: str) -> str:
    return next(line.split(label, 1)[1].strip() for line in output.splitlines() if label in line)


def test_add_sets_up_the_console_sign_in_once(env, database_url):
    result = _add(env, "Ольга", "operator")
    password = _printed(result.stdout, "Console password, shown only now:")
    secret = _printed(result.stdout, "TOTP secret:")
    uri = next(line for line in result.stdout.splitlines() if line.startswith("otpauth://"))
    assert "▀" in result.stdout  # the QR code drawn in the terminal
    [member] = _members(database_url)
    assert member.totp_secret == secret and f"secret={secret}" in uri and "issuer=Ipoteka%20Assistant" in uri
    assert asyncio.run(password_matches(member.password_hash, password))
    assert password not in (member.password_hash or "")


def test_a_typed_password_is_asked_twice_and_not_echoed(env, database_url):
    args = ["staff", "add", "--name", "Ольга", "--role", "operator", "--ask-password"]
    result = runner.invoke(app, args, env=env, input="my own long password\nmy own long password\n")
    assert result.exit_code == 0, result.output
    assert "my own long password" not in result.output and "Console password, shown" not in result.output
    [member] = _members(database_url)
    assert asyncio.run(password_matches(member.password_hash, "my own long password"))
    short = runner.invoke(app, [*args[:3], "Пётр", *args[4:]], env=env, input="short\nshort\n")
    assert short.exit_code == 1 and "at least 12 characters" in short.output


def test_resetting_the_password_and_the_totp_secret(env, database_url):
    first = _add(env, "Ольга", "operator")
    old_secret = _printed(first.stdout, "TOTP secret:")
    result = runner.invoke(app, ["staff", "reset-password", "Ольга"], env=env)
    assert result.exit_code == 0
    password = _printed(result.stdout, "shown only now:")
    [member] = _members(database_url)
    assert asyncio.run(password_matches(member.password_hash, password))
    result = runner.invoke(app, ["staff", "reset-totp", "Ольга"], env=env)
    assert result.exit_code == 0 and "otpauth://" in result.stdout
    [member] = _members(database_url)
    assert member.totp_secret == _printed(result.stdout, "TOTP secret:") != old_secret
    assert runner.invoke(app, ["staff", "reset-totp", "Никто"], env=env).exit_code == 1


def test_the_current_code_is_printed_outside_production_only(env, database_url):
    secret = _printed(_add(env, "Ольга", "operator").stdout, "TOTP secret:")
    result = runner.invoke(app, ["staff", "totp", "Ольга"], env=env)
    assert result.exit_code == 0
    assert result.stdout.strip() in {pyotp.TOTP(secret).at(datetime.now(UTC), counter_offset=o) for o in (-1, 0, 1)}
    production = env | {"MODE": "production", "SERVICE_TOKEN": SECRET, "INTEGRATION_TOKEN": SECRET[::-1]}
    refused = runner.invoke(app, ["staff", "totp", "Ольга"], env=production)
    assert refused.exit_code == 1 and "dev, demo and test mode only" in refused.stderr
