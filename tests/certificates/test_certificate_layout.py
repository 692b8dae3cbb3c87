"""The shared page frame: a long borrower name wraps inside the page instead of running off it."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

from api.certificates import render_closure

LONG_NAME = (
    "Константинопольская-Верхнеднепровская Александра-Виктория Вячеславовна "
    "Христорождественская-Преображенская Анна-Мария Святославовна"
)


def test_a_long_borrower_name_wraps_onto_several_lines(header, bank, page_one_text):
    pdf = render_closure(
        replace(header, borrower_full_name=LONG_NAME),
        bank=bank,
        closed_on=date(2025, 1, 20),
        principal=Decimal("4000000"),
        total_paid=Decimal("8874160.03"),
    )
    lines = page_one_text(pdf).splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Заёмщик:"))
    end = next(i for i, line in enumerate(lines) if line.startswith("Кредитный договор:"))
    name_lines = lines[start:end]

    assert len(name_lines) >= 2
    assert " ".join(name_lines) == f"Заёмщик: {LONG_NAME}"
