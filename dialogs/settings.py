"""Settings: language, reminders and how many days ahead, the message when a payment arrives, the hours pushes may
arrive, time zone, loan, unlink."""

from contextlib import suppress

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from babel.dates import get_timezone_location

from bot.backend import NotLinked
from bot.backend.models import Preferences
from bot.buttons import Nav
from bot.drafts import Draft
from bot.i18n import LANGUAGES
from bot.keyboards import REMOVE, columns, inline
from bot.screens import Screen, Screens
from bot.turn import Turn
from dialogs import loan_choice
from dialogs.callbacks import ConfirmUnlink, DaysDone, PickHours, PickLanguage, PickZone, SettingsItem, ToggleDay
from dialogs.filters import Linked
from dialogs.states import SettingsForm

LANGUAGE_NAMES = {"ru": "Русский", "en": "English"}
DAY_CHOICES = (1, 2, 3, 5, 7, 10, 14)
MAX_DAYS = 3
HOUR_CHOICES = ((7, 21), (8, 20), (8, 22), (9, 21), (10, 22))
ZONES = (
    "Europe/Kaliningrad",
    "Europe/Moscow",
    "Europe/Samara",
    "Asia/Yekaterinburg",
    "Asia/Omsk",
    "Asia/Novosibirsk",
    "Asia/Krasnoyarsk",
    "Asia/Irkutsk",
    "Asia/Yakutsk",
    "Asia/Vladivostok",
    "Asia/Magadan",
    "Asia/Kamchatka",
)
#: The two switches' buttons say which way they go ("reminders_off" when on), so a press repeated after the backend
#: failed (its write done late, or not at all) sets what the button said once, never toggles it back. The bare
#: "reminders" and "payment_notice" of buttons sent before toggle what is stored now.
SWITCHES = {
    "reminders_on": ("reminders_enabled", True),
    "reminders_off": ("reminders_enabled", False),
    "payment_notice_on": ("payment_received_notices", True),
    "payment_notice_off": ("payment_received_notices", False),
}
TOGGLES = {"reminders": "reminders_enabled", "payment_notice": "payment_received_notices"}
ITEMS = frozenset({"language", "days", "hours", "zone", "loan", "unlink", *SWITCHES, *TOGGLES})


class DaysDraft(Draft):
    """The reminder days being chosen, most days ahead first; saved to the backend on Done."""

    days: tuple[int, ...] = ()


def _place(turn: Turn, zone: str) -> str:
    return get_timezone_location(zone, locale=turn.locale, return_city=True)


def days_text(days: list[int]) -> str:
    """The days in words; Russian agrees with the last number («за 3 и 1 день»), hence the plural forms."""
    if not days:
        return _("on the due day only")
    *before, last = sorted(days, reverse=True)
    if not before:
        return ngettext("{last} day before and on the due day", "{last} days before and on the due day", last).format(
            last=last
        )
    return ngettext(
        "{days} and {last} day before and on the due day", "{days} and {last} days before and on the due day", last
    ).format(days=", ".join(str(day) for day in before), last=last)


def _back():
    return [(_("⬅️ Back"), Nav(to="settings"))]


async def ask_main(turn: Turn) -> None:
    prefs = await turn.backend.preferences(turn.user_id)
    loans = await turn.backend.loans(turn.user_id)
    lines = [
        _("Settings"),
        "",
        _("Language: {language}").format(language=LANGUAGE_NAMES.get(prefs.language, prefs.language)),
        _("Payment reminders: {days}").format(days=days_text(prefs.reminder_days_ahead))
        if prefs.reminders_enabled
        else _("Payment reminders: off"),
        *(_payment_notice_line(prefs) if prefs.reminders_enabled else []),
        _("Messages from me only between {start} and {end} ({place} time)").format(
            start=turn.clock(prefs.daytime_start),
            end=turn.clock(prefs.daytime_end),
            place=_place(turn, prefs.time_zone),
        ),
    ]
    rows = [
        [(_("🌐 Language"), SettingsItem(item="language"))],
        [
            (
                _("🔕 Turn reminders off") if prefs.reminders_enabled else _("🔔 Turn reminders on"),
                SettingsItem(item="reminders_off" if prefs.reminders_enabled else "reminders_on"),
            )
        ],
    ]
    if prefs.reminders_enabled:
        rows.append([(_("📅 When to remind"), SettingsItem(item="days"))])
        notice = "payment_notice_off" if prefs.payment_received_notices else "payment_notice_on"
        rows.append([(_payment_notice_button(prefs), SettingsItem(item=notice))])
    rows.append([(_("🌙 Quiet hours"), SettingsItem(item="hours")), (_("🕒 Time zone"), SettingsItem(item="zone"))])
    if len(loans) > 1:
        rows.append([(_("📄 Choose the loan"), SettingsItem(item="loan"))])
    rows.append([(_("🔓 Unlink this chat"), SettingsItem(item="unlink"))])
    rows.append([(_("🏠 Menu"), Nav(to="menu"))])
    await turn.say("\n".join(lines), inline(rows))


