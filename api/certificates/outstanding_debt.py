"""«Справка об остатке задолженности»: what the borrower owes on a given date, line by line, and the total."""

from datetime import date
from decimal import Decimal

from api.certificates.data import BankDetails, CertificateHeader, DebtAmounts
from api.certificates.fonts import FontFiles
from api.certificates.formatting import day, money
from api.certificates.layout import CertificateDocument, with_font_fallback

TITLE = "Справка об остатке задолженности"


@with_font_fallback
def render_outstanding_debt(
    header: CertificateHeader,
    *,
    bank: BankDetails,
    on_date: date,
    debt: DebtAmounts,
    next_due_date: date | None,
    next_payment: Decimal | None,
    fonts: FontFiles | None = None,
) -> bytes:
    """PDF of the debt's lines on `on_date` and their total, money paid ahead of its due dates, the next payment."""
    if (next_due_date is None) != (next_payment is None):
        raise ValueError("next_due_date and next_payment are given together or not at all")
    document = CertificateDocument(TITLE, header, bank, fonts)
    document.paragraph(f"По состоянию на {day(on_date)} задолженность по кредитному договору составляет:")
    document.amounts_table(
        ("Вид задолженности", "Сумма"),
        [
            ("Основной долг, срок уплаты которого не истёк", money(debt.principal_not_due)),
            ("Просроченный основной долг", money(debt.overdue_principal)),
            ("Просроченные проценты", money(debt.overdue_interest)),
            (f"Проценты, начисленные по {day(on_date)}", money(debt.accrued_interest)),
        ],
        ("Итого задолженность", money(debt.total)),
        col_widths=(4, 2),
        align=("LEFT", "RIGHT"),
    )
    if debt.prepaid:
        document.paragraph(
            f"Кроме того, в счёт будущих платежей внесено {money(debt.prepaid)}: эти средства будут направлены "
            "на погашение в даты платежей по графику и из суммы задолженности выше не вычтены."
        )
    if next_due_date is not None and next_payment is not None:
        document.fields(
            [("Дата очередного платежа", day(next_due_date)), ("Сумма очередного платежа", money(next_payment))]
        )
    document.paragraph("Справка выдана для представления по месту требования.")
    return document.to_bytes()
