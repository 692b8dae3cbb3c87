"""The intent classifier: character n-grams (and words) of the normalised text, a linear SVM over both languages'
phrase sets at once, its scores made probabilities by a softmax whose temperature is fitted on out-of-fold scores
(temperature scaling). `[none]` phrasings are a class of their own, so that form answers and chatter draw their
probability away from every intent."""

from collections import Counter
from collections.abc import Iterable, Mapping

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion
from sklearn.svm import LinearSVC

from bot.intents.catalog import Intent
from bot.intents.normalise import normalise

NONE = "none"  # the class label of the [none] phrasings


def _features() -> FeatureUnion:
    return FeatureUnion(
        [
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, dtype=np.float32)),
            (
                "words",
                TfidfVectorizer(
                    analyzer="word",
                    token_pattern=r"\S+",  # noqa: S106 (a pattern, not a secret)
                    sublinear_tf=True,
                    dtype=np.float32,
                ),
            ),
        ]
    )


FOLDS = 2  # out-of-fold scores for the temperature: each phrasing scored by the SVM fitted on the other half


class IntentModel:
    """Probabilities of each intent (and of no intent) for a text; trained once from phrase sets.

    Reading one message goes past scikit-learn's per-call checks: the fitted vocabularies, idf weights and SVM
    weights are held as plain arrays, which gives the same scores as `decision_function` (a test holds them equal)
    in a fraction of the time."""

    def __init__(self, features: FeatureUnion, svm: LinearSVC, temperature: float) -> None:
        self.features = features
        self.svm = svm
        self.temperature = temperature
        self._labels: tuple[Intent | None, ...] = tuple(
            None if label == NONE else Intent(label) for label in svm.classes_
        )
        self._blocks = []
        offset = 0
        for _, vectoriser in features.transformer_list:
            self._blocks.append((vectoriser.build_analyzer(), vectoriser.vocabulary_, vectoriser.idf_, offset))
            offset += len(vectoriser.vocabulary_)
        self._weights = np.ascontiguousarray(svm.coef_.T, dtype=np.float64)  # features x classes
        self._intercept = np.asarray(svm.intercept_, dtype=np.float64)

    @classmethod
    def train(cls, phrase_sets: Iterable[Mapping[Intent | None, list[str]]]) -> "IntentModel":
        texts: list[str] = []
        labels: list[str] = []
        for phrase_set in phrase_sets:
            for intent, phrasings in phrase_set.items():
                for phrasing in phrasings:
                    if text := normalise(phrasing):
                        texts.append(text)
                        labels.append(NONE if intent is None else str(intent))
        features = _features()
        matrix = features.fit_transform(texts)
        target = np.array(labels)
        svm = LinearSVC(C=1.0, random_state=0).fit(matrix, target)
        # folds by turns within each label (deterministic, every label in every fold)
        fold = np.zeros(len(labels), dtype=np.intp)
        for label in svm.classes_:
            where = np.flatnonzero(target == label)
            fold[where] = np.arange(len(where)) % FOLDS
        scores = np.zeros((len(labels), len(svm.classes_)))
        for k in range(FOLDS):
            held = fold == k
            scores[held] = (
                LinearSVC(C=1.0, random_state=0).fit(matrix[~held], target[~held]).decision_function(matrix[held])
            )
        truth = np.searchsorted(svm.classes_, target)

        def loss(temperature: float) -> float:
            return -float(log_softmax(scores / temperature, axis=1)[np.arange(len(truth)), truth].mean())

        temperature = float(minimize_scalar(loss, bounds=(0.01, 10.0), method="bounded").x)
        return cls(features, svm, temperature)

    @property
    def labels(self) -> tuple[Intent | None, ...]:
        return self._labels

    def _vector(self, normalised: str) -> tuple[np.ndarray, np.ndarray]:
        """The text's nonzero feature columns and their values (as `features.transform`)."""
        all_columns, all_values = [], []
        for analyse, vocabulary, idf, offset in self._blocks:
            counts = Counter(analyse(normalised))
            found = [(vocabulary[gram], n) for gram, n in counts.items() if gram in vocabulary]
            if not found:
                continue
            columns = np.fromiter((offset + column for column, _ in found), dtype=np.intp, count=len(found))
            values = 1.0 + np.log(np.fromiter((n for _, n in found), dtype=np.float64, count=len(found)))
            values *= idf[columns - offset]
            values /= np.sqrt(values @ values)
            all_columns.append(columns)
            all_values.append(values)
        if not all_columns:
            return np.zeros(0, dtype=np.intp), np.zeros(0)
        return np.concatenate(all_columns), np.concatenate(all_values)

    def scores(self, normalised: str) -> np.ndarray:
        """The SVM's decision value of each label for a normalised text (as `decision_function`)."""
        columns, values = self._vector(normalised)
        return self._intercept + values @ self._weights[columns]

    def probabilities(self, normalised: str) -> list[tuple[Intent | None, float]]:
        """Every label with its probability, the most likely first; None is "no request"."""
        row = np.exp(log_softmax(self.scores(normalised) / self.temperature))
        order = np.argsort(-row, kind="stable")
        return [(self._labels[i], float(row[i])) for i in order]
