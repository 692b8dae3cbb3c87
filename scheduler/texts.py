"""What each notification says, in the borrower's language (the caller sets the locale): calm, factual, no offers.

Amounts and dates are formatted by Babel; the staff's words are escaped, since messages are Telegram HTML.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from aiogram import html
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot import formatting
from bot.backend.outbox import Claimed
from bot.buttons import CallPerson, Nav, QuotePayment
from bot.keyboards import inline


@dataclass(frozen=True)
class Text:
    body: str
    markup: InlineKeyboardMarkup | None


def text_of(item: Claimed) -> Text:
    """The message for a claimed notification; `KeyError`/`ValueError` when its payload is not what its kind needs."""
    compose = {
        "payment_due": _payment_due,
        "payment_overdue": _payment_overdue,
        "insurance_expiry": _insurance_expiry,
        "holiday_decided": _holiday_decided,
        "certificate_ready": _certificate_ready,
        "certificate_rejected": _certificate_rejected,
        "insurance_document_decided": _insurance_document_decided,
        "payment_received": _payment_received,
        "insurance_quote_ready": _insurance_quote_ready,
    }[item.kind]
    return compose(item.payload, item.language)


def certificate_title(payload: dict[str, Any], locale: str) -> str:
    kind = payload["certificate_kind"]
    if kind == "interest_paid":
        return _("Certificate of interest paid in {year}").format(year=payload["year"])
    if kind == "outstanding_debt":
        on_date = formatting.day(date.fromisoformat(payload["on_date"]), locale)
        return _("Certificate of the outstanding debt on {date}").format(date=on_date)
    if kind == "schedule":
        return _("Payment schedule")
    return _("Certificate of loan closure")


def _payment_due(payload: dict[str, Any], locale: str) -> Text:
    amount = formatting.money(Decimal(payload["amount"]), locale)
    due = formatting.day(date.fromisoformat(payload["due_date"]), locale)
    days = int(payload["days_before"])
    if days == 0:
        head = _("Today, {date}, is your payment day: {amount}.")
    elif days == 1:
        head = _("Tomorrow, {date}, is your payment day: {amount}.")
    else:
        head = ngettext(
            "In {days} day, on {date}, is your payment day: {amount}.",
            "In {days} days, on {date}, is your payment day: {amount}.",
            days,
        )
    lines = [
        "🔔 " + head.format(days=days, date=due, amount=html.bold(amount)),
        _("If you have already paid, thank you, and please ignore this message."),
    ]
    return Text(
        "\n\n".join(lines), inline([[(_("💳 How to pay"), Nav(to="pay")), (_("⚙️ Settings"), Nav(to="settings"))]])
    )


def _payment_received(payload: dict[str, Any], locale: str) -> Text:
    """Thanks and progress after a payment: what came in and when, the share repaid, what is left; no offers."""
    amount = formatting.money(Decimal(payload["amount"]), locale)
    paid_on = formatting.day(date.fromisoformat(payload["paid_on"]), locale)
    lines = [
        "✅ "
        + _("Thank you: your payment of {amount} made on {date} has reached the bank.").format(
            amount=html.bold(amount), date=paid_on
        )
    ]
    rows = [[(_("📊 Balance and progress"), Nav(to="balance")), (_("⚙️ Settings"), Nav(to="settings"))]]
    if payload["closed"]:
        lines.append(_("This was the last payment: the loan is repaid in full. Congratulations!"))
        return Text("\n\n".join(lines), inline(rows))
    if payload["arrears_cleared"]:
        lines.append(_("The overdue payments are now covered: the loan has no arrears."))
    elif Decimal(payload["overdue_amount"]) > 0:
        overdue = formatting.money(Decimal(payload["overdue_amount"]), locale)
        lines.append(_("Still overdue from earlier payments: {amount}.").format(amount=overdue))
    share, left = Decimal(payload["percent_repaid"]), int(payload["installments_left"])
    owed = formatting.money(Decimal(payload["principal_outstanding"]), locale)
    progress = [
        _("Repaid: {bar} {share}").format(bar=formatting.progress_bar(share), share=formatting.percent(share, locale)),
        ngettext(
            "Principal left: {amount}, {count} payment to go", "Principal left: {amount}, {count} payments to go", left
        ).format(amount=owed, count=left),
    ]
    lines.append("\n".join(progress))
    return Text("\n\n".join(lines), inline(rows))


def _payment_overdue(payload: dict[str, Any], locale: str) -> Text:
    amount = formatting.money(Decimal(payload["overdue_amount"]), locale)
    since = formatting.day(date.fromisoformat(payload["overdue_since"]), locale)
    lines = [
        _("The payment due on {date} has not reached us yet: {amount} is outstanding.").format(
            date=since, amount=html.bold(amount)
        ),
        _(
            "If paying is hard right now, you can apply for a payment holiday or talk to a person: "
            "we will look for a way together. If you have just paid, please ignore this message."
        ),
    ]
    rows = [
        [(_("💳 How to pay"), Nav(to="pay"))],
        [(_("🌿 Payment holiday"), Nav(to="holiday")), (_("👤 Talk to a person"), CallPerson(why="hardship"))],
    ]
    return Text("\n\n".join(lines), inline(rows))


def _cover(kind: str) -> str:
    return {"property": _("property insurance"), "life": _("life insurance"), "title": _("title insurance")}[kind]


def _insurance_expiry(payload: dict[str, Any], locale: str) -> Text:
    expires = formatting.day(date.fromisoformat(payload["expires_on"]), locale)
    days = int(payload["days_before"])
    head = ngettext(
        "Your {cover} with {insurer} ends on {date}, in {days} day.",
        "Your {cover} with {insurer} ends on {date}, in {days} days.",
        days,
    ).format(cover=_cover(payload["policy_kind"]), insurer=html.quote(payload["insurer"]), date=expires, days=days)
    if payload["mandatory"]:
        rule = _("The loan agreement requires this cover: please renew it and send me the new policy.")
    else:
        rule = _("This cover is voluntary: renewing it is your choice.")
    return Text(f"🛡 {head}\n\n{rule}", inline([[(_("🛡 Insurance"), Nav(to="insurance"))]]))


def _reason(payload: dict[str, Any]) -> list[str]:
    reason = payload.get("reason")
    return [_("The staff's comment: {reason}").format(reason=html.quote(reason))] if reason else []


def _holiday_decided(payload: dict[str, Any], locale: str) -> Text:
    number = payload["holiday_id"]
    if payload["decision"] == "approved":
        months = int(payload["months"])
        start = formatting.day(date.fromisoformat(payload["start_date"]), locale)
        head = ngettext(
            "✅ Your payment-holiday application № {number} is approved: {months} month from {date}.",
            "✅ Your payment-holiday application № {number} is approved: {months} months from {date}.",
            months,
        ).format(number=number, months=months, date=start)
        rows = [[(_("🌿 Payment holiday"), Nav(to="holiday"))]]
    else:
        head = _("❌ Your payment-holiday application № {number} is declined.").format(number=number)
        rows = [[(_("🌿 Payment holiday"), Nav(to="holiday")), (_("👤 Talk to a person"), CallPerson(why="hardship"))]]
    return Text("\n\n".join([head, *_reason(payload)]), inline(rows))


def _certificate_ready(payload: dict[str, Any], locale: str) -> Text:
    head = _("📄 Your certificate is ready: {title}.").format(title=certificate_title(payload, locale))
    return Text(head, inline([[(_("📄 Certificates"), Nav(to="certificates"))]]))


def _certificate_rejected(payload: dict[str, Any], locale: str) -> Text:
    head = _("I am sorry: the staff could not issue the certificate you asked for ({title}).").format(
        title=certificate_title(payload, locale)
    )
    rows = [[(_("📄 Certificates"), Nav(to="certificates")), (_("👤 Talk to a person"), Nav(to="person"))]]
    return Text("\n\n".join([head, *_reason(payload)]), inline(rows))


def _insurance_document_decided(payload: dict[str, Any], locale: str) -> Text:
    kind = payload.get("policy_kind")
    cover = _cover(kind) if kind else _("insurance")
    if payload["decision"] == "approved":
        head = _("✅ Your {cover} policy is accepted.").format(cover=cover)
        if payload.get("expires_on"):
            until = formatting.day(date.fromisoformat(payload["expires_on"]), locale)
            head += " " + _("It is valid until {date}.").format(date=until)
    else:
        head = _("❌ Your {cover} policy was not accepted; please send another one.").format(cover=cover)
    return Text("\n\n".join([head, *_reason(payload)]), inline([[(_("🛡 Insurance"), Nav(to="insurance"))]]))


def _insurance_quote_ready(payload: dict[str, Any], locale: str) -> Text:
    """The partner's price for the renewal asked for, how long it holds, the day a later payment is due, the choice."""
    head = _("🧾 Your renewal quote is ready: {cover} with {insurer}, {amount}. The price holds until {date}.").format(
        cover=_cover(payload["policy_kind"]),
        insurer=html.quote(payload["insurer"]),
        amount=html.bold(formatting.money(Decimal(payload["premium"]), locale)),
        date=formatting.day(date.fromisoformat(payload["valid_until"]), locale),
    )
    if payload["mandatory"]:
        rule = _("The loan agreement requires this cover.")
    else:
        rule = _("This cover is voluntary: renewing it is your choice.")
    pay_by = formatting.day(date.fromisoformat(payload["pay_by"]), locale)
    if payload["pay_by"] < payload["valid_until"]:
        later = _(
            "If you pay later, please pay by {date}, when your current policy ends, so that the cover runs on "
            "without a break."
        ).format(date=pay_by)
    else:
        later = _("If you pay later, please pay by {date}, while the price holds.").format(date=pay_by)
    ask = _("Would you like to pay at once or later? Nothing is bought until you choose.")
    loan_id, quote_id = int(payload["loan_id"]), int(payload["quote_id"])
    rows = [
        [
            (_("💳 Pay at once"), QuotePayment(loan_id=loan_id, quote_id=quote_id, later=False)),
            (_("🕓 Pay later"), QuotePayment(loan_id=loan_id, quote_id=quote_id, later=True)),
        ],
        [(_("🛡 Insurance"), Nav(to="insurance"))],
    ]
    return Text("\n\n".join([head, f"{rule} {later}", ask]), inline(rows))
