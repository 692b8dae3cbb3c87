"""The console's chat pages under /console: a support case's live chat (transcript, its event stream, reply, note,
take, close, a reply's file) and the canned replies (supervisors edit them). Every state-changing route checks the
CSRF token; a form posted without htmx is answered with a redirect back to the page, so the page works without
its script too."""

from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, RedirectResponse, Response
from sse_starlette import EventSourceResponse

from api.console.chat import canned, live, service, transcript
from api.console.chat.page import case_page
from api.console.deps import ConsoleMember, ConsoleSupervisor, CsrfChecked, client_address
from api.console.templating import render
from api.deps import EventsDep, NowDep, SessionDep, SettingsDep
from api.documents.uploads import read_upload
from api.errors import not_found
from api.events.event import Event
from api.schemas import PlainText
from api.work.holds import HeldByOther

router = APIRouter()
STATIC = Path(__file__).resolve().parent / "static"

CaseId = Annotated[int, PathParam(gt=0, lt=2**63)]
Text = Annotated[PlainText, Form(max_length=service.MAX_TEXT)]


def _back(request: Request, case_id: int) -> Response:
    """htmx: nothing to swap (the event stream brings the change); a plain form: back to the page."""
    if request.headers.get("HX-Request") == "true":
        return Response(status_code=204)
    return RedirectResponse(f"/console/cases/{case_id}", status_code=303)


@router.get("/chat/{name}", name="chat_static")
async def static_file(name: str, member: ConsoleMember) -> FileResponse:
    """The chat page's own script and style (served from this package beside the console's shared static)."""
    if name not in ("chat.js", "chat.css"):
        raise not_found("file")
    return FileResponse(STATIC / name, headers={"Cache-Control": "no-cache"})


@router.get("/cases/{case_id}", name="console_case")
async def case(request: Request, case_id: CaseId, member: ConsoleMember, session: SessionDep):
    return render(request, "chat/case.html", await case_page(session, case_id=case_id))


@router.get("/cases/{case_id}/transcript")
async def case_transcript(request: Request, case_id: CaseId, member: ConsoleMember, session: SessionDep):
    """The transcript alone, which the page reloads when its event stream says the case changed."""
    return render(request, "chat/transcript.html", await case_page(session, case_id=case_id))


@router.get("/cases/{case_id}/header")
async def case_header(request: Request, case_id: CaseId, member: ConsoleMember, session: SessionDep):
    return render(request, "chat/header.html", await case_page(session, case_id=case_id))


@router.get("/cases/{case_id}/events")
async def case_events(case_id: CaseId, member: live.LiveMember, events: EventsDep) -> EventSourceResponse:
    """Server-sent events for the case: ids only; the page then loads what changed."""
    return EventSourceResponse(live.case_stream(events, case_id), ping=live.PING_SECONDS)


@router.get("/cases/{case_id}/files/{message_id}")
async def case_file(case_id: CaseId, message_id: CaseId, member: ConsoleMember, session: SessionDep) -> Response:
    file = await transcript.file_of(session, case_id=case_id, message_id=message_id)
    if file is None:
        raise not_found("file")
    disposition = (
        "inline" if file.content_type == "application/pdf" or file.content_type.startswith("image/") else ("attachment")
    )
    return Response(
        file.content,
        media_type=file.content_type,
        headers={"Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(file.file_name, safe='')}"},
    )


@router.post("/cases/{case_id}/reply")
async def reply(
    request: Request,
    case_id: CaseId,
    member: ConsoleMember,
    _: CsrfChecked,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    events: EventsDep,
    text: Text = "",
    file: Annotated[UploadFile | None, File()] = None,
):
    upload = await read_upload(file, max_bytes=settings.max_upload_bytes) if file and file.filename else None
    if not text.strip() and upload is None:
        return _back(request, case_id)
    message = await service.reply(session, case_id=case_id, staff=member, text=text.strip(), upload=upload, now=now)
    await events.publish(Event("case.message", {"case_id": case_id, "message_id": message.id}))
    return _back(request, case_id)


@router.post("/cases/{case_id}/note")
async def note(
    request: Request,
    case_id: CaseId,
    member: ConsoleMember,
    _: CsrfChecked,
    session: SessionDep,
    now: NowDep,
    events: EventsDep,
    text: Text = "",
):
    if text.strip():
        message = await service.note(session, case_id=case_id, staff=member, text=text.strip(), now=now)
        await events.publish(Event("case.message", {"case_id": case_id, "message_id": message.id}))
    return _back(request, case_id)


@router.post("/cases/{case_id}/take")
async def take(
    request: Request,
    case_id: CaseId,
    member: ConsoleMember,
    _: CsrfChecked,
    session: SessionDep,
    now: NowDep,
    events: EventsDep,
):
    try:
        await service.take(session, case_id=case_id, staff=member, now=now, address=client_address(request))
    except HeldByOther:
        return _back(request, case_id)  # the page shows who holds the case and since when
    await events.publish(Event("case.changed", {"case_id": case_id}))
    await events.publish(Event("queue.changed", {"case_id": case_id}))
    return _back(request, case_id)


@router.post("/cases/{case_id}/close")
async def close(
    request: Request,
    case_id: CaseId,
    member: ConsoleMember,
    _: CsrfChecked,
    session: SessionDep,
    now: NowDep,
    events: EventsDep,
):
    await service.close(session, case_id=case_id, staff=member, now=now)
    await events.publish(Event("case.changed", {"case_id": case_id}))
    await events.publish(Event("queue.changed", {"case_id": case_id}))
    return _back(request, case_id)


@router.get("/canned", name="console_canned")
async def canned_page(request: Request, member: ConsoleMember, session: SessionDep):
    return render(request, "chat/canned.html", {"replies": await canned.all_replies(session)})


@router.post("/canned")
async def canned_add(
    member: ConsoleSupervisor,
    _: CsrfChecked,
    session: SessionDep,
    now: NowDep,
    title: Annotated[PlainText, Form(max_length=canned.MAX_TITLE)],
    text: Annotated[PlainText, Form(max_length=canned.MAX_TEXT)],
):
    await canned.add(session, staff=member, title=title, text=text, now=now)
    return RedirectResponse("/console/canned", status_code=303)


@router.post("/canned/{reply_id}")
async def canned_edit(
    reply_id: CaseId,
    member: ConsoleSupervisor,
    _: CsrfChecked,
    session: SessionDep,
    now: NowDep,
    title: Annotated[PlainText, Form(max_length=canned.MAX_TITLE)],
    text: Annotated[PlainText, Form(max_length=canned.MAX_TEXT)],
):
    await canned.edit(session, staff=member, reply_id=reply_id, title=title, text=text, now=now)
    return RedirectResponse("/console/canned", status_code=303)


@router.post("/canned/{reply_id}/delete")
async def canned_delete(reply_id: CaseId, member: ConsoleSupervisor, _: CsrfChecked, session: SessionDep):
    await canned.delete(session, staff=member, reply_id=reply_id)
    return RedirectResponse("/console/canned", status_code=303)
