"""`ipoteka schedule`: print a repayment schedule as CSV."""

import sys
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated

import typer

from api.engine import (
    DayCount,
    EarlyRepayment,
    LoanTerms,
    PaymentHoliday,
    RepaymentMode,
    build_schedule,
    to_kopecks,
    write_schedule_csv,
)


def _number(text: str) -> Decimal:
    """A finite Decimal from `text`; a comma works as the decimal separator."""
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise typer.BadParameter(f"{text!r} is not a number") from None
    if not value.is_finite():
        raise typer.BadParameter(f"{text!r} is not a finite number")
    return value


def _date(text: str) -> date:
    """An ISO date."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not an ISO date (YYYY-MM-DD)") from None


def _principal(text: str) -> Decimal:
    """A positive amount, to the kopeck."""
    value = to_kopecks(_number(text))
    if value <= 0:
        raise typer.BadParameter(f"must be positive, got {text!r}")
    return value


def _rate(text: str) -> Decimal:
    """An annual rate in percent, 0 <= rate < 100."""
    value = _number(text)
    if not 0 <= value < 100:
        raise typer.BadParameter(f"must be a percentage in [0, 100), got {text!r}")
    return value


def _early(text: str) -> EarlyRepayment:
    """DATE:AMOUNT:MODE."""
    parts = text.split(":")
    if len(parts) != 3:
        raise typer.BadParameter(f"expected YYYY-MM-DD:AMOUNT:shorter_term|smaller_payment, got {text!r}")
    on_date, amount, mode = _date(parts[0]), _number(parts[1]), parts[2].strip()
    if mode not in set(RepaymentMode):
        raise typer.BadParameter(f"mode must be shorter_term or smaller_payment, got {mode!r}")
    try:
        return EarlyRepayment(on_date, amount, RepaymentMode(mode))
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def _holiday(text: str) -> PaymentHoliday:
    """DATE:MONTHS or DATE:MONTHS:REDUCED."""
    parts = text.split(":")
    if len(parts) not in (2, 3) or not parts[1].strip().isdigit():
        raise typer.BadParameter(f"expected YYYY-MM-DD:MONTHS or YYYY-MM-DD:MONTHS:REDUCED, got {text!r}")
    reduced = _number(parts[2]) if len(parts) == 3 else None
    try:
        return PaymentHoliday(_date(parts[0]), int(parts[1]), reduced)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def schedule(
    principal: Annotated[
        Decimal, typer.Option(parser=_principal, metavar="AMOUNT", help="Loan principal, e.g. 4000000.")
    ],
    rate: Annotated[Decimal, typer.Option(parser=_rate, metavar="PERCENT", help="Annual rate in percent, e.g. 12.5.")],
    months: Annotated[int, typer.Option(min=1, max=600, help="Term in months.")],
    start: Annotated[date, typer.Option(parser=_date, metavar="YYYY-MM-DD", help="First payment date, YYYY-MM-DD.")],
    payment_day: Annotated[
        int | None, typer.Option(min=1, max=31, help="Day of month payments fall due (default: the start's).")
    ] = None,
    issue_date: Annotated[
        date | None,
        typer.Option(
            parser=_date, metavar="YYYY-MM-DD", help="Issue date, the first period's start (default: a month before)."
        ),
    ] = None,
    day_count: Annotated[
        DayCount,
        typer.Option(
            case_sensitive=False,
            help="Interest per period: monthly (1/12 of the rate), actual_365 or actual_actual (the actual days).",
        ),
    ] = DayCount.MONTHLY,
    early: Annotated[
        list[EarlyRepayment] | None,
        typer.Option(
            parser=_early,
            metavar="DATE:AMOUNT:MODE",
            help="Early repayment; MODE is shorter_term or smaller_payment. Repeatable.",
        ),
    ] = None,
    holiday: Annotated[
        PaymentHoliday | None,
        typer.Option(
            parser=_holiday,
            metavar="DATE:MONTHS[:REDUCED]",
            help="Payment holiday of 1-6 months, optionally with a reduced payment.",
        ),
    ] = None,
) -> None:
    """Print the repayment schedule as CSV: number,date,payment,principal,interest,balance,kind."""
    try:
        terms = LoanTerms(
            principal, rate, months, start, issue_date=issue_date, payment_day=payment_day, day_count=day_count
        )
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="'--issue-date'") from None
    repayments = tuple(early or ())
    try:
        result = build_schedule(terms, early_repayments=repayments)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="'--early'") from None
    if holiday is not None:
        try:
            result = build_schedule(terms, early_repayments=repayments, holiday=holiday)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="'--holiday'") from None
    write_schedule_csv(result, sys.stdout)
