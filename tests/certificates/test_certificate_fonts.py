"""Certificates are set in a compact cut of DejaVu Sans, and drawn again in the full faces when they need a glyph
the cut lacks, so a name in any script DejaVu covers prints as written."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from fontTools.ttLib import TTFont

from api.certificates import render_closure, render_interest_paid
from api.certificates.data import MonthAmounts
from api.certificates.fonts import compact_fonts, default_fonts

GREEK = "Παπαδόπουλος Γεώργιος"
GEORGIAN = "ბერიძე ნინო"


def _glyphs(path) -> set[int]:
    return set(TTFont(path).getBestCmap())


def _closure(header, bank, **changes) -> bytes:
    return render_closure(
        replace(header, **changes),
        bank=bank,
        closed_on=date(2025, 1, 20),
        principal=Decimal("4000000"),
        total_paid=Decimal("8874160.03"),
    )


def test_the_compact_faces_keep_what_a_russian_certificate_is_written_in_and_not_more():
    compact_faces, full_faces = compact_fonts(), default_fonts()
    for compact, full in ((compact_faces.regular, full_faces.regular), (compact_faces.bold, full_faces.bold)):
        kept, whole = _glyphs(compact), _glyphs(full)
        assert {ord(char) for char in "АаЁёЯяZz0123456789 «»—–№₽.,;:()%"} <= kept
        assert ord(GREEK[0]) not in kept and ord(GEORGIAN[0]) not in kept
        assert ord(GREEK[0]) in whole and ord(GEORGIAN[0]) in whole
        assert len(kept) < len(whole) / 5
    assert compact_fonts().fallback == default_fonts()


def test_a_russian_certificate_needs_no_glyph_the_compact_faces_lack(header, bank, page_one_text):
    pdf = render_interest_paid(
        header,
        bank=bank,
        year=2024,
        months=[MonthAmounts(month, Decimal("1234.56"), Decimal("7890.12")) for month in range(1, 13)],
    )
    assert "Справка об уплаченных процентах" in page_one_text(pdf)
    assert header.borrower_full_name in page_one_text(pdf)


@pytest.mark.parametrize("name", [GREEK, GEORGIAN, f"Иванова-{GREEK}"])
def test_a_name_in_another_script_prints_as_written(header, bank, page_one_text, name):
    assert f"Заёмщик: {name}" in page_one_text(_closure(header, bank, borrower_full_name=name))
