"""«Справка о закрытии кредита»: obligations fulfilled in full, the bank has no claims."""

from datetime import date
from decimal import Decimal

from api.certificates.data import BankDetails, CertificateHeader
from api.certificates.fonts import FontFiles
from api.certificates.formatting import day, money
from api.certificates.layout import CertificateDocument, with_font_fallback

TITLE = "Справка о закрытии кредита"


@with_font_fallback
def render_closure(
    header: CertificateHeader,
    *,
    bank: BankDetails,
    closed_on: date,
    principal: Decimal,
    total_paid: Decimal,
    fonts: FontFiles | None = None,
) -> bytes:
    """PDF confirming the loan was repaid in full on `closed_on`."""
    document = CertificateDocument(TITLE, header, bank, fonts)
    document.paragraph(
        f"{bank.name} подтверждает, что обязательства заёмщика по кредитному договору "
        f"№ {header.contract_number} от {day(header.contract_date)} исполнены в полном объёме, "
        f"кредит закрыт {day(closed_on)}."
    )
    document.fields(
        (
            ("Сумма кредита", money(principal)),
            ("Всего уплачено по договору", money(total_paid)),
            ("Дата закрытия", day(closed_on)),
        )
    )
    document.paragraph("Банк не имеет претензий к заёмщику по данному кредитному договору.", bold=True)
    return document.to_bytes()