def _payment_notice_line(prefs: Preferences) -> list[str]:
    """The message when a payment arrives rides on the reminders' consent, so it is shown only with them on."""
    if prefs.payment_received_notices:
        return [_("Message when a payment reaches the bank: on")]
    return [_("Message when a payment reaches the bank: off")]


def _payment_notice_button(prefs: Preferences) -> str:
    if prefs.payment_received_notices:
        return _("🔕 No message when a payment arrives")
    return _("🧾 Message me when a payment arrives")


async def ask_language(turn: Turn) -> None:
    buttons = [(LANGUAGE_NAMES[code], PickLanguage(code=code)) for code in LANGUAGES]
    await turn.say(_("Choose the language:"), inline([buttons, _back()]))


async def ask_days(turn: Turn) -> None:
    chosen = set((await DaysDraft.load(turn.state)).days)
    buttons = [(("✔️ " if day in chosen else "") + str(day), ToggleDay(day=day)) for day in DAY_CHOICES]
    await turn.say(
        _(
            "How many days before a payment shall I remind you? Choose up to {count}; "
            "I also remind you on the day itself. Now: {days}."
        ).format(count=MAX_DAYS, days=days_text(sorted(chosen))),
        inline([*columns(buttons, 4), [(_("💾 Save"), DaysDone())], _back()]),
    )


async def ask_hours(turn: Turn) -> None:
    buttons = [(f"{start:02d}:00–{end:02d}:00", PickHours(start=start, end=end)) for start, end in HOUR_CHOICES]
    await turn.say(
        _("When may I write to you? Outside these hours reminders wait until the morning."),
        inline([*columns(buttons, 2), _back()]),
    )


async def ask_zone(turn: Turn) -> None:
    buttons = [(_place(turn, zone), PickZone(index=index)) for index, zone in enumerate(ZONES)]
    await turn.say(
        _("Your time zone, so that reminders come in your daytime:"), inline([*columns(buttons, 3), _back()])
    )


async def ask_unlink(turn: Turn) -> None:
    await turn.say(
        _(
            "Unlink this chat from your loan account? I will stop showing loan data and sending reminders here. "
            "Your loan and its data stay with the bank; you can link again at any time."
        ),
        inline(
            [[(_("Yes, unlink"), ConfirmUnlink(confirmed=True)), (_("No, keep it"), ConfirmUnlink(confirmed=False))]]
        ),
    )


async def open_settings(turn: Turn) -> None:
    await turn.state.set_state(SettingsForm.main)
    await ask_main(turn)


async def on_settings_command(message: Message, turn: Turn) -> None:
    await turn.reset()
    await open_settings(turn)


async def on_settings_button(query: CallbackQuery, turn: Turn) -> None:
    await query.answer()
    await turn.reset()
    await open_settings(turn)


async def on_item(query: CallbackQuery, callback_data: SettingsItem, turn: Turn) -> None:
    await query.answer()
    await open_item(turn, callback_data.item)


async def switch_reminders(turn: Turn, enabled: bool) -> None:
    """Reminders turned on or off as asked in words (the button toggles them): said so, with the settings shown."""
    await turn.reset()
    await _save(turn, reminders_enabled=enabled)
    await turn.say(_("Done: payment reminders are on.") if enabled else _("Done: payment reminders are off."))
    await open_settings(turn)


async def open_item(turn: Turn, item: str) -> None:
    """One setting opened (pressed on the settings screen, or typed as a request), as the settings screen does."""
    await turn.state.set_state(SettingsForm.main)
    if item in SWITCHES:
        name, value = SWITCHES[item]
        await _save(turn, **{name: value})
        await ask_main(turn)
    elif item in TOGGLES:
        prefs = await turn.backend.preferences(turn.user_id)
        await _save(turn, **{TOGGLES[item]: not getattr(prefs, TOGGLES[item])})
        await ask_main(turn)
    elif item == "loan":
        await loan_choice.start(turn)
    elif item == "days":
        prefs = await turn.backend.preferences(turn.user_id)
        await DaysDraft(days=prefs.reminder_days_ahead).store(turn.state)
        await turn.state.set_state(SettingsForm.days)
        await ask_days(turn)
    else:
        state, ask = {
            "language": (SettingsForm.language, ask_language),
            "hours": (SettingsForm.hours, ask_hours),
            "zone": (SettingsForm.zone, ask_zone),
            "unlink": (SettingsForm.unlink, ask_unlink),
        }[item]
        await turn.state.set_state(state)
        await ask(turn)


