"""PDF certificates for borrowers: interest paid, outstanding debt, payment schedule, loan closure."""

from api.certificates.closure import render_closure
from api.certificates.data import BankDetails, CertificateHeader, DebtAmounts, MonthAmounts, ScheduleRow
from api.certificates.fonts import FontFiles, default_fonts
from api.certificates.interest_paid import render_interest_paid
from api.certificates.outstanding_debt import render_outstanding_debt
from api.certificates.schedule import render_schedule

__all__ = [
    "BankDetails",
    "CertificateHeader",
    "DebtAmounts",
    "FontFiles",
    "MonthAmounts",
    "ScheduleRow",
    "default_fonts",
    "render_closure",
    "render_interest_paid",
    "render_outstanding_debt",
    "render_schedule",
]
