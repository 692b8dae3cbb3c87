"""The payment-holiday pre-check: each legal condition judged and explained plainly; it never refuses by itself.

Pure: the application, the loan's figures and today are passed in. A rule is `met`, `not_met`, or `to_confirm`
(the figures fit, but the ground holds only if the proof confirms it); an application with a `not_met` rule is
flagged ineligible and may still be sent for staff review.
"""

from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from api.engine.dates import add_months
from api.models import HolidayMode, HolidayReason

MAX_MONTHS = 6
BACKDATE_MONTHS = 2
AHEAD_MONTHS = 1
HUNDRED = Decimal(100)
PERCENT = Decimal("0.01")
#: Income grounds: (reason, income drop above this percent, payment above this percent of the new income).
INCOME_GROUNDS = {
    HolidayReason.INCOME_DROP: (Decimal(30), Decimal(50)),
    HolidayReason.NEW_DEPENDANT: (Decimal(20), Decimal(40)),
}
#: Which payment the income grounds compare with the new income: art. 6.1-1 of 353-FZ speaks of the payment "under
#: the credit agreement (loan agreement)", i.e. the agreement the holiday is asked on, not the borrower's other loans.
PAYMENT_BASIS = "this_agreement"
#: Grounds shown only by a document: what the law requires and which proof shows it.
DOCUMENT_GROUNDS = {
    HolidayReason.JOB_LOSS: ("registered_unemployment", "registered unemployment", "the employment centre's record"),
    HolidayReason.DISABILITY: ("disability_group", "disability of group I or II", "the disability certificate"),
    HolidayReason.SICK_LEAVE: (
        "long_sick_leave",
        "sick leave of more than 2 months in a row",
        "the sick-leave certificate",
    ),
}


