"""The queue pages and actions under /console/queues: overview, a queue, an item's panel, take, release, reassign,
and each queue's decision. Every action takes the session's CSRF token; the holiday decision is a supervisor's."""

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, RedirectResponse, Response
from pydantic import ValidationError

from api import audit
from api.certificates import service as certificate_service
from api.certificates.service import bank_date
from api.console.deps import ConsoleMember, ConsoleSupervisor, CsrfChecked, client_address
from api.console.queues.panel import htmx, panel, queue_context
from api.console.templating import render
from api.deps import DrawingDep, NowDep, SessionDep, SettingsDep
from api.documents.uploads import read_upload
from api.errors import ApiError, not_found
from api.models import Borrower, Loan, StaffMember
from api.schemas import PlainText
from api.staff import decisions as staff_decisions
from api.staff.schemas import NewPolicy, QuoteAnswer
from api.work import decisions, holds, queues
from api.work.items import Queue

router = APIRouter(prefix="/queues")

ItemId = Annotated[int, PathParam(gt=0, lt=2**63)]
Reason = Annotated[PlainText, Form(max_length=1000)]
STATIC = Path(__file__).resolve().parent / "static"
ASSETS = {"queues.js": "text/javascript", "queues.css": "text/css"}


def _refusal(exc: ApiError) -> dict:
    return {"error": exc.code, **exc.details}


async def _after(request, session, queue, item_id, *, member, settings, now, action, refusal: ApiError | None):
    """The panel after an action: its banner says what happened (or why not); a plain form post that worked goes
    back to the item's page (POST, redirect, GET), so a reload never repeats it."""
    if refusal is None and not htmx(request):
        return RedirectResponse(request.url.path.rsplit("/", 1)[0], status_code=303)
    outcome = _refusal(refusal) if refusal else {"done": action}
    return await panel(
        session,
        request,
        queue,
        item_id,
        member=member,
        settings=settings,
        now=now,
        outcome=outcome,
        status_code=refusal.status if refusal else 200,
    )


@router.get("")
async def overview(request: Request, member: ConsoleMember, session: SessionDep, settings: SettingsDep, now: NowDep):
    counts = await queues.counts(session, staff=member, settings=settings, now=now)
    return render(request, "queues/overview.html", {"counts": {queue.value: count for queue, count in counts.items()}})


@router.get("/assets/{name}")
async def asset(name: str, member: ConsoleMember) -> FileResponse:
    """The queue pages' script (the keyboard) and styles, served from here beside the console's own static files."""
    if name not in ASSETS:
        raise not_found("asset")
    return FileResponse(STATIC / name, media_type=ASSETS[name])


@router.get("/{queue}")
async def queue_page(
    queue: Queue, request: Request, member: ConsoleMember, session: SessionDep, settings: SettingsDep, now: NowDep
):
    """The queue, filtered by the query string; htmx asks for the rows alone when a filter changes."""
    context = await queue_context(session, request, queue, member=member, settings=settings, now=now)
    if htmx(request) and request.headers.get("HX-Target") == "rows":
        return render(request, "queues/_rows.html", context)
    return render(request, "queues/queue.html", context | {"detail": None})


@router.get("/{queue}/{item_id}")
async def item_page(
    queue: Queue,
    item_id: ItemId,
    request: Request,
    member: ConsoleMember,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
):
    """The item's panel: its borrower, history, holder (a colleague's hold shown as a collision) and decision form."""
    return await panel(session, request, queue, item_id, member=member, settings=settings, now=now)


@router.post("/{queue}/{item_id}/take")
async def take(
    queue: Queue,
    item_id: ItemId,
    request: Request,
    member: ConsoleMember,
    _: CsrfChecked,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
):
    refusal = None
    try:
        await holds.take(session, queue=queue, item_id=item_id, staff=member, now=now, address=client_address(request))
    except ApiError as exc:
        refusal = exc
    return await _after(
        request, session, queue, item_id, member=member, settings=settings, now=now, action="take", refusal=refusal
    )


