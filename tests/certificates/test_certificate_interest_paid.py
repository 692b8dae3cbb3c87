"""The interest-paid certificate for the tax deduction: text, figures, metadata, determinism."""

import io
import shutil
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader

from api.certificates import FontFiles, MonthAmounts, default_fonts, render_interest_paid

MONTHS = [MonthAmounts(m, Decimal("8000.00") + m, Decimal("41300.88") - m * Decimal("10.01")) for m in range(1, 13)]
MONTH_NAMES = [
    "Январь", "Февраль", "Март", "Апрель", "Май", "Июнь",
    "Июль", "Август", "Сентябрь", "Октябрь", "Ноябрь", "Декабрь",
]  # fmt: skip


def test_page_one_names_document_borrower_contract_and_bank(header, bank, page_one_text):
    text = page_one_text(render_interest_paid(header, bank=bank, year=2024, months=MONTHS))

    assert "Справка об уплаченных процентах" in text
    assert "№ ИП-2025-000123 от 03.02.2025" in text
    assert "Заёмщик: Иванова Мария Сергеевна" in text
    assert "Кредитный договор: № 12/345-ИК от 14.06.2019" in text
    assert "АО «Ипотечный Банк»" in text
    assert "ИНН 7701234567, КПП 770101001, ОГРН 1027700123456" in text
    assert "БИК 044525123, корр. счёт 30101810400000000123" in text
    assert "имущественного" in text and "налогового вычета" in text
    assert "Документ сформирован в электронном виде." in text
    assert "стр. 1 из 1" in text


def test_every_month_and_the_totals_appear_exactly_as_formatted(header, bank, page_one_text, rub):
    text = page_one_text(render_interest_paid(header, bank=bank, year=2024, months=MONTHS))
    lines = text.splitlines()
    total_principal = sum(m.principal for m in MONTHS)
    total_interest = sum(m.interest for m in MONTHS)

    assert "Месяц Основной долг Проценты" in lines
    for entry, name in zip(MONTHS, MONTH_NAMES, strict=True):
        assert f"{name} {rub(entry.principal)} {rub(entry.interest)}" in lines
    assert f"Итого {rub(total_principal)} {rub(total_interest)}" in lines
    assert f"За 2024 год уплачено процентов: {rub(total_interest)}, основного долга: {rub(total_principal)}." in text


def test_babel_money_is_the_familiar_russian_format(header, bank, page_one_text):
    months = [MonthAmounts(3, Decimal("8000.00"), Decimal("41300.88"))]
    text = page_one_text(render_interest_paid(header, bank=bank, year=2024, months=months))

    assert "Март 8 000,00 ₽ 41 300,88 ₽" in text
    assert "уплачено процентов: 41 300,88 ₽, основного долга: 8 000,00 ₽." in text


def test_months_are_listed_in_calendar_order(header, bank, page_one_text):
    shuffled = [MONTHS[11], MONTHS[0], MONTHS[5]]
    text = page_one_text(render_interest_paid(header, bank=bank, year=2024, months=shuffled))

    assert text.index("Январь") < text.index("Июнь") < text.index("Декабрь")


def test_a_month_given_twice_is_refused(header, bank):
    with pytest.raises(ValueError, match="once"):
        render_interest_paid(header, bank=bank, year=2024, months=[MONTHS[0], MONTHS[0]])


def test_month_outside_the_calendar_is_refused():
    with pytest.raises(ValueError, match=r"1\.\.12"):
        MonthAmounts(13, Decimal(0), Decimal(0))


def test_same_input_gives_the_same_bytes(header, bank):
    first = render_interest_paid(header, bank=bank, year=2024, months=MONTHS)
    second = render_interest_paid(header, bank=bank, year=2024, months=MONTHS)

    assert first == second


def test_metadata_title_and_creation_date_come_from_the_issue_date(header, bank):
    pdf = render_interest_paid(header, bank=bank, year=2024, months=MONTHS)
    metadata = PdfReader(io.BytesIO(pdf)).metadata

    assert metadata.title == "Справка об уплаченных процентах"
    assert metadata.creation_date.date() == date(2025, 2, 3)
    later = render_interest_paid(replace(header, issued_on=date(2025, 2, 4)), bank=bank, year=2024, months=MONTHS)
    assert PdfReader(io.BytesIO(later)).metadata.creation_date.date() == date(2025, 2, 4)


def test_an_explicit_font_can_be_given(header, bank, tmp_path, page_one_text):
    bundled = default_fonts()
    fonts = FontFiles(regular=tmp_path / "regular.ttf", bold=tmp_path / "bold.ttf")
    shutil.copyfile(bundled.regular, fonts.regular)
    shutil.copyfile(bundled.bold, fonts.bold)

    text = page_one_text(render_interest_paid(header, bank=bank, year=2024, months=MONTHS, fonts=fonts))

    assert "Справка об уплаченных процентах" in text


def test_a_year_not_over_is_stated_as_of_its_last_covered_day(header, bank, page_one_text, rub):
    covered = MONTHS[:10]
    text = page_one_text(render_interest_paid(header, bank=bank, year=2024, months=covered, as_of=date(2024, 10, 31)))
    joined = " ".join(text.splitlines())

    assert "за 2024 год по состоянию на 31.10.2024:" in joined
    assert "Ноябрь" not in text and "Декабрь" not in text
    interest = sum(m.interest for m in covered)
    principal = sum(m.principal for m in covered)
    assert (
        f"За 2024 год по состоянию на 31.10.2024 уплачено процентов: {rub(interest)}, "
        f"основного долга: {rub(principal)}." in joined
    )
