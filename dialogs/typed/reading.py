"""A typed message read as a request: where no form waits for text (the fallback) and in a form that could not use
it. What is read is logged as the intent and its confidence, never the text."""

import logging
from datetime import UTC, date
from decimal import Decimal
from zoneinfo import ZoneInfo

from aiogram.types import Message

from bot.intents.catalog import Intent
from bot.intents.entities import Entities
from bot.intents.reader import IntentReader, Reading
from bot.metrics import INTENT_CONFIDENCE, TYPED_REQUESTS
from bot.screens import Screen
from bot.turn import Turn
from dialogs import common, person
from dialogs.complaints import is_complaint
from dialogs.typed import answers, entries
from dialogs.typed.labels import ENTRY_OF, FORM_OF, group_of, in_a_form

log = logging.getLogger(__name__)

#: What an unlinked chat may ask in words: onboarding goes on for anything else.
UNLINKED = frozenset({Intent.PERSON, Intent.HELP})
#: Politeness is answered where no form waits; in a form, and among the guesses, it is no request.
POLITE = frozenset({Intent.GREETING, Intent.THANKS})
#: The guesses are offered when the best is at least this likely: the best two, and a third at least half as likely.
#: On the held-out sets (the reader of 7 Dec 2026) the right one is offered for 87 of 125 unsure requests in Russian
#: (72 of 103 in English; greetings and thanks, never offered, count as missed), and 16 of 65 (9 of 54) messages that
#: are no request are asked about; at 0.2 it is 89 (74) for 21 (11).
ASK_FLOOR = 0.3
SHOWN_FLOOR = ASK_FLOOR / 2
MIN_SHOWN = 2
#: A request typed inside a dialog is short: a longer text there is the borrower's, for the dialog to answer.
SWITCH_CHARS = 300
KEPT_KEY = "typed_entities"  # the values a request named, kept in the FSM data while its buttons are offered


def read(intents: IntentReader, message: Message, turn: Turn) -> Reading:
    zone = ZoneInfo(turn.borrower.time_zone) if turn.borrower else UTC
    return intents.read(message.text or "", turn.locale, today=message.date.astimezone(zone).date())


def _log(reading: Reading, outcome: str, detail: str = "") -> None:
    """The intent, its confidence and `outcome` (a fixed word, a metric's label) in the log and the metrics."""
    best = reading.best
    if best is None:
        TYPED_REQUESTS.labels("none", outcome).inc()
        log.info("typed request: nothing read; %s%s", outcome, detail)
        return
    TYPED_REQUESTS.labels(best.intent.value, outcome).inc()
    INTENT_CONFIDENCE.labels(best.intent.value).observe(best.confidence)
    log.info("typed request: %s (%.2f, sure: %s); %s%s", best.intent, best.confidence, reading.sure, outcome, detail)


async def in_fallback(message: Message, turn: Turn, intents: IntentReader, current: Screen | None) -> bool:
    """A text no dialog took, read as a request: sure enters its dialog (in the middle of a form, or where a file is
    awaited, the switch is offered instead); unsure offers the guesses where no dialog's question is open. False
    when the caller answers as before: nothing read, a complaint, unsure or a long text inside a dialog."""
    if not message.text or is_complaint(message.text):
        return False
    reading = read(intents, message, turn)
    if turn.borrower is None:
        return await answer_unlinked(turn, reading, current)
    state = await turn.state.get_state()
    if current is not None and (current.expects != "buttons" or in_a_form(state)):
        return await offer_switch(turn, reading, state, message.text)
    best = reading.best
    if best is not None and state is not None and ENTRY_OF.get(best.intent) == group_of(state):
        _log(reading, "its_question", f": its own dialog, {state}")
        return False
    if current is not None and len(message.text) > SWITCH_CHARS:
        _log(reading, "its_question", f": a long text in {state}")
        return False
    if reading.sure and best is not None:
        _log(reading, "entered")
        await entries.enter(turn, best.intent, reading.entities)
        return True
    if current is not None:  # unsure while a dialog's question is open: that question, as for any wrong answer
        _log(reading, "its_question", f": unsure in {state}")
        return False
    ranked = [g for g in reading.guesses if g.intent not in POLITE]
    guessed = [g.intent for rank, g in enumerate(ranked) if rank < MIN_SHOWN or g.confidence >= SHOWN_FLOOR]
    if best is None or best.confidence < ASK_FLOOR or not guessed:
        _log(reading, "not_understood")
        return False
    _log(reading, "asked", ": " + ", ".join(guessed))
    await keep(turn, reading.entities)
    await answers.guesses(turn, guessed)
    return True