@router.post("/{queue}/{item_id}/release")
async def release(
    queue: Queue,
    item_id: ItemId,
    request: Request,
    member: ConsoleMember,
    _: CsrfChecked,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
):
    refusal = None
    try:
        await holds.release(session, queue=queue, item_id=item_id, staff=member, address=client_address(request))
    except ApiError as exc:
        refusal = exc
    return await _after(
        request, session, queue, item_id, member=member, settings=settings, now=now, action="release", refusal=refusal
    )


@router.post("/{queue}/{item_id}/reassign")
async def reassign(
    queue: Queue,
    item_id: ItemId,
    request: Request,
    member: ConsoleSupervisor,
    _: CsrfChecked,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    to: Annotated[int, Form(gt=0, lt=2**63)],
    seen_holder: Annotated[PlainText, Form()] = "",
):
    """A supervisor gives the item to a member, from the holder the page showed (empty: nobody)."""
    refusal = None
    try:
        target = await session.get(StaffMember, to)
        if target is None:
            raise not_found("staff")
        seen = int(seen_holder) if seen_holder.isdigit() else None
        await holds.reassign(
            session,
            queue=queue,
            item_id=item_id,
            staff=member,
            to=target,
            seen_holder=seen,
            now=now,
            address=client_address(request),
        )
    except ApiError as exc:
        refusal = exc
    return await _after(
        request, session, queue, item_id, member=member, settings=settings, now=now, action="reassign", refusal=refusal
    )


@router.post("/holidays/{item_id}/decision")
async def decide_holiday(
    item_id: ItemId,
    request: Request,
    member: ConsoleSupervisor,
    _: CsrfChecked,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    decision: Annotated[str, Form(pattern="^(approve|reject)$")],
    reason: Reason = "",
):
    async def act() -> None:
        await decisions.decide_holiday(
            session,
            holiday_id=item_id,
            approved=decision == "approve",
            reason=_reason(reason),
            staff=member,
            now=now,
            address=client_address(request),
        )

    return await _decide(request, session, Queue.HOLIDAYS, item_id, act, member=member, settings=settings, now=now)


@router.post("/certificates/{item_id}/decision")
async def decide_certificate(
    item_id: ItemId,
    request: Request,
    member: ConsoleMember,
    _: CsrfChecked,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    decision: Annotated[str, Form(pattern="^(issue|refuse)$")],
    reason: Reason = "",
    signed_pdf: Annotated[UploadFile | None, File()] = None,
):
    """Issue with the signed PDF uploaded, or refuse; each with a reason the borrower is told."""

    async def act() -> None:
        if decision == "refuse":
            await decisions.refuse_certificate(
                session,
                certificate_id=item_id,
                reason=_reason(reason),
                staff=member,
                settings=settings,
                now=now,
                address=client_address(request),
            )
            return
        if signed_pdf is None or not signed_pdf.filename:
            raise ApiError(422, "signed_pdf_required", "The signed certificate must be a PDF.")
        upload = await read_upload(signed_pdf, max_bytes=settings.max_upload_bytes)
        await decisions.issue_certificate(
            session,
            certificate_id=item_id,
            signed=upload,
            reason=_reason(reason),
            staff=member,
            settings=settings,
            now=now,
            address=client_address(request),
        )

    return await _decide(request, session, Queue.CERTIFICATES, item_id, act, member=member, settings=settings, now=now)


@router.post("/documents/{item_id}/decision")
async def decide_document(
    item_id: ItemId,
    request: Request,
    member: ConsoleMember,
    _: CsrfChecked,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    decision: Annotated[str, Form(pattern="^(approve|reject)$")],
    reason: Reason = "",
    register_policy: Annotated[PlainText, Form()] = "",
    insurer: Annotated[PlainText, Form(max_length=200)] = "",
    policy_number: Annotated[PlainText, Form(max_length=64)] = "",
    kind: Annotated[PlainText, Form(max_length=32)] = "",
    starts_on: Annotated[PlainText, Form(max_length=10)] = "",
    expires_on: Annotated[PlainText, Form(max_length=10)] = "",
    premium: Annotated[PlainText, Form(max_length=20)] = "",
):
    """Accept or reject; accepting an insurance policy may register the renewed policy read off it."""

    async def act() -> None:
        policy = None
        if decision == "approve" and register_policy == "1":
            policy = _validated(
                NewPolicy,
                insurer=insurer,
                policy_number=policy_number,
                kind=kind,
                starts_on=starts_on,
                expires_on=expires_on,
                premium=_money(premium) if premium.strip() else None,
            )
        await decisions.decide_document(
            session,
            document_id=item_id,
            approved=decision == "approve",
            reason=_reason(reason),
            policy=policy,
            staff=member,
            now=now,
            address=client_address(request),
        )

    return await _decide(request, session, Queue.DOCUMENTS, item_id, act, member=member, settings=settings, now=now)


