"""The Unicode TTF fonts certificates are set in: DejaVu Sans from matplotlib, and a compact cut of it.

fpdf2 parses a document's fonts anew for every document (it subsets them in place when it writes), and the full
DejaVu faces hold some 6,200 glyphs each: parsing them was half of a certificate's cost. The compact cut keeps the
scripts a certificate is written in (Latin, Cyrillic, their punctuation, currency signs, №), some 800 glyphs, and
names the full faces as its fallback for a document that uses a glyph it lacks (a name in Greek or Georgian, say).
"""

import hashlib
import os
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import fontTools
import matplotlib
from fontTools import subset
from fontTools.ttLib import TTFont
from fpdf import FPDF

FAMILY = "CertificateSans"

#: The code points the compact faces keep: Latin with its extensions and combining marks, Cyrillic and its
#: supplement, general punctuation, currency signs (₽), letterlike symbols (№).
COMPACT_RANGES = ((0x20, 0x24F), (0x300, 0x36F), (0x400, 0x52F), (0x2010, 0x205E), (0x20A0, 0x20CF), (0x2116, 0x2116))


@dataclass(frozen=True, slots=True)
class FontFiles:
    """Paths to the regular and bold faces of one TTF family with Cyrillic glyphs."""

    regular: Path
    bold: Path
    #: The faces to draw the document in again if these lack a glyph it uses.
    fallback: "FontFiles | None" = None


@cache
def default_fonts() -> FontFiles:
    """DejaVu Sans as bundled with matplotlib, so every machine renders the same bytes."""
    ttf_dir = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return FontFiles(regular=ttf_dir / "DejaVuSans.ttf", bold=ttf_dir / "DejaVuSans-Bold.ttf")


@cache
def compact_fonts() -> FontFiles:
    """The default faces cut to `COMPACT_RANGES`, made once a machine in the temporary directory (named by what
    they are cut from, so processes share them and a new matplotlib or fontTools makes them anew)."""
    full = default_fonts()
    return FontFiles(regular=_compact(full.regular), bold=_compact(full.bold), fallback=full)


def _compact(source: Path) -> Path:
    options = subset.Options(notdef_outline=True, hinting=False, layout_features=[], name_IDs=["*"])
    options.drop_tables += ["FFTM"]  # FontForge's timestamps, which fontTools cannot cut
    made_of = f"{COMPACT_RANGES}{sorted(vars(options).items())}{fontTools.version}".encode()
    digest = hashlib.sha256(source.read_bytes() + made_of).hexdigest()[:16]
    cut = Path(tempfile.gettempdir()) / f"ipoteka-{source.stem}-{digest}.ttf"
    if not cut.exists():
        font = TTFont(source, recalcTimestamp=False)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=[point for low, high in COMPACT_RANGES for point in range(low, high + 1)])
        subsetter.subset(font)
        written = cut.with_name(f"{cut.stem}.{os.getpid()}.tmp")
        font.save(written)
        written.replace(cut)  # atomic: a process beside this one reads the whole file or none
    return cut


def register_fonts(pdf: FPDF, fonts: FontFiles) -> None:
    """Make both faces available to `pdf` under `FAMILY`."""
    pdf.add_font(FAMILY, "", fonts.regular)
    pdf.add_font(FAMILY, "B", fonts.bold)
