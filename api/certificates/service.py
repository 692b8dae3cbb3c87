"""Certificate requests: checks per kind, the staff queue for signed ones, and the PDF built from the engine."""

from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from api import audit
from api.certificates import (
    BankDetails,
    CertificateHeader,
    DebtAmounts,
    MonthAmounts,
    ScheduleRow,
    render_closure,
    render_interest_paid,
    render_outstanding_debt,
    render_schedule,
)
from api.certificates.coverage import covered_year, covered_years
from api.certificates.deduction import interest_overview
from api.certificates.drawing import Drawing
from api.certificates.schemas import CertificateCreate, CertificateOut, InterestOverview
from api.clock import local_date
from api.errors import ApiError, not_found
from api.idempotency import key_reused, stored_under
from api.loans.state import LoanState, read_state
from api.models import Borrower, CertificateKind, CertificateRequest, CertificateStatus, Loan, LoanStatus
from api.settings import Settings

_FILE_STEMS = {
    CertificateKind.INTEREST_PAID: "spravka-procenty",
    CertificateKind.OUTSTANDING_DEBT: "spravka-ostatok",
    CertificateKind.SCHEDULE: "grafik-platezhey",
    CertificateKind.CLOSURE: "spravka-zakrytie",
}

_NOT_READY = {
    CertificateStatus.PENDING_STAFF: "The certificate waits for a staff signature; the borrower is told once signed.",
    CertificateStatus.REJECTED: "The certificate request was rejected by staff.",
}


def number(certificate: CertificateRequest) -> str:
    return f"{certificate.id:06d}"


def file_name(certificate: CertificateRequest) -> str:
    """An ASCII file name: the year or date it covers, else the certificate number."""
    stem = _FILE_STEMS[certificate.kind]
    if certificate.kind is CertificateKind.INTEREST_PAID:
        return f"{stem}-{certificate.year}.pdf"
    if certificate.kind is CertificateKind.OUTSTANDING_DEBT and certificate.on_date is not None:
        return f"{stem}-{certificate.on_date.isoformat()}.pdf"
    return f"{stem}-{number(certificate)}.pdf"


def certificate_out(certificate: CertificateRequest) -> CertificateOut:
    return CertificateOut(
        id=certificate.id,
        number=number(certificate),
        loan_id=certificate.loan_id,
        kind=certificate.kind,
        year=certificate.year,
        on_date=certificate.on_date,
        signed=certificate.signed,
        status=certificate.status,
        created_at=certificate.created_at,
        issued_on=certificate.issued_on,
        delivered_at=certificate.delivered_at,
        decision_reason=certificate.decision_reason,
        file_name=file_name(certificate),
    )


def _closed(loan: Loan) -> bool:
    return loan.status is LoanStatus.CLOSED and loan.closed_on is not None


def _loan_not_closed() -> ApiError:
    return ApiError(409, "loan_not_closed", "A closure certificate is issued only for a repaid and closed loan.")


def _checked_on_date(state: LoanState, on_date: date, *, today: date) -> date:
    if not state.loan.contract_date <= on_date <= today:
        raise ApiError(
            422,
            "on_date_out_of_range",
            f"The date must be between the contract date {state.loan.contract_date} and today ({today}).",
            earliest=state.loan.contract_date.isoformat(),
            latest=today.isoformat(),
        )
    return on_date


def bank_date(now: datetime, bank_zone: ZoneInfo) -> date:
    """The calendar date at `now` in the bank's time zone: the date a certificate is issued and dated."""
    return now.astimezone(bank_zone).date()


def _check_year(state: LoanState, year: int, *, today: date) -> None:
    years = [covered.year for covered in covered_years(state, today=today)]
    if year not in years:
        raise ApiError(
            422,
            "no_payments_in_year",
            f"No payments were received on this loan in {year} up to the last completed month.",
            available_years=years,
        )


async def payment_years(session: AsyncSession, *, loan: Loan, today: date) -> list[int]:
    """The years an interest-paid certificate can cover on `today`: those with money received in completed months."""
    return [covered.year for covered in covered_years(await read_state(session, loan), today=today)]


async def deduction_overview(session: AsyncSession, *, loan: Loan, today: date) -> InterestOverview:
    """Interest paid by year and in total against the deduction cap, as the interest certificates state it."""
    return interest_overview(await read_state(session, loan), today=today)


