"""The characters no text the backend keeps or shows may hold: control characters (NUL breaks PostgreSQL; line
breaks and tabs are text) and the bidirectional overrides, embeddings and isolates that make a name read reversed
(`‮fdp.exe` shown as `exe.pdf`)."""

import re

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: LRE RLE PDF LRO RLO and LRI RLI FSI PDI dropped; the weak marks (LRM, RLM) reorder nothing and stay.
_NO_BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def without_bidi_controls(text: str) -> str:
    """`text` without them; markup stays markup (`Markup.translate` keeps the type)."""
    return text.translate(_NO_BIDI_CONTROLS)
