"""«График платежей»: every scheduled payment in a table that runs over as many pages as needed."""

from collections.abc import Sequence
from decimal import Decimal

from api.certificates.data import BankDetails, CertificateHeader, ScheduleRow
from api.certificates.fonts import FontFiles
from api.certificates.formatting import day, money, percent
from api.certificates.layout import CertificateDocument, with_font_fallback

TITLE = "График платежей"


@with_font_fallback
def render_schedule(
    header: CertificateHeader,
    *,
    bank: BankDetails,
    rows: Sequence[ScheduleRow],
    principal: Decimal,
    rate_percent: Decimal,
    fonts: FontFiles | None = None,
) -> bytes:
    """PDF of the payment schedule with totals of payments, principal and interest."""
    total_payment = sum((row.payment for row in rows), start=Decimal(0))
    total_principal = sum((row.principal for row in rows), start=Decimal(0))
    total_interest = sum((row.interest for row in rows), start=Decimal(0))

    document = CertificateDocument(TITLE, header, bank, fonts)
    document.fields(
        (
            ("Сумма кредита", money(principal)),
            ("Процентная ставка", f"{percent(rate_percent)} годовых"),
            ("Количество платежей", str(len(rows))),
        )
    )
    document.amounts_table(
        ("№", "Дата платежа", "Платёж", "Основной долг", "Проценты", "Остаток долга"),
        [
            (
                str(row.number),
                day(row.due_date),
                money(row.payment),
                money(row.principal),
                money(row.interest),
                money(row.balance_after),
            )
            for row in rows
        ],
        ("Итого", money(total_payment), money(total_principal), money(total_interest), ""),
        col_widths=(10, 22, 26, 26, 26, 30),
        align=("CENTER", "CENTER", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
    )
    document.paragraph(
        f"Всего платежей: {money(total_payment)}, в том числе проценты: {money(total_interest)}.", bold=True
    )
    document.paragraph("При досрочном погашении или изменении условий договора график пересчитывается.")
    return document.to_bytes()
