"""The intent reader: built from the packaged phrase sets, sure of clear requests in both languages (typos, the other
language, values), never sure of a form answer or chatter, never raising, the same answer every time."""

import time
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.intents.catalog import Intent
from bot.intents.entities import Entities
from bot.intents.model import IntentModel
from bot.intents.normalise import LIMIT, normalise
from bot.intents.phrases import load, parse, training
from bot.intents.reader import NOTHING, IntentReader, Reading, _within_one_edit
from tests.intents.test_heldout import HELDOUT

TODAY = date(2026, 12, 7)
LANGUAGES = ("ru", "en")


@pytest.fixture(scope="module")
def reader() -> IntentReader:
    return IntentReader.build()


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_training_set_covers_every_intent_with_forty_phrasings_and_has_none(language: str) -> None:
    phrase_set = load(training(language))
    assert set(phrase_set) == set(Intent) | {None}
    assert {intent: len(p) for intent, p in phrase_set.items() if len(p) < 40} == {}
    normalised = [normalise(p) for phrasings in phrase_set.values() for p in phrasings]
    assert all(normalised)
    assert len(normalised) == len(set(normalised)), "a phrasing twice, or in two sections"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_held_out_phrasing_is_a_training_phrasing(language: str) -> None:
    trained = {normalise(p) for phrasings in load(training(language)).values() for p in phrasings}
    trained |= {
        normalise(p)
        for phrasings in load(training(LANGUAGES[1 - LANGUAGES.index(language)])).values()
        for p in phrasings
    }  # one model reads both languages: no held-out line may be in either
    heldout = [p for phrasings in load(HELDOUT / f"heldout.{language}.txt").values() for p in phrasings]
    assert [p for p in heldout if normalise(p) in trained] == []


def test_the_phrase_set_format() -> None:
    text = "# a comment\n\n[balance]\n  скока мне платить  \n[none]\nда\n[balance]\nbalance\n"
    assert parse(text) == {Intent.BALANCE: ["скока мне платить", "balance"], None: ["да"]}
    with pytest.raises(ValueError, match="<text>:1: unknown section"):
        parse("[balans]\nx")
    with pytest.raises(ValueError, match=":2: a phrasing before"):
        parse("# c\nx\n[balance]")


def test_normalisation() -> None:
    assert normalise("  СПАСИБООООО!!! 🙏 ") == "спасибо"
    assert normalise("Ещё\x00справку\tза 2024?") == "еще справку за 0000"
    assert normalise("🙂🙂 ... ?!") == ""
    assert normalise("ипотека " * 10_000).startswith("ипотека ипотека")
    assert len(normalise("x y " * 100_000)) <= LIMIT


def test_the_fast_path_gives_what_scikit_learn_gives() -> None:
    model = IntentModel.train([load(training(language)) for language in LANGUAGES])
    texts = [normalise(t) for t in ("скока мне платить", "lost my job", "150000", "zzzz qqq", "справка 2024")]
    expected = model.svm.decision_function(model.features.transform(texts))
    for text, row in zip(texts, expected, strict=True):
        assert list(model.scores(text)) == pytest.approx(list(row), abs=1e-6)
        probabilities = model.probabilities(text)
        assert sum(p for _, p in probabilities) == pytest.approx(1.0)
        assert probabilities[0][0] == model.labels[int(row.argmax())]


CLEAR = [
    ("скока мне ещё платить", "ru", Intent.BALANCE),
    ("сколько осталось по ипотеке?", "ru", Intent.BALANCE),
    ("дайте реквизиты для оплаты", "ru", Intent.HOW_TO_PAY),
    ("нужна справка для налоговой за 2024", "ru", Intent.INTEREST_CERTIFICATE),
    ("справка об остатке долга", "ru", Intent.DEBT_CERTIFICATE),
    ("справка о закрытии кредита", "ru", Intent.CLOSURE_CERTIFICATE),
    ("пришлите график платежей", "ru", Intent.SCHEDULE),
    ("потерял работу, нечем платить", "ru", Intent.HARDSHIP),
    ("хочу оформить кредитные каникулы", "ru", Intent.HOLIDAY),
    ("отключите напоминания", "ru", Intent.REMINDERS_OFF),
    ("включите напоминания", "ru", Intent.REMINDERS_ON),
    ("позовите оператора", "ru", Intent.PERSON),
    ("спасибоооо!!!", "ru", Intent.THANKS),
    ("how much do i still owe", "en", Intent.BALANCE),
    ("repay 150k early to shorten the term", "en", Intent.EARLY_REPAYMENT),
    ("i need the interest certificate for the tax office", "en", Intent.INTEREST_CERTIFICATE),
    ("send me the payment schedule", "en", Intent.SCHEDULE),
    ("lost my job and can't pay", "en", Intent.HARDSHIP),
    ("was my payment holiday approved?", "en", Intent.HOLIDAY_STATUS),
    ("turn off reminders", "en", Intent.REMINDERS_OFF),
    ("change my time zone", "en", Intent.TIME_ZONE),
    ("unlink my account", "en", Intent.UNLINK),
    ("I want to complain", "en", Intent.COMPLAINT),
    ("hello", "en", Intent.GREETING),
]


