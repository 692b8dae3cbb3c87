"""The repayment engine: pure functions over Decimal money and dates passed in (no I/O, no clock)."""

from api.engine.accrual import interest_accrued
from api.engine.allocation import Payment
from api.engine.annuity import annuity_payment
from api.engine.builder import build_schedule
from api.engine.debt import Debt, debt_on
from api.engine.estimate import EarlyRepaymentEstimate, estimate_early_repayment
from api.engine.events import EarlyRepayment, PaymentHoliday, RepaymentMode
from api.engine.interest import DayCount
from api.engine.money import KOPECK, to_kopecks
from api.engine.position import LoanPosition, position_on
from api.engine.schedule import Installment, InstallmentKind, Schedule
from api.engine.schedule_csv import write_schedule_csv
from api.engine.terms import LoanTerms
from api.engine.yearly import MonthPaid, YearPaid, paid_in_year

__all__ = [
    "KOPECK",
    "DayCount",
    "Debt",
    "EarlyRepayment",
    "EarlyRepaymentEstimate",
    "Installment",
    "InstallmentKind",
    "LoanPosition",
    "LoanTerms",
    "MonthPaid",
    "Payment",
    "PaymentHoliday",
    "RepaymentMode",
    "Schedule",
    "YearPaid",
    "annuity_payment",
    "build_schedule",
    "debt_on",
    "estimate_early_repayment",
    "interest_accrued",
    "paid_in_year",
    "position_on",
    "to_kopecks",
    "write_schedule_csv",
]
