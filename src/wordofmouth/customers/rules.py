"""How people are found and ordered: folded search text, Ukrainian alphabetical order and
phone numbers in E.164. Pure functions; the service keeps the stored columns with them."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import phonenumbers
import pyuca

SORT_KEY_LENGTH = 255
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "ʹ": "'", "′": "'"})
_PHONE_LIKE = re.compile(r"^\+?[0-9 ()\-.]{3,24}$")
_LIKE_SPECIALS = str.maketrans({"\\": "\\\\", "%": "\\%", "_": "\\_"})


def fold(text: str) -> str:
    """Text for matching in any script: NFKC, case-folded, one kind of apostrophe, single
    spaces ('Мар’яна' and 'МАР'ЯНА' fold alike; SQLite's lower() folds only ASCII)."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_APOSTROPHES)
    return " ".join(folded.split())


@lru_cache(maxsize=1)
def _collator() -> pyuca.Collator:
    """The Unicode collation algorithm with the Ukrainian alphabet's tailoring: Ґ after Г and
    Ї after І are letters of their own (DUCET sorts them as accented Г and І)."""
    collator = pyuca.Collator()
    ghe = collator.sort_key("г")[0]
    i = collator.sort_key("і")[0]
    for chars, primary, tertiary in (([0x491], ghe + 1, 2), ([0x490], ghe + 1, 8),
                                     ([0x456, 0x308], i + 2, 2), ([0x406, 0x308], i + 2, 8)):
        collator.table.add(chars, [[primary, 0x20, tertiary]])
    return collator


def warm() -> None:
    """Build the collation table now (a server does it at start)."""
    _collator()


def sort_key(*parts: str) -> str:
    """A string whose byte order is the Ukrainian alphabetical order of `parts` (last name,
    then first name): the same ORDER BY on SQLite and PostgreSQL."""
    weights = _collator().sort_key(" ".join(p.strip() for p in parts if p.strip()))
    return "".join(f"{w:04x}" for w in weights)[:SORT_KEY_LENGTH]


def phone_e164(raw: str, country: str) -> str:
    """The phone in E.164 ('067 975 76 31' in UA → '+380679757631'); ValueError when it is
    not a possible number."""
    try:
        number = phonenumbers.parse(raw, country.upper())
    except phonenumbers.NumberParseException as exc:
        raise ValueError(raw) from exc
    if not phonenumbers.is_possible_number(number):
        raise ValueError(raw)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_digits(e164: str) -> list[str]:
    """The digit strings a cashier may type for a stored phone: international and national
    ('380679757631', '0679757631')."""
    try:
        number = phonenumbers.parse(e164)
    except phonenumbers.NumberParseException:
        return [re.sub(r"\D", "", e164)]
    national = re.sub(r"\D", "", phonenumbers.format_number(
        number, phonenumbers.PhoneNumberFormat.NATIONAL))
    return list(dict.fromkeys([e164.lstrip("+"), national]))


def search_text(first_name: str, last_name: str, email: str | None,
                phone: str | None) -> str:
    """What a search matches: the folded names, the e-mail and the phone's digit forms."""
    parts = [fold(first_name), fold(last_name), (email or "").lower()]
    if phone:
        parts += phone_digits(phone)
    return " ".join(p for p in parts if p)


def query_patterns(query: str) -> list[str]:
    """LIKE patterns (escaped with backslash) that all must match: a phone-like query is its
    digits (a leading 0 or +380 typed or not); otherwise each folded word."""
    q = query.strip()
    if not q:
        return []
    digits = re.sub(r"\D", "", q)
    if _PHONE_LIKE.match(q) and len(digits) >= 3:
        return [f"%{digits}%"]
    return [f"%{word.translate(_LIKE_SPECIALS)}%" for word in fold(q).split()]


def masked_name(first: str, last: str) -> str:
    """First name and last initial: what a partner may see of a customer, and how a friend
    code's owner is named at the till (PRODUCT.md)."""
    return f"{first} {last[:1]}.".strip() if last else first


def reads_like_a_person(typed: str) -> bool:
    """What a cashier typed into the scan field that is worth looking customers up by: a
    name (no digits) or a phone (9–12 digits) — not a barcode (13) or a mistyped code."""
    digits = sum(ch.isdigit() for ch in typed)
    return (len(typed.strip()) >= 3 and digits == 0) or 9 <= digits <= 12


def prefill(typed: str) -> dict[str, str]:
    """The new-customer form filled from what was typed: a phone, or names."""
    q = typed.strip()
    if any(ch.isdigit() for ch in q):
        return {"phone": q}
    first, _, last = q.partition(" ")
    return {"first_name": first, "last_name": last.strip()}
