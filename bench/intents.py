"""Benchmark: the intent reader on the held-out phrase sets, beside a naive baseline.

Usage: python -m bench.intents [--heldout DIR] [--rounds 5] [--cross-validate]
The held-out sets (DIR/heldout.ru.txt, DIR/heldout.en.txt, default bench/intents_heldout/) were written apart from the
training sets and are never trained on. Each phrasing is read in its own file's language. Printed:
- top-1 accuracy per intent and language (the best guess is the intent written), and overall;
- the confusion table: only the cells off the diagonal that occur, "(no guess)" where the reader offered none;
- asked: the share of request phrasings where the reader was not sure (the bot offers its guesses as buttons);
- wrong dialog: the share of request phrasings read as sure and wrong (the bot would enter a dialog not asked for);
- [none]: the not-a-request phrasings read as sure of an intent, each shown;
- reading a message in the other language's chat (the language argument given wrong) changes nothing in the intent;
- CPU per message: time.process_time over every message, `--rounds` rounds, and the time to build the reader.
With --cross-validate it prints instead how the reader's threshold was chosen, from the training sets alone: 5-fold
out-of-fold top-1, asked and "sure and wrong" at each threshold of SWEEP.
The baseline, in the same run: the best rapidfuzz WRatio match among the raw training phrasings (no normalisation,
no model), sure at a score of 90 or more.
"""

import argparse
import time
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

from bot.intents.catalog import Intent
from bot.intents.model import IntentModel
from bot.intents.normalise import normalise
from bot.intents.phrases import load, training
from bot.intents.reader import LANGUAGES, MARGIN, THRESHOLD, IntentReader

ROOT = Path(__file__).resolve().parent.parent
HELDOUT = ROOT / "bench" / "intents_heldout"
TODAY = date(2026, 12, 7)
BASELINE_SURE = 90.0
SWEEP = (0.9, 0.95, 0.97, 0.98, 0.99, 0.995)
GOALS = {"top-1": 0.95, "wrong dialog": 0.01, "cpu ms": 5.0}

Sample = tuple[str, Intent | None, str]  # text, intent written (None: not a request), language
Answer = tuple[Intent | None, bool]  # best guess (None: no guess), sure


def samples(folder: Path) -> list[Sample]:
    return [
        (text, intent, language)
        for language in LANGUAGES
        for intent, texts in load(folder / f"heldout.{language}.txt").items()
        for text in texts
    ]


