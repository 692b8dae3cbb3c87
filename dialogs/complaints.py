"""Words of complaint in Russian and English, told apart from politeness: a borrower who complains is offered a
person at once, one who writes «пожалуйста» or "please" is not."""

import re

#: Stems that start a word. «пожалуйста» (please) shares its root with «пожаловаться» (to complain), and «добро
#: пожаловать» (welcome) too, so only the forms of complaining are listed.
_STEMS = (
    r"жалоб",
    r"пожалуюсь",
    r"пожалуемся",
    r"пожаловаться",
    r"пожаловал(?:ся|ась|ись)",
    r"претензи",
    r"безобрази",
    r"возму[тщ]",
    r"недовол",
    r"ужасн",
    r"кошмар",
    r"отвратительн",
    r"обман",
    r"мошенни",
    r"хамств",
    r"хамит",
    r"хамят",
    r"издева",
    r"беспредел",
    r"позор",
    r"надоел",
    r"достали",
    r"роспотребнадзор",
    r"прокуратур",
    r"суд(?:ом|е|иться)?\b",
    r"complain",
    r"terrible",
    r"awful",
    r"disgust",
    r"outrag",
    r"unacceptable",
    r"scam",
    r"fraud",
    r"lawyer",
    r"sue\b",
    r"ridiculous",
    r"appalling",
    r"disgrace",
    r"incompetent",
    r"rip-?off",
    r"fed up",
    r"furious",
    r"worst\b",
)
_COMPLAINT = re.compile(r"\b(?:" + "|".join(_STEMS) + ")", re.IGNORECASE)


def is_complaint(text: str | None) -> bool:
    """True when the text has a word of complaint; politeness («подскажите, пожалуйста», "please") is not one."""
    return bool(text) and _COMPLAINT.search(text) is not None
