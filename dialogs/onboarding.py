"""Onboarding and linking: greeting, consent, the borrower's own phone contact, the second factor, lock-out."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram import F, Router, html
from aiogram.filters import CommandStart, StateFilter
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from babel.dates import get_timezone_location
from pydantic import Field

from bot.backend import BackendError
from bot.buttons import Nav
from bot.drafts import Draft
from bot.i18n import LANGUAGES, choose_language
from bot.keyboards import REMOVE, contact_request, inline
from bot.screens import Screen, Screens
from bot.turn import LANGUAGE_KEY, Turn
from dialogs import reminder_offer
from dialogs.callbacks import Consent, PickLanguage
from dialogs.filters import Linked
from dialogs.states import Onboarding


class LinkDraft(Draft):
    """The language picked before linking (the key the borrower middleware reads too) and the shared phone."""

    language: str | None = Field(default=None, alias=LANGUAGE_KEY)
    phone: str | None = None


_FACTOR_SHAPE = re.compile(r"\d{4}|\d{1,2}[./-]\d{1,2}[./-]\d{4}|\d{4}-\d{2}-\d{2}")
_LANGUAGE_NAMES = {"ru": "Русский", "en": "English"}


async def ask_consent(turn: Turn) -> None:
    other = next(code for code in LANGUAGES if code != turn.locale)
    await turn.say(
        _(
            "Hello! I am the assistant of your mortgage bank.\n\n"
            "I show your balance and progress to full repayment, remind you of payments, "
            "and take requests for certificates, insurance renewal and payment holidays. "
            "A person is always one button away.\n\n"
            "To show your loan I need to link this chat to your account. For that the bank will process "
            "your phone number and contract details under the law on personal data (152-FZ). Do you agree?"
        ),
        inline(
            [
                [(_("✅ I agree"), Consent(agreed=True)), (_("No, thanks"), Consent(agreed=False))],
                [(f"🌐 {_LANGUAGE_NAMES[other]}", PickLanguage(code=other))],
                [_person_button()],
            ]
        ),
    )


def _person_button() -> tuple[str, Nav]:
    """The greeting's promise kept before linking and after a lock-out: a person, without any loan data."""
    return (_("👤 Talk to a person"), Nav(to="person"))


async def ask_contact(turn: Turn) -> None:
    await turn.say(
        _(
            "Please share your phone number with the button below. "
            "It must be the number you gave the bank. Send /cancel to stop."
        ),
        contact_request(_("📱 Share my phone number")),
    )


async def ask_second_factor(turn: Turn) -> None:
    await turn.say(
        _(
            "Thank you. Now the second check: send the last 4 digits of your contract number, "
            "or your date of birth as DD.MM.YYYY."
        ),
        REMOVE,
    )


async def greet(message: Message, turn: Turn) -> None:
    await turn.state.set_state(Onboarding.consent)
    await ask_consent(turn)


async def on_back(query: CallbackQuery, turn: Turn) -> None:
    """Back from telling a person what it is about: the greeting again."""
    await query.answer()
    await turn.reset()
    await greet(query.message, turn)


async def on_language(query: CallbackQuery, callback_data: PickLanguage, turn: Turn) -> None:
    await query.answer()
    turn.switch_language(callback_data.code)
    await (await LinkDraft.load(turn.state)).change(turn.state, language=callback_data.code)
    await ask_consent(turn)


async def on_consent(query: CallbackQuery, callback_data: Consent, turn: Turn) -> None:
    await query.answer()
    if not callback_data.agreed:
        await turn.reset()
        await turn.say(
            _(
                "Understood. Without your consent I cannot link the chat, so I will not show any loan data. "
                "You can change your mind at any time: send /start."
            )
        )
        return
    await turn.state.set_state(Onboarding.contact)
    await ask_contact(turn)


def _passed_on(message: Message) -> bool:
    """A message the sender did not make here: forwarded (even of their own contact card) or sent through a bot."""
    return message.forward_origin is not None or message.forward_date is not None or message.via_bot is not None


async def on_contact(message: Message, turn: Turn) -> None:
    contact = message.contact
    if _passed_on(message):
        await turn.say(
            _(
                "A forwarded contact cannot show that the number is this account's own. For your safety "
                "please share it with the button below."
            ),
            contact_request(_("📱 Share my phone number")),
        )
        return
    if contact is None or contact.user_id != turn.user_id:
        await turn.say(
            _(
                "This is not your own phone number. For your safety I accept only the number of this "
                "Telegram account: please use the button below."
            ),
            contact_request(_("📱 Share my phone number")),
        )
        return
    phone = contact.phone_number if contact.phone_number.startswith("+") else f"+{contact.phone_number}"
    await (await LinkDraft.load(turn.state)).change(turn.state, phone=phone)
    await turn.state.set_state(Onboarding.second_factor)
    await ask_second_factor(turn)


