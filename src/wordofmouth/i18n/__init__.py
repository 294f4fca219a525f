"""The reader's language: gettext catalogs (Babel) for every text a person reads, and
numbers, money and dates in the reader's locale.

The language of a request is set once (the web layer's Language middleware) in a context
variable that every thread of that request sees; e-mails, SMS and labels for customers are
written inside `use(store language)`. English is the source language: its catalog is the
messages themselves."""

from __future__ import annotations

import gettext as stdlib_gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale, dates, numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LANGUAGES = ("uk", "en")
DEFAULT = "uk"
NAMES = {"uk": "Українська", "en": "English"}
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"
_language: ContextVar[str] = ContextVar("wordofmouth.language", default=DEFAULT)
DATE_FORMATS = {"uk": "dd.MM.yyyy", "en": "d MMM yyyy"}


def catalog_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=len(LANGUAGES))
def translations(language: str) -> stdlib_gettext.NullTranslations:
    """The language's catalog, compiled in memory from the .po kept in the repository (no
    build step; fuzzy entries are left out, so they read as the English source)."""
    path = catalog_path(language)
    if language == "en" or not path.exists():
        return stdlib_gettext.NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def load_all() -> None:
    """Compile every catalog now (a server does it at start)."""
    for language in LANGUAGES:
        translations(language)


def current() -> str:
    return _language.get()


def supported(language: str | None) -> str | None:
    """`language` if it is one of ours ('uk-UA' → 'uk'), else None."""
    short = (language or "").strip().lower().replace("_", "-").split("-")[0]
    return short if short in LANGUAGES else None


@contextmanager
def use(language: str | None) -> Iterator[str]:
    """Run the block in `language` (an unknown one: the default)."""
    chosen = supported(language) or DEFAULT
    token = _language.set(chosen)
    try:
        yield chosen
    finally:
        _language.reset(token)


def choose(accept_language: str, fallback: str = DEFAULT) -> str:
    """The first supported language of an Accept-Language header, by quality."""
    offers: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if (lang := supported(tag)) and quality > 0:
            offers.append((-quality, index, lang))
    return min(offers)[2] if offers else fallback


def gettext(message: str) -> str:
    return translations(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The plural form the language needs: '1 клієнт, 2 клієнти, 5 клієнтів'."""
    return translations(current()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a message for the catalog where it is defined; translated where it is read."""
    return message


_ = gettext


def _locale() -> Locale:
    return Locale.parse(current())


def money(amount: Decimal | None) -> str:
    """12345.5 → '12 345,50' (uk), '12,345.50' (en)."""
    if amount is None:
        return ""
    return numbers.format_decimal(amount, format="#,##0.00", locale=_locale(),
                                  decimal_quantization=True)


def money_with_currency(amount: Decimal, currency: str) -> str:
    """'9 843,55 ₴' (uk), 'UAH 9,843.55' (en)."""
    return numbers.format_currency(amount, currency, locale=_locale())


def currency(code: str) -> str:
    """The currency as the reader writes it: '₴' in Ukrainian, 'UAH' in English."""
    return numbers.get_currency_symbol(code, locale=_locale())


def number(value: int | Decimal) -> str:
    return numbers.format_decimal(value, locale=_locale())


def day(value: date | None) -> str:
    """'02.12.2026' (uk), '2 Dec 2026' (en)."""
    if value is None:
        return ""
    return dates.format_date(value, DATE_FORMATS.get(current(), "medium"), locale=_locale())


def moment(value: datetime | None, tz: ZoneInfo) -> str:
    """An instant on the store's clock: '02.12.2026 18:05'."""
    if value is None:
        return ""
    local = value.astimezone(tz)
    return f"{day(local.date())} {local:%H:%M}"