async def _open_duplicate(session: AsyncSession, candidate: CertificateRequest) -> CertificateRequest | None:
    """The same signed request still waiting for staff, so a repeated tap does not queue it twice."""
    return await session.scalar(
        select(CertificateRequest)
        .where(
            CertificateRequest.loan_id == candidate.loan_id,
            CertificateRequest.kind == candidate.kind,
            CertificateRequest.signed.is_(True),
            CertificateRequest.status == CertificateStatus.PENDING_STAFF,
            CertificateRequest.year.is_(None) if candidate.year is None else CertificateRequest.year == candidate.year,
            CertificateRequest.on_date.is_(None)
            if candidate.on_date is None
            else CertificateRequest.on_date == candidate.on_date,
        )
        .limit(1)
    )


def _replayed(certificate: CertificateRequest, loan_id: int, request: CertificateCreate) -> CertificateRequest:
    """The stored request if the repeat asks for the same (a debt date left out means the one stored); else 409."""
    same = (certificate.loan_id, certificate.kind, certificate.year, certificate.signed) == (
        loan_id,
        request.kind,
        request.year,
        request.signed,
    ) and request.on_date in (None, certificate.on_date)
    if not same:
        raise key_reused("certificate request", certificate_id=certificate.id)
    return certificate


async def request_certificate(
    session: AsyncSession,
    *,
    borrower: Borrower,
    loan: Loan,
    request: CertificateCreate,
    key: str | None = None,
    now: datetime,
    bank_zone: ZoneInfo,
) -> tuple[CertificateRequest, bool]:
    """Record a request (ready at once, or queued for a staff signature); False when it was already queued or
    already stored under the idempotency `key`.

    Twenty repeats at once queue one: the pending request's unique index refuses the rest, which return it; so does
    the key's unique constraint.

    A certificate is dated in the bank's time zone; the date of a debt certificate is a day of the borrower's.
    """
    if (stored := await stored_under(session, CertificateRequest, borrower.id, key)) is not None:
        return _replayed(stored, loan.id, request), False
    state = await read_state(session, loan)
    today = local_date(now, borrower.time_zone)
    issued_on = bank_date(now, bank_zone)
    kind = CertificateKind(request.kind)
    on_date = None
    if kind is CertificateKind.INTEREST_PAID:
        _check_year(state, request.year, today=issued_on)
    elif kind is CertificateKind.OUTSTANDING_DEBT:
        on_date = _checked_on_date(state, request.on_date or today, today=today)
    elif kind is CertificateKind.CLOSURE and not _closed(loan):
        raise _loan_not_closed()
    certificate = CertificateRequest(
        borrower_id=borrower.id,
        loan_id=loan.id,
        idempotency_key=key,
        kind=kind,
        year=request.year,
        on_date=on_date,
        signed=request.signed,
        status=CertificateStatus.PENDING_STAFF if request.signed else CertificateStatus.READY,
        issued_on=None if request.signed else issued_on,
        created_at=now,
    )
    if request.signed and (queued := await _open_duplicate(session, certificate)) is not None:
        return queued, False
    session.add(certificate)
    try:
        await session.flush()
        audit.record(
            session,
            actor="bot",
            action="certificate_requested",
            entity="certificate_request",
            entity_id=certificate.id,
            kind=kind.value,
            signed=request.signed,
        )
        await session.commit()
    except IntegrityError:
        await session.rollback()  # a concurrent repeat stored it first: the key's or a pending request's index
        if (stored := await stored_under(session, CertificateRequest, certificate.borrower_id, key)) is not None:
            return _replayed(stored, certificate.loan_id, request), False
        queued = await _open_duplicate(session, certificate)
        if queued is None:
            raise
        return queued, False
    return certificate, True


async def list_certificates(session: AsyncSession, *, borrower: Borrower, limit: int) -> list[CertificateRequest]:
    """The borrower's requests, newest first."""
    rows = await session.scalars(
        select(CertificateRequest)
        .where(CertificateRequest.borrower_id == borrower.id)
        .order_by(CertificateRequest.created_at.desc(), CertificateRequest.id.desc())
        .limit(limit)
    )
    return list(rows)


def _bank(settings: Settings) -> BankDetails:
    return BankDetails(**settings.bank.model_dump())