async def on_second_factor(message: Message, turn: Turn) -> None:
    factor = (message.text or "").strip()
    if not _FACTOR_SHAPE.fullmatch(factor):
        await turn.say(_("That does not look like 4 digits or a date. Please send, for example, 0457 or 12.04.1985."))
        return
    draft = await LinkDraft.load(turn.state)
    phone = draft.phone
    if not phone:
        await turn.state.set_state(Onboarding.contact)
        await ask_contact(turn)
        return
    try:
        result = await turn.backend.link(
            turn.user_id, phone=phone, second_factor=factor, language=_chosen(draft, message)
        )
    except BackendError as exc:
        await _refused(turn, exc)
        return
    await turn.state.clear()
    await turn.refresh_borrower()
    await turn.say(
        _("Done, {name}: the chat is linked to your account.").format(name=html.quote(result.first_name)), REMOVE
    )
    await reminder_offer.after_link(turn)


def _chosen(draft: LinkDraft, message: Message) -> str | None:
    """The language to store with the link: the one picked here, else Telegram's; None keeps the bank's record."""
    if draft.language:
        return draft.language
    code = message.from_user.language_code if message.from_user else None
    return choose_language(None, code, "ru") if code else None


async def _refused(turn: Turn, exc: BackendError) -> None:
    if exc.code == "second_factor_malformed":  # no attempt used: the same question, with why
        await turn.say(
            _(
                "That is not a date in the calendar. Please send your date of birth as DD.MM.YYYY, for example "
                "12.04.1985, or the last 4 digits of your contract number. No attempt was used."
            )
        )
    elif exc.code == "link_failed":
        left = int(exc.details.get("attempts_left", 0))
        await turn.say(
            _("The phone number and this check do not match our records. Attempts left: {left}.").format(left=left)
            + "\n"
            + _("Please send the last 4 digits of your contract number or your date of birth.")
        )
    elif exc.code == "link_locked":
        await turn.reset()
        await turn.say(_locked_text(turn, exc.details.get("locked_until")), REMOVE)
        await turn.say(_("A person from the bank can help meanwhile."), inline([[_person_button()]]))
    elif exc.code in ("borrower_linked_elsewhere", "telegram_linked_elsewhere"):
        await turn.reset()
        await turn.say(
            _(
                "This account is already linked to another Telegram chat. If that was not you, "
                "please call the bank on {phone}: it will unlink it after checking your identity."
            ).format(phone=turn.settings.bank_phone),
            REMOVE,
        )
    else:
        await turn.reset()
        await turn.say(_("I could not check these details. Please start again with /start."), REMOVE)


def _locked_text(turn: Turn, locked_until: object) -> str:
    try:
        zone = ZoneInfo(turn.settings.bank_time_zone)
        until = datetime.fromisoformat(str(locked_until)).astimezone(zone)
    except ValueError:
        return _("Too many failed attempts. For your safety linking is locked for an hour.")
    return _(
        "Too many failed attempts. For your safety linking is locked until {time} ({place} time). "
        "If you have forgotten your contract number, your date of birth works too."
    ).format(time=turn.clock(until.time()), place=get_timezone_location(zone, locale=turn.locale, return_city=True))


SCREENS: Screens = {
    Onboarding.consent.state: Screen("buttons", ask_consent),
    Onboarding.contact.state: Screen("contact", ask_contact),
    Onboarding.second_factor.state: Screen("text", ask_second_factor),
}


def router() -> Router:
    r = Router(name="onboarding")
    r.message.filter(Linked(False))
    r.callback_query.filter(Linked(False))
    r.callback_query.register(on_language, Onboarding.consent, PickLanguage.filter(F.code.in_(LANGUAGES)))
    r.callback_query.register(on_consent, Onboarding.consent, Consent.filter())
    r.callback_query.register(on_back, Nav.filter(F.to == "menu"))
    r.message.register(greet, CommandStart())
    r.message.register(on_contact, Onboarding.contact, F.contact)
    r.message.register(on_second_factor, Onboarding.second_factor, F.text)
    r.message.register(greet, StateFilter(None))
    return r