async def on_language(query: CallbackQuery, callback_data: PickLanguage, turn: Turn) -> None:
    await query.answer()
    await _save(turn, language=callback_data.code)
    turn.switch_language(callback_data.code)
    await turn.say(_("Done: I will speak English now."))
    await open_settings(turn)


async def on_toggle_day(query: CallbackQuery, callback_data: ToggleDay, turn: Turn) -> None:
    chosen = set((await DaysDraft.load(turn.state)).days)
    if callback_data.day in chosen:
        chosen.discard(callback_data.day)
    elif len(chosen) >= MAX_DAYS:
        await query.answer(_("Up to {count} days: remove one first.").format(count=MAX_DAYS), show_alert=True)
        return
    else:
        chosen.add(callback_data.day)
    await query.answer()
    await DaysDraft(days=sorted(chosen, reverse=True)).store(turn.state)
    await ask_days(turn)


async def on_days_done(query: CallbackQuery, turn: Turn) -> None:
    await query.answer()
    days = list((await DaysDraft.load(turn.state)).days)
    await _save(turn, reminder_days_ahead=days)
    await turn.say(_("Saved: reminders {days}.").format(days=days_text(days)))
    await open_settings(turn)


async def on_hours(query: CallbackQuery, callback_data: PickHours, turn: Turn) -> None:
    await query.answer()
    await _save(turn, daytime_start=f"{callback_data.start:02d}:00", daytime_end=f"{callback_data.end:02d}:00")
    await open_settings(turn)


async def on_zone(query: CallbackQuery, callback_data: PickZone, turn: Turn) -> None:
    await query.answer()
    await _save(turn, time_zone=ZONES[callback_data.index])
    await open_settings(turn)


async def on_unlink(query: CallbackQuery, callback_data: ConfirmUnlink, turn: Turn) -> None:
    await query.answer()
    if not callback_data.confirmed:
        await open_settings(turn)
        return
    with suppress(NotLinked):  # unlinked already: by this very press, its first answer lost; done either way
        await turn.backend.unlink(turn.user_id)
    await turn.profiles.forget(turn.user_id)
    turn.borrower = None
    await turn.reset()
    await turn.say(_("The chat is unlinked. Your loan data stays with the bank. To link again, send /start."), REMOVE)


async def _save(turn: Turn, **changes: object) -> Preferences:
    prefs = await turn.backend.update_preferences(turn.user_id, **changes)
    await turn.adopt(prefs)
    return prefs


SCREENS: Screens = {
    SettingsForm.main.state: Screen("buttons", ask_main),
    SettingsForm.language.state: Screen("buttons", ask_language),
    SettingsForm.days.state: Screen("buttons", ask_days),
    SettingsForm.hours.state: Screen("buttons", ask_hours),
    SettingsForm.zone.state: Screen("buttons", ask_zone),
    SettingsForm.unlink.state: Screen("buttons", ask_unlink),
}


def router() -> Router:
    r = Router(name="settings")
    r.message.filter(Linked())
    r.callback_query.filter(Linked())
    r.message.register(on_settings_command, Command("settings"))
    r.callback_query.register(on_settings_button, Nav.filter(F.to == "settings"))
    r.callback_query.register(on_item, SettingsForm.main, SettingsItem.filter(F.item.in_(ITEMS)))
    r.callback_query.register(on_language, SettingsForm.language, PickLanguage.filter(F.code.in_(LANGUAGES)))
    r.callback_query.register(on_toggle_day, SettingsForm.days, ToggleDay.filter(F.day.in_(DAY_CHOICES)))
    r.callback_query.register(on_days_done, SettingsForm.days, DaysDone.filter())
    r.callback_query.register(
        on_hours, SettingsForm.hours, PickHours.filter(F.func(lambda d: (d.start, d.end) in HOUR_CHOICES))
    )
    r.callback_query.register(on_zone, SettingsForm.zone, PickZone.filter(F.index.in_(range(len(ZONES)))))
    r.callback_query.register(on_unlink, SettingsForm.unlink, ConfirmUnlink.filter())
    return r
