"""The supervisor's page of staff and who is signed in where, with ending a member's console sessions."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from api import audit
from api.console.auth.sessions import end_sessions, live_sessions
from api.console.deps import ConsoleSupervisor, CsrfChecked, client_address
from api.console.templating import render
from api.deps import NowDep, SessionDep, SettingsDep
from api.errors import not_found
from api.models import StaffMember
from api.staff_accounts import list_staff

router = APIRouter(prefix="/staff")


@router.get("")
async def staff_page(request: Request, session: SessionDep, settings: SettingsDep, now: NowDep, _: ConsoleSupervisor):
    sessions = await live_sessions(session, now=now, settings=settings)
    members = [(member, [s for s in sessions if s.staff_id == member.id]) for member in await list_staff(session)]
    return render(request, "staff.html", {"members": members})


@router.post("/{staff_id}/end-sessions")
async def end_member_sessions(
    request: Request, staff_id: int, session: SessionDep, supervisor: ConsoleSupervisor, _: CsrfChecked
):
    """Sign the member out everywhere (a lost laptop, a shared screen); their account stays."""
    member = await session.get(StaffMember, staff_id)
    if member is None:
        raise not_found("staff_member")
    await end_sessions(session, staff_id=member.id)
    audit.record(
        session, actor=f"staff:{supervisor.id}", action="console_end_sessions", entity="staff_member",
        entity_id=member.id, address=client_address(request),
    )  # fmt: skip
    await session.commit()
    return RedirectResponse("/console/staff", status_code=303)
