"""«Справка об уплаченных процентах»: interest and principal paid by month, for the tax deduction."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from api.certificates.data import BankDetails, CertificateHeader, MonthAmounts
from api.certificates.fonts import FontFiles
from api.certificates.formatting import day, money, month_name
from api.certificates.layout import CertificateDocument, with_font_fallback

TITLE = "Справка об уплаченных процентах"


@with_font_fallback
def render_interest_paid(
    header: CertificateHeader,
    *,
    bank: BankDetails,
    year: int,
    months: Sequence[MonthAmounts],
    as_of: date | None = None,
    fonts: FontFiles | None = None,
) -> bytes:
    """PDF of principal and interest actually paid in each given month of `year`, with totals.

    `as_of` is the last day covered of a year not yet over: the figures are stated as of that day.
    """
    if len({entry.month for entry in months}) != len(months):
        raise ValueError("each month may appear only once")
    ordered = sorted(months, key=lambda entry: entry.month)
    total_principal = sum((entry.principal for entry in ordered), start=Decimal(0))
    total_interest = sum((entry.interest for entry in ordered), start=Decimal(0))

    period = f"{year} год" if as_of is None else f"{year} год по состоянию на {day(as_of)}"
    document = CertificateDocument(TITLE, header, bank, fonts)
    document.paragraph(
        "Справка выдана для представления в налоговый орган в целях получения имущественного "
        f"налогового вычета. Суммы, фактически уплаченные по кредитному договору за {period}:"
    )
    document.amounts_table(
        ("Месяц", "Основной долг", "Проценты"),
        [(month_name(entry.month), money(entry.principal), money(entry.interest)) for entry in ordered],
        ("Итого", money(total_principal), money(total_interest)),
        col_widths=(2, 2, 2),
        align=("LEFT", "RIGHT", "RIGHT"),
    )
    document.paragraph(
        f"За {period} уплачено процентов: {money(total_interest)}, основного долга: {money(total_principal)}.",
        bold=True,
    )
    return document.to_bytes()