class RuleStatus(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    TO_CONFIRM = "to_confirm"


@dataclass(frozen=True)
class HolidayTerms:
    """What the borrower asks for."""

    reason: HolidayReason
    income_before: Decimal
    income_after: Decimal
    months: int
    mode: HolidayMode
    reduced_payment: Decimal | None
    start_date: date


@dataclass(frozen=True)
class RuleResult:
    """One condition: a stable `code` (and `outcome` code) for translation, English text and the figures used."""

    code: str
    status: RuleStatus
    outcome: str
    explanation: str
    values: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Precheck:
    eligible: bool
    monthly_payment: Decimal
    rules: tuple[RuleResult, ...]

    def as_json(self) -> dict:
        """A JSON-safe form for storing with the application."""
        return {
            "eligible": self.eligible,
            "monthly_payment": f"{self.monthly_payment:.2f}",
            "rules": [asdict(rule) | {"status": rule.status.value} for rule in self.rules],
        }


def _rub(amount: Decimal) -> str:
    return f"{amount:,.2f} RUB"


def _percent(part: Decimal, whole: Decimal) -> Decimal:
    return (part * HUNDRED / whole).quantize(PERCENT, ROUND_HALF_UP)


def _loan_cap(principal: Decimal, cap: Decimal) -> RuleResult:
    values = {"principal": f"{principal:.2f}", "cap": f"{cap:.2f}"}
    if principal <= cap:
        text = f"The loan amount, {_rub(principal)}, is within the government limit of {_rub(cap)}."
        return RuleResult("loan_cap", RuleStatus.MET, "within_cap", text, values)
    text = f"The loan amount, {_rub(principal)}, is above the government limit of {_rub(cap)}."
    return RuleResult("loan_cap", RuleStatus.NOT_MET, "above_cap", text, values)


def _only_home(only_home: bool) -> RuleResult:
    if only_home:
        text = "The mortgaged property is recorded as your only home."
        return RuleResult("only_home", RuleStatus.MET, "only_home", text)
    text = "The law grants the holiday only when the mortgaged property is the borrower's only home."
    return RuleResult("only_home", RuleStatus.NOT_MET, "not_only_home", text)


def _once(granted_before: bool) -> RuleResult:
    if granted_before:
        text = "A payment holiday was already granted on this contract; the law allows one per contract."
        return RuleResult("once_per_contract", RuleStatus.NOT_MET, "already_granted", text)
    text = "No payment holiday has been granted on this contract yet."
    return RuleResult("once_per_contract", RuleStatus.MET, "first_holiday", text)


def _income_ground(terms: HolidayTerms, payment: Decimal, drop_over: Decimal, share_over: Decimal) -> RuleResult:
    before, after = terms.income_before, terms.income_after
    values = {
        "required_drop_percent": f"{drop_over}",
        "required_share_percent": f"{share_over}",
        "monthly_payment": f"{payment:.2f}",
        "payment_basis": PAYMENT_BASIS,
    }
    condition = (
        f"income down more than {drop_over}% against last year's monthly average, "
        f"with the payment above {share_over}% of the new income "
        "(the monthly payment under this loan's agreement: art. 6.1-1 compares the payment under the credit agreement)"
    )
    if before <= 0:
        text = f"This ground needs {condition}; with no income before, no drop can be shown."
        return RuleResult("grounds", RuleStatus.NOT_MET, "no_income_before", text, values)
    drop = _percent(before - after, before)
    values["drop_percent"] = f"{drop}"
    drop_ok = (before - after) * HUNDRED > drop_over * before
    share_ok = payment * HUNDRED > share_over * after
    if after > 0:
        share = _percent(payment, after)
        values["payment_share_percent"] = f"{share}"
        share_text = f"the payment of {_rub(payment)} is {share}% of the new income"
    else:
        share_text = f"the payment of {_rub(payment)} is more than all of the new income"
    if drop_ok and share_ok:
        text = (
            f"Your income is down {drop}% and {share_text}, which fits the rule ({condition}); "
            "an income statement must confirm it."
        )
        return RuleResult("grounds", RuleStatus.TO_CONFIRM, "income_fits", text, values)
    shortfalls = []
    if not drop_ok:
        shortfalls.append(f"your income is down {drop}%, not more than {drop_over}%")
    if not share_ok:
        shortfalls.append(f"{share_text}, not above {share_over}%")
    text = f"This ground needs {condition}; " + " and ".join(shortfalls) + "."
    return RuleResult("grounds", RuleStatus.NOT_MET, "income_does_not_fit", text, values)


def _grounds(terms: HolidayTerms, payment: Decimal) -> RuleResult:
    if terms.reason in INCOME_GROUNDS:
        return _income_ground(terms, payment, *INCOME_GROUNDS[terms.reason])
    if terms.reason in DOCUMENT_GROUNDS:
        outcome, ground, proof = DOCUMENT_GROUNDS[terms.reason]
        text = f"The law accepts {ground} as a ground; {proof} must confirm it."
        return RuleResult("grounds", RuleStatus.TO_CONFIRM, outcome, text)
    text = (
        "The law lists the grounds: registered unemployment, disability of group I or II, sick leave over "
        "2 months, a large income drop, or a new dependant with an income drop; this reason is none of them."
    )
    return RuleResult("grounds", RuleStatus.NOT_MET, "no_legal_ground", text)


def _length(months: int) -> RuleResult:
    values = {"months": str(months), "max_months": str(MAX_MONTHS)}
    if 1 <= months <= MAX_MONTHS:
        text = f"{months} month(s) is within the allowed length of 1 to {MAX_MONTHS} months."
        return RuleResult("length", RuleStatus.MET, "length_ok", text, values)
    text = f"The holiday lasts 1 to {MAX_MONTHS} months; {months} month(s) is outside that."
    return RuleResult("length", RuleStatus.NOT_MET, "length_out_of_range", text, values)


def start_range(today: date) -> tuple[date, date]:
    """The earliest and the latest start the law allows on `today`: backdated up to two months, one month ahead."""
    return add_months(today, -BACKDATE_MONTHS), add_months(today, AHEAD_MONTHS)


def _start(start: date, today: date) -> RuleResult:
    earliest, latest = start_range(today)
    values = {"start_date": start.isoformat(), "earliest": earliest.isoformat(), "latest": latest.isoformat()}
    if start < earliest:
        text = f"The start may be backdated by at most {BACKDATE_MONTHS} months, to {earliest.isoformat()}."
        return RuleResult("start_date", RuleStatus.NOT_MET, "too_far_back", text, values)
    if start > latest:
        text = f"The start may be at most {AHEAD_MONTHS} month ahead, by {latest.isoformat()}."
        return RuleResult("start_date", RuleStatus.NOT_MET, "too_far_ahead", text, values)
    text = f"The start, {start.isoformat()}, is between {earliest.isoformat()} and {latest.isoformat()}."
    return RuleResult("start_date", RuleStatus.MET, "start_ok", text, values)


def _reduced_payment(terms: HolidayTerms, payment: Decimal) -> RuleResult:
    values = {"monthly_payment": f"{payment:.2f}"}
    if terms.mode == HolidayMode.FULL:
        text = "A full holiday: no payments are due during it."
        return RuleResult("reduced_payment", RuleStatus.MET, "full_holiday", text, values)
    reduced = terms.reduced_payment
    if reduced is not None:
        values["reduced_payment"] = f"{reduced:.2f}"
    if reduced is not None and 0 < reduced < payment:
        text = f"The reduced payment, {_rub(reduced)}, is below the regular payment of {_rub(payment)}."
        return RuleResult("reduced_payment", RuleStatus.MET, "reduced_below_regular", text, values)
    text = f"A reduced payment must be above zero and below the regular payment of {_rub(payment)}."
    return RuleResult("reduced_payment", RuleStatus.NOT_MET, "reduced_not_below_regular", text, values)


def precheck(
    terms: HolidayTerms,
    *,
    loan_principal: Decimal,
    loan_cap: Decimal,
    monthly_payment: Decimal,
    only_home: bool,
    granted_before: bool,
    today: date,
) -> Precheck:
    """Judge every condition of the law; eligible when none is `not_met` (documents still confirm the grounds)."""
    rules = (
        _loan_cap(loan_principal, loan_cap),
        _only_home(only_home),
        _once(granted_before),
        _grounds(terms, monthly_payment),
        _length(terms.months),
        _start(terms.start_date, today),
        _reduced_payment(terms, monthly_payment),
    )
    eligible = all(rule.status is not RuleStatus.NOT_MET for rule in rules)
    return Precheck(eligible=eligible, monthly_payment=monthly_payment, rules=rules)
