"""The borrower's dialogs assembled: their routers under one private-chat router, in the order they are tried, and
their screens in one map."""

from aiogram import F, Router

from bot.screens import Screen, joined
from dialogs import (
    balance,
    common,
    early_repayment,
    fallback,
    feedback,
    held_chat,
    loan_choice,
    menu,
    onboarding,
    person,
    refinancing,
    reminder_offer,
    settings,
)
from dialogs.certificates import entry as certificates
from dialogs.holiday import entry as holiday
from dialogs.insurance import entry as insurance
from dialogs.selected_loan import SelectedLoan
from dialogs.typed import buttons as typed
from dialogs.typed import unlinked as typed_unlinked
from dialogs.unreadable import NoteUnreadable


def borrower_router() -> Router:
    """Every dialog's router in the order they are tried; the fallback, which answers anything, comes last."""
    root = Router(name="borrower")
    root.message.filter(F.chat.type == "private")
    root.edited_message.filter(F.chat.type == "private")
    root.callback_query.filter(F.message.chat.type == "private")
    # inner middlewares here see every dialog's handlers: the loan for those flagged `loan`, the note for `reads`
    root.message.middleware(SelectedLoan())
    root.callback_query.middleware(SelectedLoan())
    root.message.middleware(NoteUnreadable())
    root.include_routers(
        held_chat.router(),
        common.router(),
        person.router(),
        typed_unlinked.router(),
        onboarding.router(),
        reminder_offer.router(),
        loan_choice.router(),
        menu.router(),
        balance.router(),
        settings.router(),
        early_repayment.router(),
        certificates.router(),
        insurance.router(),
        holiday.router(),
        refinancing.router(),
        feedback.router(),
        typed.router(),
        fallback.router(),
    )
    return root


def borrower_screens() -> dict[str, Screen]:
    """Every dialog's screens, for `goto`, the back buttons and the fallback's "the same question again"."""
    return joined(
        onboarding.SCREENS,
        reminder_offer.SCREENS,
        loan_choice.SCREENS,
        settings.SCREENS,
        early_repayment.SCREENS,
        certificates.SCREENS,
        insurance.SCREENS,
        holiday.SCREENS,
        refinancing.SCREENS,
        person.SCREENS,
        feedback.SCREENS,
    )
