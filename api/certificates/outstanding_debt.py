"""«Справка об остатке задолженности»: what the borrower owes on a given date."""

from datetime import date
from decimal import Decimal

from api.certificates.data import BankDetails, CertificateHeader
from api.certificates.fonts import FontFiles
from api.certificates.formatting import day, money
from api.certificates.layout import CertificateDocument

TITLE = "Справка об остатке задолженности"


def render_outstanding_debt(
    header: CertificateHeader,
    *,
    bank: BankDetails,
    on_date: date,
    principal_outstanding: Decimal,
    overdue_amount: Decimal,
    next_due_date: date | None,
    next_payment: Decimal | None,
    fonts: FontFiles | None = None,
) -> bytes:
    """PDF of the outstanding principal, any overdue amount and the next payment on `on_date`."""
    if (next_due_date is None) != (next_payment is None):
        raise ValueError("next_due_date and next_payment are given together or not at all")
    fields = [
        ("Остаток основного долга", money(principal_outstanding)),
        ("Просроченная задолженность", money(overdue_amount) if overdue_amount else "отсутствует"),
    ]
    if next_due_date is not None and next_payment is not None:
        fields += [
            ("Дата очередного платежа", day(next_due_date)),
            ("Сумма очередного платежа", money(next_payment)),
        ]

    document = CertificateDocument(TITLE, header, bank, fonts)
    document.paragraph(f"По состоянию на {day(on_date)} задолженность по кредитному договору составляет:")
    document.fields(fields)
    document.paragraph("Справка выдана для представления по месту требования.")
    return document.to_bytes()