def unlinked_request(reading: Reading) -> bool:
    """What an unlinked chat may ask in words (a person, help)."""
    return reading.sure and reading.best is not None and reading.best.intent in UNLINKED


async def answer_unlinked(turn: Turn, reading: Reading, current: Screen | None) -> bool:
    """A person or help for an unlinked chat (after help, its onboarding step is asked again); False for anything
    else, which is onboarding's to answer."""
    best = reading.best
    if not unlinked_request(reading):
        _log(reading, "unlinked", ": onboarding")
        return False
    _log(reading, "unlinked", f": {best.intent}")
    if best.intent is Intent.PERSON:
        await person.start(turn, "requested")
        return True
    await turn.say(common.help_text() + "\n\n" + common.link_first())
    if current is not None:
        await current.ask(turn)
    return True


async def in_form(message: Message, turn: Turn, intents: IntentReader) -> bool:
    """A form's typed answer it could not read: when it is clearly another request, the switch is offered (True);
    anything else is the form's to answer. Never called for an answer the form can use."""
    if not message.text or turn.borrower is None or is_complaint(message.text):
        return False
    return await offer_switch(turn, read(intents, message, turn), await turn.state.get_state(), message.text)


async def offer_switch(turn: Turn, reading: Reading, state: str | None, said: str) -> bool:
    best = reading.best
    if state is None or not reading.sure or best is None or best.intent in POLITE or len(said) > SWITCH_CHARS:
        return False
    if FORM_OF.get(best.intent) == group_of(state):  # the form's own dialog: its question is the answer
        return False
    if best.intent is Intent.HARDSHIP:  # no question back: the calm answer, and the form stays as it was
        _log(reading, "answered", f" in {state}")
        await answers.hardship(turn, leave=False)
        if (screen := turn.screens.get(state)) is not None:
            await screen.ask(turn)
        return True
    _log(reading, "switch_offered", f" in {state}")
    await keep(turn, reading.entities)
    await answers.switch(turn, best.intent, state)
    return True


# --- the values a request named, kept while its buttons are offered ------------------------------------------


async def keep(turn: Turn, found: Entities) -> None:
    """Kept with the buttons offered; none named: nothing kept (and what an earlier offer kept, dropped)."""
    if found == Entities():
        await take_kept(turn)
        return
    kept = {
        "year": found.year,
        "amount": None if found.amount is None else str(found.amount),
        "day": None if found.day is None else found.day.isoformat(),
        "mode": found.mode,
    }
    await turn.state.update_data({KEPT_KEY: kept})


async def take_kept(turn: Turn) -> Entities:
    """The values kept with the last buttons offered (removed from the data); none for a stale or odd entry."""
    data = await turn.state.get_data()
    kept = data.get(KEPT_KEY)
    if KEPT_KEY in data:
        await turn.state.set_data({key: value for key, value in data.items() if key != KEPT_KEY})
    if not isinstance(kept, dict):
        return Entities()
    try:
        return Entities(
            year=int(kept["year"]) if kept.get("year") is not None else None,
            amount=Decimal(kept["amount"]) if kept.get("amount") is not None else None,
            day=date.fromisoformat(kept["day"]) if kept.get("day") is not None else None,
            mode=kept["mode"] if kept.get("mode") in ("term", "payment") else None,
        )
    except (ArithmeticError, TypeError, ValueError):
        return Entities()
