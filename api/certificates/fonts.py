"""The Unicode TTF fonts certificates are set in (DejaVu Sans from matplotlib by default)."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import matplotlib
from fpdf import FPDF

FAMILY = "CertificateSans"


@dataclass(frozen=True, slots=True)
class FontFiles:
    """Paths to the regular and bold faces of one TTF family with Cyrillic glyphs."""

    regular: Path
    bold: Path


@cache
def default_fonts() -> FontFiles:
    """DejaVu Sans as bundled with matplotlib, so every machine renders the same bytes."""
    ttf_dir = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return FontFiles(regular=ttf_dir / "DejaVuSans.ttf", bold=ttf_dir / "DejaVuSans-Bold.ttf")


def register_fonts(pdf: FPDF, fonts: FontFiles) -> None:
    """Make both faces available to `pdf` under `FAMILY`."""
    pdf.add_font(FAMILY, "", fonts.regular)
    pdf.add_font(FAMILY, "B", fonts.bold)
