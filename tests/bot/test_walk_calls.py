"""What a borrower's usual walk asks the backend, turn by turn (the walk `bench/load.py` measures): one call a screen,
the certificate's three (record, PDF, the survey's offer); the years offered kept in the draft, so the year pressed is
checked without asking again."""

import pytest

from tests.bot.conftest import IVAN

#: The walk's turns and the calls each made; the year's turn asked for the years again before they were kept.
WALK = [
    ("/menu", ["GET /api/v1/me/loans/1/summary"]),
    ("nav:balance", ["GET /api/v1/me/loans/1/balance"]),
    ("nav:certificates", ["GET /api/v1/me/loans/1/summary"]),
    ("cert:interest_paid", ["GET /api/v1/me/loans/1/certificates/years"]),
    ("certyear:2025", []),
    (
        "certsign:0",
        ["POST /api/v1/me/loans/1/certificates", "GET /api/v1/me/certificates/1/pdf", "POST /api/v1/me/surveys"],
    ),
    ("nav:menu", ["GET /api/v1/me/loans/1/summary"]),
]


@pytest.mark.parametrize("language", ["ru", "en"])
async def test_the_walk_makes_one_call_a_screen(language, linked, switch):
    chat = await linked(IVAN, 23121, language_code=language)
    for data, expected in WALK:
        switch.calls.clear()
        calls = await (chat.send(data) if data.startswith("/") else chat.press_data(data))
        assert calls, data
        assert switch.calls == expected, data
