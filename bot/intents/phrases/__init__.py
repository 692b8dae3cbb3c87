"""The phrase-set files: `[intent]` headers, one phrasing a line under each, `#` comments; `[none]`: no request.

The training sets (`train.ru.txt`, `train.en.txt`) are package data beside this module; the held-out sets in
`bench/intents_heldout/` have the same format."""

from pathlib import Path

from bot.intents.catalog import Intent

HERE = Path(__file__).resolve().parent
NONE = "none"


def training(language: str) -> Path:
    """The packaged training phrase set of a language (`ru`, `en`)."""
    return HERE / f"train.{language}.txt"


def parse(text: str, *, source: str = "<text>") -> dict[Intent | None, list[str]]:
    """Each section's phrasings in file order; `[none]` is keyed by None. A bad header or a phrasing outside any
    section is a ValueError naming the line."""
    sections: dict[Intent | None, list[str]] = {}
    current: list[str] | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            name = line[1:-1].strip()
            try:
                key = None if name == NONE else Intent(name)
            except ValueError:
                raise ValueError(f"{source}:{number}: unknown section [{name}]") from None
            current = sections.setdefault(key, [])
            continue
        if current is None:
            raise ValueError(f"{source}:{number}: a phrasing before the first [section]")
        current.append(line)
    return sections


def load(path: str | Path) -> dict[Intent | None, list[str]]:
    """The phrase set in the file at `path` (UTF-8)."""
    path = Path(path)
    return parse(path.read_text(encoding="utf-8"), source=path.name)
