"""The staff's summary card rendered from the backend's: every reason, hardship flagged first, an unlinked chat's
card without loan data; in the bank's language."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from bot.backend.relay import CardLoan, CaseCard
from bot.i18n import create_i18n
from dialogs.staff_card import render_card

LOAN = CardLoan(
    id=7, status="active", in_arrears=True, overdue_amount=Decimal("100.00"), next_payment_date=date(2026, 12, 10)
)


def _card(**changes) -> CaseCard:
    fields = {
        "case_id": 12,
        "first_name": "Иван",
        "linked": True,
        "reason": "hardship",
        "reasons": ["hardship", "requested", "complaint"],
        "hardship": True,
        "summary": "Потерял работу",
        "recent_steps": [],
        "borrower_id": 1,
        "loans": [LOAN],
        "open_applications": [],
        "needs_supervisor": False,
        "created_at": datetime(2026, 11, 26, 9, tzinfo=UTC),
    }
    return CaseCard(**fields | changes)


def _render(card: CaseCard, locale: str) -> str:
    i18n = create_i18n()
    with i18n.context(), i18n.use_locale(locale):
        return render_card(card, locale)


@pytest.mark.parametrize(
    ("locale", "flag", "reasons"),
    [
        ("ru", "❗ Финансовые трудности", "финансовые трудности: возможно, нужны кредитные каникулы; "),
        ("en", "❗ Money trouble", "money trouble: a payment holiday may be due; asked for a person; a complaint"),
    ],
)
def test_every_reason_with_hardship_flagged_first(locale, flag, reasons):
    lines = _render(_card(), locale).splitlines()
    assert lines[1].startswith(flag), "the flag comes right under the title"
    assert reasons in lines[2]


@pytest.mark.parametrize(("locale", "not_linked"), [("ru", "Чат не привязан"), ("en", "Not linked to a borrower")])
def test_an_unlinked_chats_card_has_no_loan_data(locale, not_linked):
    card = _render(
        _card(linked=False, borrower_id=None, loans=[], reason="requested", reasons=["requested"], hardship=False),
        locale,
    )
    assert not_linked in card
    assert "❗" not in card
    assert not any(word in card for word in ("Open applications", "Открытые заявки", "arrears", "просроч"))
