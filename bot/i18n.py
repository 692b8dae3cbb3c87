"""The gettext catalogs in `locales/` and the rule that picks a chat's language."""

from pathlib import Path

from aiogram.utils.i18n import I18n

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
LANGUAGES = ("ru", "en")
# Telegram clients set in these languages most often belong to people who read Russian.
_READS_RUSSIAN = frozenset({"ru", "uk", "be", "kk", "ky", "uz", "tg", "hy", "az"})


class CatalogsMissingError(RuntimeError):
    """The .mo files were not compiled (`make locales-compile`)."""


def create_i18n(default_language: str = "ru", path: Path = LOCALES_DIR) -> I18n:
    """The catalogs, refusing to start with a language missing (the bot would speak msgids)."""
    missing = [lang for lang in LANGUAGES if not (path / lang / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file()]
    if missing:
        raise CatalogsMissingError(f"compiled catalogs missing for {', '.join(missing)}: run `make locales-compile`")
    return I18n(path=path, default_locale=default_language, domain=DOMAIN)


def choose_language(stored: str | None, telegram_code: str | None, default: str) -> str:
    """The stored choice first, else Telegram's interface language, else the default."""
    if stored in LANGUAGES:
        return stored
    if telegram_code:
        base = telegram_code.split("-")[0].lower()
        if base in LANGUAGES:
            return base
        return "ru" if base in _READS_RUSSIAN else "en"
    return default
