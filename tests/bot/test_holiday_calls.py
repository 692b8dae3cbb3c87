"""What the holiday wizard asks the backend on its way to the consent: the terms once (kept in the draft, so no loan
summary for today's date and the regular payment), the pre-check once per change of the application it judges."""

from collections import Counter
from datetime import date

import pytest

from tests.bot.conftest import IVAN
from tests.bot.replies import text
from tests.bot.walks import data_of, state_of
from tests.samples import pdf

WORDS = {
    "ru": {"length": "Срок: 4 месяца"},
    "en": {"length": "Length: 4 months"},
}
#: The walk's 20 updates took 18 backend calls before the terms were kept in the draft: 9 loan summaries (for
#: today's date, the regular payment and the contract), the pre-check 4 times (its screen and every summary shown).
EXPECTED = Counter(
    {
        "GET /api/v1/me/loans": 2,  # the running loans: on entering, and on Apply
        "GET /api/v1/me/holidays": 2,  # an application already under review: on entering, and on Apply
        "GET /api/v1/me/loans/1/holidays/terms": 1,
        "POST /api/v1/me/documents/check": 1,  # the file judged as it arrives
        "POST /api/v1/me/loans/1/holidays/precheck": 2,  # the answers, then the length changed from the summary
    }
)


def _day(day: date) -> str:
    return f"date:{day.toordinal()}"


@pytest.mark.parametrize("language", list(WORDS))
async def test_walking_the_wizard_to_its_consent(language, linked, switch):
    chat = await linked(IVAN, 23101, language_code=language)
    switch.calls.clear()
    steps = [
        chat.press_data("nav:holiday"),
        chat.press_data("hol:apply"),
        chat.press_data("holreason:income_drop"),
        chat.send("150 000"),
        chat.send("60 000"),
        chat.press_data("holmonths:3"),
        chat.press_data("holmode:reduced"),
        chat.send("15 000"),
        chat.press_data(f"month:{date(2026, 12, 1).toordinal()}"),
        chat.press_data(_day(date(2026, 12, 10))),
        chat.send_document(pdf(), "income.pdf"),
        chat.press_data("hol:done"),
        chat.press_data("hol:next"),
        chat.press_data("hol:edit"),
        chat.press_data("holedit:months"),
    ]
    for step in steps:
        assert await step
    summary = text(await chat.press_data("holmonths:4"))
    assert WORDS[language]["length"] in summary
    assert (await data_of(chat))["holiday"]["checked"]["result"]["rules"][4]["values"]["months"] == "4"
    await chat.press_data("hol:edit")
    await chat.press_data("holedit:documents")
    await chat.press_data("hol:done")  # the documents do not change what the pre-check judges
    await chat.press_data("hol:confirm")
    assert await state_of(chat) == "HolidayWizard:consent"
    assert Counter(switch.calls) == EXPECTED
    assert sum(EXPECTED.values()) == 8
