"""The outstanding-debt certificate: the debt's lines and their total on a date, and the next payment."""

import io
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader

from api.certificates import DebtAmounts, render_outstanding_debt

ON_TIME = DebtAmounts(Decimal("2193456.78"), Decimal("0"), Decimal("0"), Decimal("13214.20"))
IN_ARREARS = DebtAmounts(Decimal("2150000.00"), Decimal("8123.45"), Decimal("41177.43"), Decimal("10100.12"))


def _render(header, bank, **overrides) -> bytes:
    arguments = {
        "on_date": date(2025, 2, 1),
        "debt": ON_TIME,
        "next_due_date": date(2025, 2, 14),
        "next_payment": Decimal("49300.88"),
    } | overrides
    return render_outstanding_debt(header, bank=bank, **arguments)


def test_states_the_debt_on_the_date(header, bank, page_one_text):
    text = page_one_text(_render(header, bank))
    lines = text.splitlines()

    assert "Справка об остатке задолженности" in text
    assert "Заёмщик: Иванова Мария Сергеевна" in text
    assert "№ 12/345-ИК от 14.06.2019" in text
    assert "ИНН 7701234567" in text and "БИК 044525123" in text
    assert "По состоянию на 01.02.2025 задолженность" in text
    assert "Основной долг, срок уплаты которого не истёк 2 193 456,78 ₽" in lines
    assert "Просроченный основной долг 0,00 ₽" in lines
    assert "Просроченные проценты 0,00 ₽" in lines
    assert "Проценты, начисленные по 01.02.2025 13 214,20 ₽" in lines
    assert "Итого задолженность 2 206 670,98 ₽" in lines
    assert "Дата очередного платежа: 14.02.2025" in text
    assert "Сумма очередного платежа: 49 300,88 ₽" in text
    assert "будущих платежей" not in text


def test_each_line_once_and_the_total_their_sum(header, bank, page_one_text, rub):
    lines = page_one_text(_render(header, bank, debt=IN_ARREARS)).splitlines()

    assert "Просроченный основной долг 8 123,45 ₽" in lines
    assert "Просроченные проценты 41 177,43 ₽" in lines
    assert f"Итого задолженность {rub(Decimal('2209401.00'))}" in lines
    assert sum(" ₽" in line for line in lines if not line.startswith("Сумма очередного")) == 5


def test_money_paid_ahead_is_stated_apart(header, bank, page_one_text):
    debt = DebtAmounts(Decimal("2193456.78"), Decimal("0"), Decimal("0"), Decimal("13214.20"), Decimal("49300.88"))
    text = " ".join(page_one_text(_render(header, bank, debt=debt)).splitlines())

    assert "в счёт будущих платежей внесено 49 300,88 ₽" in text
    assert "Итого задолженность 2 206 670,98 ₽" in text


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
