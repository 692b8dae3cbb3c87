"""The outstanding-debt certificate: balance, overdue amount and next payment on a date."""

import io
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader

from api.certificates import render_outstanding_debt


def _render(header, bank, **overrides) -> bytes:
    arguments = {
        "on_date": date(2025, 2, 1),
        "principal_outstanding": Decimal("2193456.78"),
        "overdue_amount": Decimal("0"),
        "next_due_date": date(2025, 2, 14),
        "next_payment": Decimal("49300.88"),
    } | overrides
    return render_outstanding_debt(header, bank=bank, **arguments)


def test_states_the_debt_on_the_date(header, bank, page_one_text):
    text = page_one_text(_render(header, bank))

    assert "Справка об остатке задолженности" in text
    assert "Заёмщик: Иванова Мария Сергеевна" in text
    assert "№ 12/345-ИК от 14.06.2019" in text
    assert "ИНН 7701234567" in text and "БИК 044525123" in text
    assert "По состоянию на 01.02.2025 задолженность" in text
    assert "Остаток основного долга: 2 193 456,78 ₽" in text
    assert "Просроченная задолженность: отсутствует" in text
    assert "Дата очередного платежа: 14.02.2025" in text
    assert "Сумма очередного платежа: 49 300,88 ₽" in text


def test_an_overdue_amount_is_shown(header, bank, page_one_text):
    text = page_one_text(_render(header, bank, overdue_amount=Decimal("1250.5")))

    assert "Просроченная задолженность: 1 250,50 ₽" in text


def test_without_a_next_payment_no_payment_lines(header, bank, page_one_text):
    text = page_one_text(_render(header, bank, next_due_date=None, next_payment=None))

    assert "очередного платежа" not in text


def test_next_date_without_amount_is_refused(header, bank):
    with pytest.raises(ValueError, match="together"):
        _render(header, bank, next_payment=None)


def test_deterministic_with_title_metadata(header, bank):
    pdf = _render(header, bank)

    assert pdf == _render(header, bank)
    assert PdfReader(io.BytesIO(pdf)).metadata.title == "Справка об остатке задолженности"
