"""The backend's payment-holiday pre-check in the borrower's words: one line per rule from its outcome code and
figures (the backend's English explanation is never shown), and what the result means: never a refusal."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.backend.holidays import HolidayPrecheck, HolidayRule
from bot.turn import Turn

ICONS = {"met": "✅", "not_met": "❌", "to_confirm": "📎"}
Values = dict[str, str]


def _money(turn: Turn, values: Values, key: str) -> str:
    return turn.money(Decimal(values[key]))


def _day(turn: Turn, values: Values, key: str) -> str:
    return turn.day(date.fromisoformat(values[key]))


def _income(turn: Turn, values: Values, fits: bool) -> str:
    drop = Decimal(values["drop_percent"])
    dropped = (
        _("your income is down {share}").format(share=turn.percent(drop))
        if drop > 0
        else _("your income has not gone down")
    )
    share = values.get("payment_share_percent")
    burden = (
        _("the payment is {share} of your new income").format(share=turn.percent(Decimal(share)))
        if share is not None
        else _("the payment is more than all of your new income")
    )
    condition = _("an income drop of more than {drop} with the payment above {share} of the new income").format(
        drop=turn.percent(Decimal(values["required_drop_percent"])),
        share=turn.percent(Decimal(values["required_share_percent"])),
    )
    if fits:
        text = _(
            "Income: {dropped}, and {burden}. The law asks for {condition}, so this fits; "
            "an income statement must confirm it."
        )
    else:
        text = _("Income: {dropped}, and {burden}. The law asks for {condition}, so this ground does not fit.")
    text = text.format(dropped=dropped, burden=burden, condition=condition)
    if "monthly_payment" in values:
        text += " " + _compared(turn, values)
    return text


def _compared(turn: Turn, values: Values) -> str:
    """Which payment the law compares with the income, and why: art. 6.1-1 speaks of the payment under the credit
    agreement, so it is this loan's own payment; the borrower's other loans are not added in."""
    return _(
        "The payment compared is this loan's monthly payment under its agreement, {amount}: the law (353-FZ, "
        "article 6.1-1) speaks of the payment under the credit agreement on which the holiday is asked, so "
        "payments on other loans are not added in."
    ).format(amount=_money(turn, values, "monthly_payment"))


def _length(turn: Turn, values: Values) -> str:
    count = int(values["months"])
    return ngettext(
        "{count} month: within the law's 1 to {most} months.",
        "{count} months: within the law's 1 to {most} months.",
        count,
    ).format(count=count, most=values["max_months"])


OUTCOMES: dict[str, Callable[[Turn, Values], str]] = {
    "within_cap": lambda t, v: _("The loan amount, {principal}, is within the government limit of {cap}.").format(
        principal=_money(t, v, "principal"), cap=_money(t, v, "cap")
    ),
    "above_cap": lambda t, v: _("The loan amount, {principal}, is above the government limit of {cap}.").format(
        principal=_money(t, v, "principal"), cap=_money(t, v, "cap")
    ),
    "only_home": lambda t, v: _("The mortgaged home is recorded as your only home."),
    "not_only_home": lambda t, v: _(
        "The law covers only a mortgaged home that is the borrower's only one; the bank's records show otherwise."
    ),
    "first_holiday": lambda t, v: _("There has been no payment holiday on this contract yet."),
    "already_granted": lambda t, v: _(
        "A payment holiday was already granted on this contract, and the law allows one per contract."
    ),
    "income_fits": lambda t, v: _income(t, v, fits=True),
    "income_does_not_fit": lambda t, v: _income(t, v, fits=False),
    "no_income_before": lambda t, v: _(
        "This ground needs an income drop, and with no income before none can be shown."
    ),
    "registered_unemployment": lambda t, v: _(
        "Registered unemployment is a ground in the law; the employment centre's record must confirm it."
    ),
    "disability_group": lambda t, v: _(
        "Disability of group I or II is a ground in the law; the disability certificate must confirm it."
    ),
    "long_sick_leave": lambda t, v: _(
        "Sick leave of more than 2 months in a row is a ground in the law; the sick-leave certificate must confirm it."
    ),
    "no_legal_ground": lambda t, v: _(
        "The law names these grounds: registered unemployment, disability of group I or II, sick leave over "
        "2 months, a large income drop, or a new dependant with an income drop. Your reason is not among them, "
        "but the staff can still consider your case."
    ),
    "length_ok": _length,
    "length_out_of_range": lambda t, v: _("A holiday lasts 1 to {most} months.").format(most=v["max_months"]),
    "start_ok": lambda t, v: _("The start, {date}, is within the allowed dates: {earliest} to {latest}.").format(
        date=_day(t, v, "start_date"), earliest=_day(t, v, "earliest"), latest=_day(t, v, "latest")
    ),
    "too_far_back": lambda t, v: _("The start may be backdated to {earliest} at the earliest.").format(
        earliest=_day(t, v, "earliest")
    ),
    "too_far_ahead": lambda t, v: _("The start may be {latest} at the latest.").format(latest=_day(t, v, "latest")),
    "full_holiday": lambda t, v: _("A full holiday: no payments are due during it."),
    "reduced_below_regular": lambda t, v: _(
        "The reduced payment, {reduced}, is below your regular payment of {payment}."
    ).format(reduced=_money(t, v, "reduced_payment"), payment=_money(t, v, "monthly_payment")),
    "reduced_not_below_regular": lambda t, v: _(
        "A reduced payment must be above zero and below your regular payment of {payment}."
    ).format(payment=_money(t, v, "monthly_payment")),
}


def _neutral(status: str) -> str:
    """A rule this bot does not know yet: only what its status says."""
    return {
        "met": _("Another condition of the law is met."),
        "not_met": _("Another condition of the law looks not met; the staff will look at it."),
        "to_confirm": _("Another condition of the law must be confirmed by your documents."),
    }.get(status, _("Another condition of the law: the staff will check it."))


def rule_line(turn: Turn, rule: HolidayRule) -> str:
    explain = OUTCOMES.get(rule.outcome)
    try:
        text = explain(turn, rule.values) if explain else _neutral(rule.status)
    except (KeyError, ValueError, InvalidOperation):  # figures missing or malformed: say only what is sure
        text = _neutral(rule.status)
    return f"{ICONS.get(rule.status, '•')} {text}"


def verdict(precheck: HolidayPrecheck) -> str:
    if not precheck.eligible:
        return _(
            "Some conditions look not met. This is not a refusal: I do not decide, the bank's staff do, "
            "and you can still send the application for their review."
        )
    if any(rule.status == "to_confirm" for rule in precheck.rules):
        return _("The conditions look met. The staff will check the ones marked 📎 against your documents.")
    return _("The conditions look met.")


def explained(turn: Turn, precheck: HolidayPrecheck) -> str:
    """Every rule on its own line, then the verdict."""
    lines = [_("How your application fits the law's conditions:"), ""]
    lines += [rule_line(turn, rule) for rule in precheck.rules]
    return "\n".join([*lines, "", verdict(precheck)])
