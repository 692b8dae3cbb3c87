"""A case's reasons: every request that opened or joined it keeps its reason; hardship leads, then a complaint,
then the first."""

from collections.abc import Iterable

from api.models import CaseReason

#: Reasons that lead a case whatever came before them, strongest first.
LEADING = (CaseReason.HARDSHIP, CaseReason.COMPLAINT)


def ordered(reasons: Iterable[str]) -> list[str]:
    """Each reason once, hardship first (staff see money trouble above the rest), the others as they came."""
    unique = list(dict.fromkeys(CaseReason(reason).value for reason in reasons))
    return sorted(unique, key=lambda reason: reason != CaseReason.HARDSHIP)


def leading(reasons: Iterable[str]) -> CaseReason:
    """The reason a case is filed under: hardship, else a complaint, else the first request's."""
    found = ordered(reasons)
    for strong in LEADING:
        if strong in found:
            return strong
    return CaseReason(found[0])
