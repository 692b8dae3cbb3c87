"""The page frame shared by all certificates: letterhead, title, parties, tables and footer."""

from collections.abc import Callable, Sequence
from datetime import datetime, time
from functools import wraps

from fpdf import FPDF, FontFace, XPos, YPos

from api.certificates.data import BankDetails, CertificateHeader
from api.certificates.fonts import FAMILY, FontFiles, compact_fonts, default_fonts, register_fonts
from api.certificates.formatting import day

MARGIN_LEFT, MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM = 20, 15, 15, 20
BODY_SIZE, TABLE_SIZE, SMALL_SIZE = 10, 9, 7.5
BODY_LINE, SMALL_LINE = 5, 3.6
LABEL_MIN_WIDTH = 50
GREY = 90
FILL = 235
ELECTRONIC_NOTE = "Документ сформирован в электронном виде."
HEADINGS_STYLE = FontFace(emphasis="BOLD", fill_color=FILL)
TOTAL_STYLE = FontFace(emphasis="BOLD", fill_color=FILL)
NEXT_LINE = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}


class GlyphsMissing(Exception):
    """The document uses a glyph its fonts lack, and they name `fallback` to draw it in again."""

    def __init__(self, fallback: FontFiles) -> None:
        super().__init__("a glyph the fonts lack")
        self.fallback = fallback


def with_font_fallback(render: Callable[..., bytes]) -> Callable[..., bytes]:
    """`render` (taking `fonts=`) drawn in the compact fonts unless told others, and again in their full faces if the
    document uses a glyph the compact ones lack."""

    @wraps(render)
    def draw(*args, fonts: FontFiles | None = None, **kwargs) -> bytes:
        try:
            return render(*args, fonts=fonts or compact_fonts(), **kwargs)
        except GlyphsMissing as missing:
            return render(*args, fonts=missing.fallback, **kwargs)

    return draw


class CertificateDocument(FPDF):
    """An A4 certificate: letterhead on page 1, a running header after it, a footer on every page."""

    def __init__(
        self, title: str, header: CertificateHeader, bank: BankDetails, fonts: FontFiles | None = None
    ) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self._heading = title
        self._certificate = header
        self._bank = bank
        self._fonts = fonts or default_fonts()
        register_fonts(self, self._fonts)
        self.set_margins(MARGIN_LEFT, MARGIN_TOP, MARGIN_RIGHT)
        self.set_auto_page_break(auto=True, margin=MARGIN_BOTTOM)
        self.set_title(title)
        self.set_author(bank.name)
        self.set_creator("Ipoteka Assistant")
        self.set_lang("ru-RU")
        self.set_creation_date(datetime.combine(header.issued_on, time(), tzinfo=header.zone))
        self.add_page()
        self._letterhead()
        self._title_block()
        self.fields(
            (
                ("Заёмщик", header.borrower_full_name),
                ("Кредитный договор", f"№ {header.contract_number} от {day(header.contract_date)}"),
            )
        )

    def header(self) -> None:
        """Continuation pages name the certificate they belong to."""
        if self.page_no() == 1:
            return
        self._style(SMALL_SIZE, grey=True)
        self.cell(0, SMALL_LINE, f"{self._heading} {self._number_line()}", **NEXT_LINE)
        self._rule()
        self.ln(3)

    def footer(self) -> None:
        """The note that the document was generated electronically, and «стр. N из M»."""
        self.set_y(-MARGIN_BOTTOM + 6)
        self._rule()
        self._style(SMALL_SIZE, grey=True)
        self.cell(self.epw / 2, SMALL_LINE, ELECTRONIC_NOTE)
        self.cell(0, SMALL_LINE, f"стр. {self.page_no()} из {self.str_alias_nb_pages}", align="R")

    def paragraph(self, text: str, *, bold: bool = False) -> None:
        """A left-aligned paragraph of body text followed by a small gap."""
        self._style(BODY_SIZE, bold=bold)
        self.multi_cell(0, BODY_LINE, text, align="L", **NEXT_LINE)
        self.ln(2)

    def fields(self, pairs: Sequence[tuple[str, str]]) -> None:
        """``Label: value`` lines; a long value wraps under itself, never past the right margin."""
        self._style(BODY_SIZE, bold=True)
        label_width = max(LABEL_MIN_WIDTH, *(self.get_string_width(f"{label}:") + 3 for label, _ in pairs))
        for label, value in pairs:
            self._style(BODY_SIZE, bold=True)
            self.cell(label_width, BODY_LINE, f"{label}:")
            self._style(BODY_SIZE)
            self.multi_cell(0, BODY_LINE, value, align="L", **NEXT_LINE)
        self.ln(3)

    def amounts_table(
        self,
        headings: Sequence[str],
        rows: Sequence[Sequence[str]],
        total: Sequence[str],
        *,
        col_widths: Sequence[float],
        align: Sequence[str],
    ) -> None:
        """A bordered table whose heading row repeats on every page, closed by a bold total row.

        A total row shorter than the headings widens its first cell (the label) over the missing columns.
        """
        self._style(TABLE_SIZE)
        with self.table(
            col_widths=tuple(col_widths),
            text_align=tuple(align),
            headings_style=HEADINGS_STYLE,
            line_height=TABLE_SIZE * 0.5,
            padding=(1, 1.5),
            repeat_headings=1,
        ) as table:
            heading_row = table.row()
            for heading in headings:
                heading_row.cell(heading, align="C")
            for row in rows:
                table.row(row)
            total_row = table.row(style=TOTAL_STYLE)
            total_row.cell(total[0], colspan=len(headings) - len(total) + 1)
            for cell in total[1:]:
                total_row.cell(cell)
        self.ln(4)

    def to_bytes(self) -> bytes:
        """The finished PDF; `GlyphsMissing` if a glyph it uses is not in its fonts and they have a fallback."""
        if self._fonts.fallback is not None and any(font.missing_glyphs for font in self.fonts.values()):
            raise GlyphsMissing(self._fonts.fallback)
        return bytes(self.output())

    def _letterhead(self) -> None:
        bank = self._bank
        self._style(12, bold=True)
        self.multi_cell(0, 6, bank.name, align="L", **NEXT_LINE)
        self._style(SMALL_SIZE, grey=True)
        for line in (
            bank.address,
            f"ИНН {bank.inn}, КПП {bank.kpp}, ОГРН {bank.ogrn}",
            f"БИК {bank.bik}, корр. счёт {bank.correspondent_account}",
            f"Лицензия Банка России № {bank.license}, телефон {bank.phone}",
        ):
            self.multi_cell(0, SMALL_LINE, line, align="L", **NEXT_LINE)
        self.ln(1)
        self._rule()
        self.ln(8)

    def _title_block(self) -> None:
        self._style(14, bold=True)
        self.multi_cell(0, 7, self._heading, align="C", **NEXT_LINE)
        self._style(BODY_SIZE)
        self.multi_cell(0, BODY_LINE, self._number_line(), align="C", **NEXT_LINE)
        self.ln(6)

    def _number_line(self) -> str:
        return f"№ {self._certificate.number} от {day(self._certificate.issued_on)}"

    def _style(self, size: float, *, bold: bool = False, grey: bool = False) -> None:
        self.set_font(FAMILY, "B" if bold else "", size)
        self.set_text_color(GREY if grey else 0)

    def _rule(self) -> None:
        self.set_draw_color(GREY)
        self.set_line_width(0.2)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(1)
