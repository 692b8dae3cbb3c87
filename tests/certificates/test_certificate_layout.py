"""The shared page frame: a long borrower name wraps inside the page; the creation date is in the bank's zone."""

import io
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from pypdf import PdfReader

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


def test_the_creation_date_is_the_issue_day_in_the_banks_zone(header, bank):
    for zone, hours in (("Europe/Moscow", 3), ("Asia/Vladivostok", 10)):
        pdf = render_closure(
            replace(header, zone=ZoneInfo(zone)),
            bank=bank,
            closed_on=date(2025, 1, 20),
            principal=Decimal("4000000"),
            total_paid=Decimal("5000000"),
        )
        created = PdfReader(io.BytesIO(pdf)).metadata.creation_date
        assert created.date() == header.issued_on
        assert created.utcoffset() == timedelta(hours=hours)