@pytest.mark.parametrize(("text", "language", "intent"), CLEAR)
def test_a_clear_request_is_read_sure(reader: IntentReader, text: str, language: str, intent: Intent) -> None:
    reading = reader.read(text, language, today=TODAY)
    assert reading.best is not None and reading.best.intent == intent, reading
    assert reading.sure
    assert 0 < reading.best.confidence <= 1
    assert len(reading.guesses) <= 3
    assert [g.confidence for g in reading.guesses] == sorted((g.confidence for g in reading.guesses), reverse=True)


@pytest.mark.parametrize(
    ("text", "language", "intent"), [(t, "en" if lang == "ru" else "ru", i) for t, lang, i in CLEAR]
)
def test_a_request_typed_in_the_other_language_reads_the_same(
    reader: IntentReader, text: str, language: str, intent: Intent
) -> None:
    reading = reader.read(text, language, today=TODAY)
    assert reading.best is not None and reading.best.intent == intent and reading.sure


def test_the_values_reach_the_reading(reader: IntentReader) -> None:
    reading = reader.read("Хочу досрочно погасить 200 тысяч с уменьшением срока", "ru", today=TODAY)
    assert reading.sure and reading.best.intent == Intent.EARLY_REPAYMENT
    assert reading.entities == Entities(amount=Decimal("200000.00"), mode="term")
    reading = reader.read("справка для налоговой за 2024", "ru", today=TODAY)
    assert reading.best.intent == Intent.INTEREST_CERTIFICATE and reading.entities.year == 2024


@pytest.mark.parametrize(
    "text",
    [
        "150000",
        "12.03.2025",
        "да",
        "нет",
        "ок",
        "asdfgh",
        "йцукенг",
        "какая завтра погода?",
        "what's the weather like",
        "x",
        "ааааааааа",
        "1",
        "Иван",
        "+7 999 123-45-67",
        "lol",
        "хм",
        "3 месяца",
        "мне 35 лет",
    ],
)
def test_a_form_answer_or_chatter_is_not_sure(reader: IntentReader, text: str) -> None:
    for language in LANGUAGES:
        assert not reader.read(text, language, today=TODAY).sure


@pytest.mark.parametrize("word", ["here", "что", "five", "нет", "да", "справка", "вот"])
def test_a_lone_word_that_is_no_intents_own_is_not_sure(reader: IntentReader, word: str) -> None:
    """Character n-grams find "here" close to "help": one word alone must be the intent's own to act on."""
    for language in LANGUAGES:
        assert not reader.read(word, language, today=TODAY).sure


@pytest.mark.parametrize(
    ("word", "intent"),
    [
        ("баланс", Intent.BALANCE),
        ("balanse", Intent.BALANCE),  # a typo of its own word
        ("help", Intent.HELP),
        ("меню", Intent.HELP),
        ("hi", Intent.GREETING),
        ("спасибо", Intent.THANKS),
        ("grafik", Intent.SCHEDULE),
        ("оператор", Intent.PERSON),
    ],
)
def test_a_lone_word_that_is_the_intents_own_is_sure(reader: IntentReader, word: str, intent: Intent) -> None:
    reading = reader.read(word, "ru", today=TODAY)
    assert (reading.sure, reading.best.intent) == (True, intent)


def test_within_one_edit() -> None:
    assert _within_one_edit("help", "helo") and _within_one_edit("help", "hel") and _within_one_edit("help", "helps")
    assert not _within_one_edit("help", "here") and not _within_one_edit("ab", "ba")


@pytest.mark.parametrize("text", ["", "   ", "\x00\x00", "🙂🙏💸", "?!...", "\u200b\u200d", "\n\t\r"])
def test_nothing_readable_reads_as_nothing(reader: IntentReader, text: str) -> None:
    assert reader.read(text, "ru", today=TODAY) == NOTHING == Reading((), False, Entities())


def test_a_huge_message_is_read_quickly_from_its_start(reader: IntentReader) -> None:
    text = "справка для налоговой за 2024 " + "бла " * 25_000 + "\x00" * 1000
    start = time.process_time()
    reading = reader.read(text, "ru", today=TODAY)
    assert time.process_time() - start < 0.5
    assert reading.best is not None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=400), language=st.sampled_from(["ru", "en", "de", ""]))
def test_any_text_reads_without_raising_and_the_same_twice(reader: IntentReader, text: str, language: str) -> None:
    first = reader.read(text, language, today=TODAY)
    assert first == reader.read(text, language, today=TODAY)
    assert len(first.guesses) <= 3
    assert all(0 <= g.confidence <= 1 and isinstance(g.intent, Intent) for g in first.guesses)
    assert not first.sure or first.guesses


@given(text=st.text(alphabet=st.characters(codec="utf-8"), min_size=1000, max_size=5000))
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_long_hostile_text_reads(reader: IntentReader, text: str) -> None:
    reader.read(text, "ru", today=TODAY)


def test_two_builds_read_alike() -> None:
    a, b = IntentReader.build(), IntentReader.build()
    for text in ("скока мне платить", "справка", "help", "нечем платить ипотеку", "zzz"):
        assert a.read(text, "ru", today=TODAY) == b.read(text, "ru", today=TODAY)


def test_the_reader_builds_quickly() -> None:
    start = time.process_time()
    IntentReader.build()
    assert time.process_time() - start < 2.0
