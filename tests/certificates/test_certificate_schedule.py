"""The payment schedule: 180 rows over several pages, headings repeated, every figure, totals."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest

from api.certificates import ScheduleRow, render_schedule

PRINCIPAL = Decimal("4000000.00")
RATE = Decimal("12.5")
PAYMENT = Decimal("49300.88")  # the annuity for 4 M at 12.5 % over 180 months (SPEC §6)
HEADINGS = "№ Дата платежа Платёж Основной долг Проценты Остаток долга"


def _rows(count: int = 180) -> list[ScheduleRow]:
    """A plain annuity schedule from monthly interest on the balance; the last payment clears it."""
    rows, balance = [], PRINCIPAL
    for number in range(1, count + 1):
        interest = (balance * RATE / 1200).quantize(Decimal("0.01"), ROUND_HALF_UP)
        principal = balance if number == count else PAYMENT - interest
        balance -= principal
        month = 6 + number  # first payment in July 2019
        due = date(2019 + (month - 1) // 12, (month - 1) % 12 + 1, 14)
        rows.append(ScheduleRow(number, due, principal + interest, principal, interest, balance))
    return rows


@pytest.fixture(scope="module")
def rows() -> list[ScheduleRow]:
    return _rows()


@pytest.fixture(scope="module")
def pdf(header, bank, rows) -> bytes:
    """The schedule rendered once for the module (~1.5 s a rendering): the tests only read it."""
    return render_schedule(header, bank=bank, rows=rows, principal=PRINCIPAL, rate_percent=RATE)


@pytest.fixture(scope="module")
def pages(pdf, pages_text) -> list[str]:
    return pages_text(pdf)


def test_the_table_spans_several_pages_with_headings_on_each(pages):
    assert len(pages) >= 4
    for number, page in enumerate(pages, start=1):
        assert HEADINGS in page.splitlines()
        assert f"стр. {number} из {len(pages)}" in page


def test_page_one_has_the_letterhead_and_loan_terms(pages):
    first = pages[0]

    assert "График платежей" in first
    assert "ИНН 7701234567" in first and "БИК 044525123" in first
    assert "Заёмщик: Иванова Мария Сергеевна" in first
    assert "Кредитный договор: № 12/345-ИК от 14.06.2019" in first
    assert "Сумма кредита: 4 000 000,00 ₽" in first
    assert "Процентная ставка: 12,5 % годовых" in first
    assert "Количество платежей: 180" in first


def test_continuation_pages_name_the_certificate(pages):
    for page in pages[1:]:
        assert page.startswith("График платежей № ИП-2025-000123 от 03.02.2025")
        assert "ИНН" not in page


def test_every_row_appears_in_order_with_all_its_figures(pages, rows, rub):
    lines = [line for page in pages for line in page.splitlines()]
    expected = [
        f"{r.number} {r.due_date:%d.%m.%Y} {rub(r.payment)} {rub(r.principal)} {rub(r.interest)} {rub(r.balance_after)}"
        for r in rows
    ]

    positions = [lines.index(line) for line in expected]
    assert positions == sorted(positions)
    assert expected[0] == "1 14.07.2019 49 300,88 ₽ 7 634,21 ₽ 41 666,67 ₽ 3 992 365,79 ₽"
    assert expected[-1].endswith(" 0,00 ₽")


def test_totals_close_the_schedule(pages, rows, rub):
    total_payment = sum(r.payment for r in rows)
    total_interest = sum(r.interest for r in rows)
    last = pages[-1]

    assert f"Итого {rub(total_payment)} {rub(PRINCIPAL)} {rub(total_interest)}" in last.splitlines()
    assert f"Всего платежей: {rub(total_payment)}, в том числе проценты: {rub(total_interest)}." in last


def test_same_schedule_gives_the_same_bytes(header, bank, rows, pdf):
    assert render_schedule(header, bank=bank, rows=rows, principal=PRINCIPAL, rate_percent=RATE) == pdf