@router.post("/quotes/{item_id}/answer")
async def answer_quote(
    item_id: ItemId,
    request: Request,
    member: ConsoleMember,
    _: CsrfChecked,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    insurer: Annotated[PlainText, Form(max_length=200)] = "",
    premium: Annotated[PlainText, Form(max_length=20)] = "",
    valid_until: Annotated[PlainText, Form(max_length=10)] = "",
):
    """The partner's insurer, the premium and the last day the price holds."""

    async def act() -> None:
        answer = _validated(QuoteAnswer, insurer=insurer, premium=_money(premium), valid_until=valid_until)
        await decisions.answer_quote(
            session,
            quote_id=item_id,
            answer=answer,
            staff=member,
            settings=settings,
            now=now,
            address=client_address(request),
        )

    return await _decide(request, session, Queue.QUOTES, item_id, act, member=member, settings=settings, now=now)


@router.get("/documents/{item_id}/file")
async def document_file(item_id: ItemId, request: Request, member: ConsoleMember, session: SessionDep) -> Response:
    """The uploaded document as the borrower sent it, to verify; each viewing is audited."""
    document = await staff_decisions.document_content(
        session, document_id=item_id, staff=member, address=client_address(request)
    )
    disposition = f"inline; filename=\"document-{document.id}\"; filename*=UTF-8''{quote(document.file_name)}"
    return Response(document.content, media_type=document.content_type, headers={"Content-Disposition": disposition})


@router.get("/certificates/{item_id}/draft")
async def certificate_draft(
    item_id: ItemId,
    request: Request,
    member: ConsoleMember,
    session: SessionDep,
    settings: SettingsDep,
    drawing: DrawingDep,
    now: NowDep,
) -> Response:
    """The certificate as the bank's system draws it, dated today, for a member to sign and upload; audited."""
    certificate = await holds.item(session, Queue.CERTIFICATES, item_id)
    borrower = await session.get_one(Borrower, certificate.borrower_id)
    loan = await session.get_one(Loan, certificate.loan_id)
    pdf = await certificate_service.rendered_pdf(
        session,
        certificate,
        borrower=borrower,
        loan=loan,
        issued_on=bank_date(now, settings.bank_zone),
        settings=settings,
        drawing=drawing,
    )
    audit.record(
        session,
        actor=f"staff:{member.id}",
        action="view_draft",
        entity="certificate_request",
        entity_id=item_id,
        address=client_address(request),
    )
    await session.commit()
    name = certificate_service.file_name(certificate)
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}"'})


async def _decide(request, session, queue: Queue, item_id: int, act, *, member, settings, now):
    refusal = None
    try:
        await act()
    except ApiError as exc:
        await session.rollback()
        refusal = exc
    return await _after(
        request, session, queue, item_id, member=member, settings=settings, now=now, action="decided", refusal=refusal
    )


def _reason(reason: str) -> str:
    """Every console decision carries a reason (the borrower is told it)."""
    if not reason.strip():
        raise ApiError(422, "reason_required", "Give a reason for the decision.")
    return reason.strip()


def _money(text: str) -> Decimal | str:
    """A typed amount (spaces, a comma for the decimal point); left as typed when unreadable, for the schema to say."""
    cleaned = text.replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return text


def _validated(schema, **values):
    """The schema's instance, or a 422 naming the fields that are wrong."""
    try:
        return schema.model_validate(values)
    except ValidationError as exc:
        fields = sorted({str(error["loc"][0]) if error["loc"] else "form" for error in exc.errors()})
        raise ApiError(422, "invalid_form", "Some fields are missing or wrong.", fields=fields) from exc
