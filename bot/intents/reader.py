"""What a typed message asks for: the best three intents with their confidence, whether the best is sure enough to
act on without asking, and the values (entities) the message already gives.

One model reads both languages (borrowers switch and transliterate), so `language` only reaches the entities.
The model is trained from the packaged phrase sets when the reader is built (about a second, nothing downloaded).
`read` logs nothing: the caller logs the intent and its confidence, never the text."""

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache

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


def _within_one_edit(a: str, b: str) -> bool:
    """`a` and `b` equal but for at most one letter added, dropped or changed (a typo)."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(a))
    return a[i + (len(a) == len(b)) :] == b[i + 1 :]


#: A word is an intent's own when at least this share of the phrasings holding it are that intent's.
OWN_SHARE = 0.6


def own_words(sets: Iterable[Mapping[Intent | None, list[str]]]) -> dict[Intent, frozenset[str]]:
    """Each intent's own words, normalised: its one-word phrasings ("баланс") and the words that mostly occur in its
    phrasings ("график", "hello"; not "что" or "here", which many intents' phrasings hold)."""
    holding: dict[str, Counter[Intent | None]] = defaultdict(Counter)
    words: dict[Intent, set[str]] = defaultdict(set)
    for phrase_set in sets:
        for intent, phrasings in phrase_set.items():
            for normalised in filter(None, map(normalise, phrasings)):
                if intent is not None and " " not in normalised:
                    words[intent].add(normalised)
                for word in set(normalised.split()):
                    holding[word][intent] += 1
    for word, counts in holding.items():
        (intent, count), total = counts.most_common(1)[0], sum(counts.values())
        if intent is not None and count / total >= OWN_SHARE:
            words[intent].add(word)
    return {intent: frozenset(found) for intent, found in words.items()}


class IntentReader:
    """Built once per process (`build`), then read from any task: reading changes nothing in it.

    A message of one word is sure only when the word is (but for a typo) one of the intent's own words
    (`own_words`): character n-grams find "here" close to "help" and "five" to "feedback", and a lone word gives the
    model too little to be trusted on its own."""

    def __init__(
        self,
        model: IntentModel,
        *,
        words: Mapping[Intent, frozenset[str]],
        threshold: float = THRESHOLD,
        margin: float = MARGIN,
    ) -> None:
        self._model = model
        self._words = words
        self.threshold = threshold
        self.margin = margin

    @classmethod
    def build(cls) -> "IntentReader":
        """A reader trained on the packaged phrase sets of both languages."""
        sets = [load(training(language)) for language in LANGUAGES]
        return cls(IntentModel.train(sets), words=own_words(sets))

    def _word_known(self, intent: Intent, word: str) -> bool:
        known = self._words.get(intent, frozenset())
        return word in known or (len(word) >= 5 and any(_within_one_edit(word, w) for w in known if len(w) >= 5))

    def read(self, text: str, language: str, *, today: date) -> Reading:
        """The reading of `text` (at most the first `LIMIT` characters are looked at); NOTHING if no word in it."""
        if not isinstance(text, str) or not (normalised := normalise(text)):
            return NOTHING
        ranked = self._model.probabilities(normalised)
        # the three likeliest intents, however unlikely: which are worth a button is the caller's choice
        guesses = tuple(Guess(intent, round(p, 4)) for intent, p in ranked if intent is not None)[:GUESSES]
        (top, p_top), (_, p_next) = ranked[0], ranked[1]
        sure = top is not None and p_top >= self.threshold and p_top - p_next >= self.margin
        if sure and " " not in normalised:
            sure = self._word_known(top, normalised)
        return Reading(guesses, sure, extract(text[: LIMIT * 2], language, today=today))


@cache
def process_reader() -> IntentReader:
    """The process's one reader, built at the first call: every dispatcher the process sets up (replicas in a test,
    the shell's, a hypothesis example's) shares it."""
    return IntentReader.build()
