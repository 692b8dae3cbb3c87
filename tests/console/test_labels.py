"""The console's labels: every status and kind code staff see has words, in Russian and in English."""

import pytest
from babel.support import Translations

from api.console import labels
from api.models import CaseReason, HolidayStatus, NotificationStatus, ReviewStatus, StaffRole
from bot.i18n import LANGUAGES, LOCALES_DIR


def _gettext(language: str):
    return Translations.load(LOCALES_DIR, [language], "messages").gettext


def test_every_member_of_every_labelled_enum_has_words():
    for kind in labels.LABELLED:
        for member in kind:
            assert labels.label(member, str), f"{kind.__name__}.{member.name}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_label_is_translated(language):
    gettext = _gettext(language)
    for kind in labels.LABELLED:
        for member in kind:
            words = labels.label(member, gettext)
            english = labels.label(member, str)
            if language == "ru":
                assert words != english, f"{kind.__name__}.{member.name} is not translated into Russian"
            else:
                assert words == english


def test_the_table_is_chosen_by_the_codes_type_not_its_value():
    gettext = _gettext("ru")
    assert HolidayStatus.APPROVED == ReviewStatus.APPROVED  # equal strings, different words
    assert labels.label(HolidayStatus.APPROVED, gettext) == "Одобрена"
    assert labels.label(ReviewStatus.APPROVED, gettext) == "Принят"


def test_known_audit_actions_have_words_and_an_unknown_one_shows_its_code():
    assert labels.action_label("decide_approved", _gettext("ru")) == "Решение: одобрить"
    assert labels.action_label("apply", _gettext("en")) == "Filed by the borrower"
    assert labels.action_label("something_new", _gettext("ru")) == "something_new"


def test_choices_keep_the_declared_order():
    assert labels.choices(StaffRole, _gettext("en")) == [("operator", "Operator"), ("supervisor", "Supervisor")]
    assert [code for code, _words in labels.choices(NotificationStatus, str)] == [s.value for s in NotificationStatus]
    assert labels.label(CaseReason.HARDSHIP, _gettext("ru")) == "Финансовые трудности"
