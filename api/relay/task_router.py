"""HTTP routes for the bot's relay tasks (service token): claim what the console did, fetch a reply's file, report
each step. Every report names its claim's attempt, so a bot whose lease lapsed cannot overwrite a newer claim."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from api.deps import EventsDep, NowDep, SessionDep, SettingsDep, require_service
from api.errors import not_found
from api.events.event import Event
from api.models import CaseFile, CaseMessage, RelayTask, StaffMember
from api.relay import service, tasks
from api.relay.task_schemas import (
    TaskClaim,
    TaskClaimResult,
    TaskCopy,
    TaskDelivered,
    TaskFailure,
    TaskFile,
    TaskMessage,
    TaskPublic,
    TaskState,
    TaskStep,
    TaskUnsent,
)
from api.settings import Settings

router = APIRouter(prefix="/relay/tasks", tags=["relay"], dependencies=[Depends(require_service)])

TaskId = Annotated[int, Path(gt=0, lt=2**63)]
_REFUSALS = {404: {"description": "No such task"}, 409: {"description": "Not claimed by this attempt"}}


async def _public(session: AsyncSession, task: RelayTask, settings: Settings, now: datetime) -> TaskPublic:
    case = await service.get_case(session, task.case_id)
    staff = await session.get(StaffMember, task.staff_id) if task.staff_id is not None else None
    message = copy_of = None
    if task.message_id is not None:
        stored = await session.get(CaseMessage, task.message_id)
        file = await session.scalar(select(CaseFile).where(CaseFile.message_id == stored.id))
        message = TaskMessage(
            kind=stored.kind,
            text=stored.text,
            file=TaskFile(file_name=file.file_name, content_type=file.content_type, size=file.size) if file else None,
            file_id=stored.file_id,
        )
        if task.source_chat_id is not None:
            copy_of = TaskCopy(from_chat_id=task.source_chat_id, message_id=stored.telegram_message_id)
    return TaskPublic(
        id=task.id,
        kind=task.kind,
        attempt=task.attempts,
        delivered=task.delivered_at is not None,
        case=await service.relay_case(session, case, settings=settings, now=now),
        staff_name=staff.name if staff else None,
        message=message,
        copy_of=copy_of,
    )


@router.post("/claim", response_model=TaskClaimResult, summary="Claim the console's tasks")
async def claim(request: TaskClaim, session: SessionDep, settings: SettingsDep, now: NowDep) -> TaskClaimResult:
    """Lease due tasks, oldest first, one at a time per case; concurrent claimers never share one."""
    claimed = await tasks.claim(session, limit=request.limit, lease_seconds=request.lease_seconds, now=now)
    return TaskClaimResult(items=[await _public(session, task, settings, now) for task in claimed])


@router.get("/{task_id}/file", responses={404: {"description": "No such task, or no file"}}, summary="A reply's file")
async def task_file(task_id: TaskId, session: SessionDep) -> Response:
    task = await session.get(RelayTask, task_id)
    file = None
    if task is not None and task.message_id is not None:
        file = await session.scalar(
            select(CaseFile).where(CaseFile.message_id == task.message_id).options(undefer(CaseFile.content))
        )
    if file is None:
        raise not_found("file")
    return Response(file.content, media_type=file.content_type)


@router.post("/{task_id}/sending", response_model=TaskState, responses=_REFUSALS, summary="The borrower's send starts")
async def mark_sending(task_id: TaskId, report: TaskStep, session: SessionDep, now: NowDep) -> TaskState:
    """Send to the borrower only after this succeeded; a send started is never repeated by another claim."""
    task = await tasks.mark_sending(session, task_id=task_id, attempt=report.attempt, now=now)
    return TaskState.model_validate(task)


@router.post("/{task_id}/unsent", response_model=TaskState, responses=_REFUSALS, summary="Telegram failed the send")
async def mark_unsent(task_id: TaskId, report: TaskUnsent, session: SessionDep, now: NowDep) -> TaskState:
    """Telegram answered that the send failed on its side (a 5xx; nothing was delivered): the start is taken back and
    the task is claimed again after `retry_after` seconds."""
    task = await tasks.mark_unsent(
        session, task_id=task_id, attempt=report.attempt, error=report.error, retry_after=report.retry_after, now=now
    )
    return TaskState.model_validate(task)


@router.post("/{task_id}/delivered", response_model=TaskState, responses=_REFUSALS, summary="The borrower has it")
async def mark_delivered(
    task_id: TaskId, report: TaskDelivered, session: SessionDep, now: NowDep, events: EventsDep
) -> TaskState:
    task = await tasks.mark_delivered(
        session,
        task_id=task_id,
        attempt=report.attempt,
        borrower_message_id=report.borrower_message_id,
        file_id=report.file_id,
        now=now,
    )
    await events.publish(Event("case.delivered", {"case_id": task.case_id, "task_id": task.id}))
    return TaskState.model_validate(task)


@router.post("/{task_id}/done", response_model=TaskState, responses=_REFUSALS, summary="The task is carried out")
async def mark_done(task_id: TaskId, report: TaskStep, session: SessionDep, now: NowDep) -> TaskState:
    return TaskState.model_validate(await tasks.mark_done(session, task_id=task_id, attempt=report.attempt, now=now))


@router.post("/{task_id}/failed", response_model=TaskState, responses=_REFUSALS, summary="The task cannot be done")
async def mark_failed(
    task_id: TaskId, report: TaskFailure, session: SessionDep, now: NowDep, events: EventsDep
) -> TaskState:
    """Given up; a borrower who blocked the bot also closes the case."""
    task = await tasks.mark_failed(
        session, task_id=task_id, attempt=report.attempt, error=report.error, blocked=report.blocked, now=now
    )
    await events.publish(Event("case.changed", {"case_id": task.case_id}))
    return TaskState.model_validate(task)