class Baseline:
    """The naive reader: the training phrasing nearest by rapidfuzz WRatio, its intent, sure at BASELINE_SURE."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.intents: list[Intent | None] = []
        for language in LANGUAGES:
            for intent, texts in load(training(language)).items():
                self.texts += texts
                self.intents += [intent] * len(texts)

    def answer(self, text: str, language: str) -> Answer:
        found = process.extractOne(text, self.texts, scorer=fuzz.WRatio)
        if found is None:
            return None, False
        _, score, index = found
        intent = self.intents[index]
        return intent, intent is not None and score >= BASELINE_SURE


def reader_answer(reader: IntentReader) -> Callable[[str, str], Answer]:
    def answer(text: str, language: str) -> Answer:
        reading = reader.read(text, language, today=TODAY)
        return (reading.best.intent if reading.best else None), reading.sure

    return answer


def cpu_per_message(answer: Callable[[str, str], Answer], data: list[Sample], rounds: int) -> float:
    start = time.process_time()
    for _ in range(rounds):
        for text, _, language in data:
            answer(text, language)
    return (time.process_time() - start) / (rounds * len(data)) * 1000


def label(intent: Intent | None) -> str:
    return "(no guess)" if intent is None else str(intent)


def evaluate(name: str, answer: Callable[[str, str], Answer], data: list[Sample], rounds: int) -> dict[str, float]:
    answers = [answer(text, language) for text, _, language in data]
    requests = [(s, a) for s, a in zip(data, answers, strict=True) if s[1] is not None]
    nones = [(s, a) for s, a in zip(data, answers, strict=True) if s[1] is None]
    right = sum(got == want for (_, want, _), (got, _) in requests)
    asked = sum(not sure for _, (_, sure) in requests)
    wrong = sum(sure and got != want for (_, want, _), (got, sure) in requests)
    taken = [(text, got) for (text, _, _), (got, sure) in nones if sure]
    cpu = cpu_per_message(answer, data, rounds)
    print(f"\n== {name}")
    print(f"top-1 {right / len(requests):.1%} ({right}/{len(requests)} request phrasings)")
    print(
        f"asked instead of guessed {asked / len(requests):.1%}; "
        f"wrong dialog (sure and wrong) {wrong / len(requests):.2%}"
    )
    print(f"[none] taken as sure {len(taken)}/{len(nones)}")
    print(f"CPU per message {cpu:.3f} ms (mean over {rounds} rounds of {len(data)} messages)")
    return {
        "top-1": right / len(requests),
        "asked": asked / len(requests),
        "wrong dialog": wrong / len(requests),
        "none sure": len(taken),
        "cpu ms": cpu,
        "taken": taken,
        "answers": answers,
    }


def details(data: list[Sample], answers: list[Answer], taken: list[tuple[str, Intent | None]]) -> None:
    print("\ntop-1 per intent      ru       en   (sure and wrong)")
    for intent in Intent:
        cells = []
        for language in LANGUAGES:
            rows = [a for s, a in zip(data, answers, strict=True) if s[1] == intent and s[2] == language]
            hits = sum(got == intent for got, _ in rows)
            cells.append(f"{hits:>3}/{len(rows):<3}")
        wrong = sum(sure and got != intent for s, (got, sure) in zip(data, answers, strict=True) if s[1] == intent)
        print(f"  {intent:<20} {cells[0]}  {cells[1]}" + (f"   {wrong}" if wrong else ""))
    confusion = Counter(
        (want, got, sure)
        for (_, want, _), (got, sure) in zip(data, answers, strict=True)
        if want is not None and got != want
    )
    print("\nconfusion (written -> read, off the diagonal only; 'sure' would enter the wrong dialog)")
    for (want, got, sure), n in sorted(confusion.items(), key=lambda item: (-item[1], str(item[0][0]))):
        print(f"  {n:>3}  {want} -> {label(got)}" + ("  sure" if sure else ""))
    if taken:
        print("\n[none] phrasings read as sure of an intent")
        for text, got in taken:
            print(f"  {text!r} -> {label(got)}")


def other_language(reader: IntentReader, data: list[Sample]) -> int:
    """How many request phrasings change their best guess when read with the other chat language."""
    changed = 0
    for text, intent, language in data:
        if intent is None:
            continue
        other = LANGUAGES[1 - LANGUAGES.index(language)]
        a, b = reader.read(text, language, today=TODAY), reader.read(text, other, today=TODAY)
        changed += (a.best and a.best.intent) != (b.best and b.best.intent)
    return changed


def sweep(reader: IntentReader, data: list[Sample]) -> None:
    """The held-out figures at other thresholds, for information: the reader's own is chosen on the training set."""
    print("\nthreshold sweep (information only; the reader's threshold is chosen by cross-validation on training)")
    chosen = reader.threshold
    requests = sum(intent is not None for _, intent, _ in data)
    try:
        for threshold in SWEEP:
            reader.threshold = threshold
            answers = [(intent, reader.read(text, language, today=TODAY)) for text, intent, language in data]
            wrong = sum(r.sure and intent is not None and r.best.intent != intent for intent, r in answers)
            asked = sum(not r.sure for intent, r in answers if intent is not None)
            nones = sum(r.sure for intent, r in answers if intent is None)
            print(
                f"  {threshold:g}: asked {asked / requests:.1%}, wrong dialog {wrong / requests:.2%}, "
                f"[none] sure {nones}" + ("  <- the reader's" if threshold == chosen else "")
            )
    finally:
        reader.threshold = chosen


