"""The supervisor's staff page: who is signed in, and ending a member's sessions at once."""

from sqlalchemy import select

from api.models import AuditEntry, StaffRole


async def test_a_supervisor_ends_an_operators_sessions(app, console_client):
    supervisor = await console_client(StaffRole.SUPERVISOR)
    operator = await console_client(StaffRole.OPERATOR)
    page = await supervisor.get("/console/staff")
    assert page.status_code == 200
    assert operator.login.name in page.text and "127.0.0.1" in page.text
    ended = await supervisor.post(
        f"/console/staff/{operator.login.member.id}/end-sessions", data={"csrf_token": supervisor.csrf}
    )
    assert ended.status_code == 303
    assert (await operator.get("/console")).status_code == 303  # signed out
    assert (await supervisor.get("/console")).status_code == 200
    async with app.state.sessionmaker() as session:
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "console_end_sessions"))
    assert (entry.actor, entry.entity_id, entry.address) == (
        f"staff:{supervisor.login.member.id}",
        str(operator.login.member.id),
        "127.0.0.1",
    )


async def test_ending_the_sessions_of_no_one_is_refused(console_client):
    supervisor = await console_client(StaffRole.SUPERVISOR)
    response = await supervisor.post("/console/staff/999/end-sessions", data={"csrf_token": supervisor.csrf})
    assert response.status_code == 404
