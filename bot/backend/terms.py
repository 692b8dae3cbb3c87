"""The limits every dialog asks within, as the backend states them (its `GeneralTerms`)."""

from bot.backend.models import Answer


class GeneralTerms(Answer):
    max_text: int  # the longest free text the backend keeps: a case's summary, a rating's comment
    max_file_bytes: int
