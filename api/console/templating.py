"""Jinja2 for the console: templates translated through the Babel catalogs in `locales/` in the member's language,
Babel's money and date filters, and `render` for a page response."""

from datetime import date, datetime
from decimal import Decimal
from functools import cache, partial
from pathlib import Path
from typing import Any

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal
from babel.support import Translations
from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context

import locales
from api.plain_text import without_bidi_controls

LANGUAGES = ("ru", "en")
DEFAULT_LANGUAGE = "ru"
LANGUAGE_COOKIE = "console_lang"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
LOCALES_DIR = Path(locales.__file__).resolve().parent

#: Every console page: nothing from elsewhere (the bank network has no internet), no framing, no caching.
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


@cache
def translations(language: str) -> Translations:
    """The compiled catalog of `language` (for console code that translates outside a template)."""
    return Translations.load(LOCALES_DIR, [language], "messages")


def _money(language: str, amount: Decimal | int | None) -> str:
    return "—" if amount is None else format_currency(amount, "RUB", locale=language)


def _number(language: str, value: Decimal | int | None) -> str:
    return "—" if value is None else format_decimal(value, locale=language)


def _date(language: str, value: date | None, style: str = "medium") -> str:
    return "—" if value is None else format_date(value, format=style, locale=language)


@pass_context
def _datetime(context: Context, value: datetime | None, style: str = "short") -> str:
    """A moment in the bank's time zone (staff work in bank time)."""
    if value is None:
        return "—"
    return format_datetime(value, format=style, tzinfo=context["zone"], locale=context["language"])


def _shown(value: Any) -> Any:
    """Every value a page shows, bidirectional overrides taken out: a borrower's name or file name reads as it is."""
    return without_bidi_controls(value) if isinstance(value, str) else value


@cache
def environment(language: str) -> Environment:
    """The templates in `language`, built on first use and kept (one environment per language)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_shown,
    )
    env.policies["ext.i18n.trimmed"] = True  # as locales/babel.cfg extracts {% trans %} blocks
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        money=partial(_money, language),
        number=partial(_number, language),
        date=partial(_date, language),
        datetime=_datetime,
    )
    return env


def console_language(request: Request) -> str:
    """The member's chosen language, else the browser's cookie, else Russian."""
    member = getattr(request.state, "console_member", None)
    for choice in (member.language if member else None, request.cookies.get(LANGUAGE_COOKIE)):
        if choice in LANGUAGES:
            return choice
    return DEFAULT_LANGUAGE


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    """The page `template` in the member's language; base.html reads `member`, `csrf_token` and `language`."""
    language = console_language(request)
    page = {
        "request": request,
        "language": language,
        "languages": LANGUAGES,
        "member": getattr(request.state, "console_member", None),
        "csrf_token": getattr(request.state, "csrf_token", ""),
        "zone": request.app.state.settings.bank_zone,
        "now": request.app.state.clock(),
        **(context or {}),
    }
    html = environment(language).get_template(template).render(page)
    return HTMLResponse(html, status_code=status_code, headers=PAGE_HEADERS)
