"""Typed text made comparable: lower case, ё as е, no punctuation, emoji or control characters, stretched letters
("спасибоооо") brought back, digits as one shape; only the first LIMIT characters are looked at."""

import re
import unicodedata

LIMIT = 300  # a request is a sentence or two; past this a message is read by a person, not guessed at

_STRETCHED = re.compile(r"([^\W\d_])\1{2,}")  # a letter three times or more in a row
_NOT_WORD = re.compile(r"[\W_]+")
_DIGIT = re.compile(r"\d")


def normalise(text: str) -> str:
    """The words of `text` in one form, single spaces between them; every digit becomes 0, so "за 2024" and
    "за 2023" read alike (the values themselves are the entities' business)."""
    text = unicodedata.normalize("NFKC", text[: LIMIT * 2])[:LIMIT].casefold().replace("ё", "е")
    text = _NOT_WORD.sub(" ", text)
    text = _STRETCHED.sub(r"\1", text)
    text = _DIGIT.sub("0", text)
    return " ".join(text.split())
