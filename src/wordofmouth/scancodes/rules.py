"""EAN-13 arithmetic for in-store codes (prefix 2: numbers a store may assign itself)."""

import secrets

from wordofmouth.i18n import gettext


def ean13_check_digit(first12: str) -> str:
    if len(first12) != 12 or not first12.isdigit():
        raise ValueError(gettext("EAN-13 needs 12 digits before the check digit"))
    total = sum(map(int, first12[0::2])) + 3 * sum(map(int, first12[1::2]))
    return str((10 - total % 10) % 10)


def is_valid_ean13(code: str) -> bool:
    return len(code) == 13 and code.isdigit() and ean13_check_digit(code[:12]) == code[12]


def random_instore_ean13(prefix: str) -> str:
    """A random EAN-13 starting with `prefix` (which must start with 2), with its check digit."""
    if not prefix.startswith("2") or not prefix.isdigit() or len(prefix) > 6:
        raise ValueError(gettext("in-store prefixes start with 2"))
    digits = 12 - len(prefix)
    body = f"{prefix}{secrets.randbelow(10**digits):0{digits}d}"
    return body + ean13_check_digit(body)
