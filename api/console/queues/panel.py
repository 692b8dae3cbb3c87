"""Rendering a queue page and an item's panel: a whole page for a browser's load, the fragment for htmx."""

from datetime import datetime
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.console.templating import render
from api.models import PolicyKind, StaffMember
from api.settings import Settings
from api.work import queues
from api.work.items import SPECS, Queue
from api.work.queues import Filters, Held

#: What an action came to, stated by the panel's banner: `done` (take, release, reassign, decided), or `error` (the
#: refusal's code) with the refusal's details.
Outcome = dict[str, Any]


def htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def filters_of(request: Request, queue: Queue) -> Filters:
    """The queue's filters from the query string; a value it does not know falls back to the default."""
    query = request.query_params
    statuses = {status.value for status in SPECS[queue].statuses}
    purposes = {"insurance_policy", "holiday_proof"}
    held = query.get("held", Held.ANY.value)
    return Filters(
        status=query.get("status") if query.get("status") in statuses else None,
        purpose=query.get("purpose") if queue is Queue.DOCUMENTS and query.get("purpose") in purposes else None,
        flagged=queue is Queue.CASES and query.get("flagged") == "1",
        held=Held(held) if held in {h.value for h in Held} else Held.ANY,
    )


async def queue_context(
    session: AsyncSession,
    request: Request,
    queue: Queue,
    *,
    member: StaffMember,
    settings: Settings,
    now: datetime,
) -> dict[str, Any]:
    filters = filters_of(request, queue)
    return {
        "queue": queue.value,
        "queues": [q.value for q in Queue],
        "filters": filters,
        "statuses": [status.value for status in SPECS[queue].statuses],
        "entries": await queues.entries(session, queue, filters, staff=member, settings=settings, now=now),
        "counts": await queues.counts(session, staff=member, settings=settings, now=now),
    }


async def panel(
    session: AsyncSession,
    request: Request,
    queue: Queue,
    item_id: int,
    *,
    member: StaffMember,
    settings: Settings,
    now: datetime,
    outcome: Outcome | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The item's panel: alone for htmx (always 200, so htmx swaps the banner in), else inside its queue's page
    (with the refusal's own status code)."""
    detail = await queues.detail(session, queue, item_id, settings=settings, now=now)
    staff = (await session.scalars(select(StaffMember).where(StaffMember.active).order_by(StaffMember.name))).all()
    context = {
        "queue": queue.value,
        "detail": detail,
        "entry": detail.entry,
        "outcome": outcome or {},
        "staff": staff,
        "policy_kinds": [kind.value for kind in PolicyKind],
    }
    if htmx(request):
        response = render(request, "queues/_panel.html", context)
        if outcome:  # done or refused, the rows may be stale: they reload
            response.headers["HX-Trigger"] = "queue-changed"
        return response
    page = await queue_context(session, request, queue, member=member, settings=settings, now=now)
    return render(request, "queues/queue.html", page | context, status_code=status_code)