def cross_validate(folds: int = 5) -> None:
    """Out-of-fold figures on the training phrasings (never the held-out ones), per threshold."""
    rows = [
        (text, intent) for language in LANGUAGES for intent, texts in load(training(language)).items() for text in texts
    ]
    order = np.random.default_rng(0).permutation(len(rows))
    ranked: list[list[tuple[Intent | None, float]]] = [[] for _ in rows]
    for fold in range(folds):
        held = set(order[fold::folds].tolist())
        rest: dict[Intent | None, list[str]] = {}
        for i, (text, intent) in enumerate(rows):
            if i not in held:
                rest.setdefault(intent, []).append(text)
        model = IntentModel.train([rest])
        for i in held:
            ranked[i] = model.probabilities(normalise(rows[i][0]))
    requests = [i for i, (_, intent) in enumerate(rows) if intent is not None]
    right = sum(next(label for label, _ in ranked[i] if label is not None) == rows[i][1] for i in requests)
    print(f"training phrasings: {len(rows)}; {folds}-fold out-of-fold top-1 {right / len(requests):.1%}")
    for threshold in SWEEP:

        def sure(i: int, threshold: float = threshold) -> bool:
            (top, p), (_, q) = ranked[i][0], ranked[i][1]
            return top is not None and p >= threshold and p - q >= MARGIN

        asked = sum(not sure(i) for i in requests)
        wrong = sum(sure(i) and ranked[i][0][0] != rows[i][1] for i in requests)
        nones = sum(sure(i) for i, (_, intent) in enumerate(rows) if intent is None)
        print(
            f"  {threshold:g}: asked {asked / len(requests):.1%}, sure and wrong {wrong / len(requests):.2%}, "
            f"[none] sure {nones}" + ("  <- the reader's" if threshold == THRESHOLD else "")
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heldout", type=Path, default=HELDOUT)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--cross-validate", action="store_true", help="how the threshold was chosen, on training only")
    args = parser.parse_args()
    if args.cross_validate:
        cross_validate()
        return
    data = samples(args.heldout)
    counts = Counter(language for _, intent, language in data if intent is not None)
    print(
        f"held-out: {len(data)} phrasings ({counts['ru']} ru and {counts['en']} en requests, "
        f"{sum(intent is None for _, intent, _ in data)} not a request)"
    )

    start = time.process_time()
    reader = IntentReader.build()
    print(
        f"reader built in {time.process_time() - start:.2f} s CPU "
        f"(threshold {reader.threshold}, margin {reader.margin})"
    )
    ours = evaluate(
        "reader (char n-grams + words, linear SVM, temperature-scaled)", reader_answer(reader), data, args.rounds
    )
    details(data, ours["answers"], ours["taken"])
    print(f"\nread with the other language's chat: {other_language(reader, data)} best guesses change")
    sweep(reader, data)

    base = evaluate(
        f"baseline (rapidfuzz WRatio on raw phrasings, sure at {BASELINE_SURE:.0f})", Baseline().answer, data, 1
    )
    print("\n== summary            reader    baseline   goal")
    print(f"  top-1              {ours['top-1']:>7.1%}   {base['top-1']:>7.1%}   >= {GOALS['top-1']:.0%}")
    print(f"  asked              {ours['asked']:>7.1%}   {base['asked']:>7.1%}")
    print(
        f"  wrong dialog       {ours['wrong dialog']:>7.2%}   {base['wrong dialog']:>7.2%}"
        f"   <= {GOALS['wrong dialog']:.0%}"
    )
    print(f"  [none] sure        {ours['none sure']:>7}   {base['none sure']:>7}   0")
    print(f"  CPU ms / message   {ours['cpu ms']:>7.3f}   {base['cpu ms']:>7.3f}   < {GOALS['cpu ms']:.0f}")


if __name__ == "__main__":
    main()
