"""What a typed message asks for: the best three intents with their confidence, whether the best is sure enough to
act on without asking, and the values (entities) the message already gives.

One model reads both languages (borrowers switch and transliterate), so `language` only reaches the entities.
The model is trained from the packaged phrase sets when the reader is built (about a second, nothing downloaded).
`read` logs nothing: the caller logs the intent and its confidence, never the text."""

from dataclasses import dataclass
from datetime import date

from bot.intents.catalog import Intent
from bot.intents.entities import Entities, extract
from bot.intents.model import IntentModel
from bot.intents.normalise import LIMIT, normalise
from bot.intents.phrases import load, training

LANGUAGES = ("ru", "en")
# Sure: the best intent is at least this likely and this far ahead of the runner-up (or of "no request"). Chosen by
# 5-fold cross-validation on the training phrasings only (never the held-out set): out of fold, 0.98 asks 30% and is
# sure and wrong on 1.1% (0.95: 23% and 1.7%; 0.99: 36% and 0.6%): `python -m bench.intents --cross-validate`.
# The temperature-scaled probabilities are sharp (the final SVM sees all the phrasings), hence a threshold near 1.
THRESHOLD = 0.98
MARGIN = 0.3
GUESSES = 3


@dataclass(frozen=True)
class Guess:
    intent: Intent
    confidence: float  # 0..1


@dataclass(frozen=True)
class Reading:
    guesses: tuple[Guess, ...]  # best first, at most 3
    sure: bool  # the best is confident enough to act on without asking
    entities: Entities

    @property
    def best(self) -> Guess | None:
        return self.guesses[0] if self.guesses else None


NOTHING = Reading((), False, Entities())


class IntentReader:
    """Built once per process (`build`), then read from any task: reading changes nothing in it."""

    def __init__(self, model: IntentModel, *, threshold: float = THRESHOLD, margin: float = MARGIN) -> None:
        self._model = model
        self.threshold = threshold
        self.margin = margin

    @classmethod
    def build(cls) -> "IntentReader":
        """A reader trained on the packaged phrase sets of both languages."""
        return cls(IntentModel.train([load(training(language)) for language in LANGUAGES]))

    def read(self, text: str, language: str, *, today: date) -> Reading:
        """The reading of `text` (at most the first `LIMIT` characters are looked at); NOTHING if no word in it."""
        if not isinstance(text, str) or not (normalised := normalise(text)):
            return NOTHING
        ranked = self._model.probabilities(normalised)
        # the three likeliest intents, however unlikely: which are worth a button is the caller's choice
        guesses = tuple(Guess(intent, round(p, 4)) for intent, p in ranked if intent is not None)[:GUESSES]
        (top, p_top), (_, p_next) = ranked[0], ranked[1]
        sure = top is not None and p_top >= self.threshold and p_top - p_next >= self.margin
        return Reading(guesses, sure, extract(text[: LIMIT * 2], language, today=today))
