"""The loan-closure certificate: obligations fulfilled in full, no claims."""

import io
from datetime import date
from decimal import Decimal

from pypdf import PdfReader

from api.certificates import render_closure


def _render(header, bank) -> bytes:
    return render_closure(
        header,
        bank=bank,
        closed_on=date(2025, 1, 20),
        principal=Decimal("4000000"),
        total_paid=Decimal("8874160.03"),
    )


def test_confirms_full_repayment_and_no_claims(header, bank, page_one_text):
    text = " ".join(page_one_text(_render(header, bank)).splitlines())

    assert "Справка о закрытии кредита" in text
    assert "Заёмщик: Иванова Мария Сергеевна" in text
    assert "ИНН 7701234567" in text and "БИК 044525123" in text
    assert "№ 12/345-ИК от 14.06.2019 исполнены в полном объёме" in text
    assert "кредит закрыт 20.01.2025" in text
    assert "Сумма кредита: 4 000 000,00 ₽" in text
    assert "Всего уплачено по договору: 8 874 160,03 ₽" in text
    assert "Банк не имеет претензий к заёмщику" in text


def test_deterministic_with_title_metadata(header, bank):
    pdf = _render(header, bank)

    assert pdf == _render(header, bank)
    assert PdfReader(io.BytesIO(pdf)).metadata.title == "Справка о закрытии кредита"