def _renderer(
    certificate: CertificateRequest, state: LoanState, header: CertificateHeader, bank: BankDetails
) -> Callable[[], bytes]:
    """The renderer call for the certificate's kind, with every figure taken from the engine."""
    loan = state.loan
    if certificate.kind is CertificateKind.INTEREST_PAID:
        covered = covered_year(state, certificate.year, today=header.issued_on)
        paid = covered.months if covered else ()
        months = [MonthAmounts(entry.month, entry.principal, entry.interest) for entry in paid]
        as_of = covered.as_of if covered else None
        return partial(render_interest_paid, header, bank=bank, year=certificate.year, months=months, as_of=as_of)
    if certificate.kind is CertificateKind.OUTSTANDING_DEBT:
        debt = state.debt(certificate.on_date)
        position = state.position(certificate.on_date)
        return partial(
            render_outstanding_debt,
            header,
            bank=bank,
            on_date=debt.on_date,
            debt=DebtAmounts(
                principal_not_due=debt.principal_not_due,
                overdue_principal=debt.overdue_principal,
                overdue_interest=debt.overdue_interest,
                accrued_interest=debt.accrued_interest,
                prepaid=debt.prepaid,
            ),
            next_due_date=position.next_due_date,
            next_payment=position.next_payment,
        )
    if certificate.kind is CertificateKind.SCHEDULE:
        rows = [
            ScheduleRow(row.number, row.due_date, row.payment, row.principal, row.interest, row.balance_after)
            for row in state.schedule.installments
        ]
        return partial(
            render_schedule, header, bank=bank, rows=rows, principal=loan.principal, rate_percent=loan.rate_percent
        )
    if not _closed(loan):
        raise _loan_not_closed()
    return partial(
        render_closure,
        header,
        bank=bank,
        closed_on=loan.closed_on,
        principal=loan.principal,
        total_paid=state.total_received,
    )


async def _signed_pdf(session: AsyncSession, certificate: CertificateRequest) -> bytes | None:
    """The PDF staff signed and uploaded, if they did (loaded only here: the column is deferred)."""
    if not certificate.signed:
        return None
    return await session.scalar(select(CertificateRequest.signed_pdf).where(CertificateRequest.id == certificate.id))


async def rendered_pdf(
    session: AsyncSession,
    certificate: CertificateRequest,
    *,
    borrower: Borrower,
    loan: Loan,
    issued_on: date,
    settings: Settings,
    drawing: Drawing,
) -> bytes:
    """The certificate drawn from the engine's figures: what the borrower gets unsigned, and what staff sign."""
    state = await read_state(session, loan)
    header = CertificateHeader(
        number=number(certificate),
        issued_on=issued_on,
        borrower_full_name=borrower.full_name,
        contract_number=loan.contract_number,
        contract_date=loan.contract_date,
        zone=settings.bank_zone,
    )
    return await drawing(_renderer(certificate, state, header, _bank(settings)))


async def certificate_pdf(
    session: AsyncSession,
    *,
    borrower: Borrower,
    certificate_id: int,
    settings: Settings,
    drawing: Drawing,
    now: datetime,
) -> tuple[bytes, str]:
    """The PDF of a ready certificate and its file name; the first download is recorded as the delivery."""
    certificate = await session.scalar(
        select(CertificateRequest).where(
            CertificateRequest.id == certificate_id, CertificateRequest.borrower_id == borrower.id
        )
    )
    if certificate is None:
        raise not_found("certificate")
    if certificate.status is not CertificateStatus.READY:
        raise ApiError(
            409,
            "certificate_not_ready",
            _NOT_READY[certificate.status],
            certificate_status=certificate.status.value,
        )
    loan = await session.get(Loan, certificate.loan_id)
    issued_on = certificate.issued_on or bank_date(now, settings.bank_zone)
    pdf = await _signed_pdf(session, certificate) or await rendered_pdf(
        session, certificate, borrower=borrower, loan=loan, issued_on=issued_on, settings=settings, drawing=drawing
    )
    if certificate.delivered_at is None:
        certificate.issued_on = issued_on
        certificate.delivered_at = now
        audit.record(
            session,
            actor="bot",
            action="certificate_delivered",
            entity="certificate_request",
            entity_id=certificate.id,
            kind=certificate.kind.value,
        )
        await session.commit()
    return pdf, file_name(certificate)
