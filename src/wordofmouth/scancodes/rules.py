"""EAN-13 arithmetic for in-store codes (prefix 2: numbers a store may assign itself)."""

import secrets
from functools import cache

from wordofmouth.i18n import gettext

CHUNK = 5  # digits per table of partial sums (10^5 entries)


def _weighted(digits: str, start: int = 0) -> int:
    """EAN-13's weighted sum of `digits` standing from position `start` of the code:
    weight 1 on even positions, 3 on odd ones."""
    first, second = (1, 3) if start % 2 == 0 else (3, 1)
    return first * sum(map(int, digits[0::2])) + second * sum(map(int, digits[1::2]))


def _check(total: int) -> str:
    return str((10 - total % 10) % 10)


def ean13_check_digit(first12: str) -> str:
    if len(first12) != 12 or not first12.isdigit():
        raise ValueError(gettext("EAN-13 needs 12 digits before the check digit"))
    return _check(_weighted(first12))


def is_valid_ean13(code: str) -> bool:
    return len(code) == 13 and code.isdigit() and ean13_check_digit(code[:12]) == code[12]


def _random_digits(prefix: str) -> int:
    """How many random digits follow an in-store `prefix` (checked) before the check digit."""
    if not prefix.startswith("2") or not prefix.isdigit() or len(prefix) > 6:
        raise ValueError(gettext("in-store prefixes start with 2"))
    return 12 - len(prefix)


def random_instore_ean13(prefix: str) -> str:
    """A random EAN-13 starting with `prefix` (which must start with 2), with its check digit."""
    digits = _random_digits(prefix)
    body = f"{prefix}{secrets.randbelow(10**digits):0{digits}d}"
    return body + ean13_check_digit(body)


@cache
def _partial_sums(width: int, start: int) -> tuple[int, ...]:
    """The weighted sum, mod 10, of every `width`-digit number standing from `start`."""
    return tuple(_weighted(f"{k:0{width}d}", start) % 10 for k in range(10**width))


def _secure_below(bound: int, count: int) -> list[int]:
    """`count` uniform integers in [0, bound) from the secure generator, read in few calls:
    each draw keeps bound's bit length and is redrawn when too big (kept with odds ≥ 1/2)."""
    bits = bound.bit_length()
    size, mask = (bits + 7) // 8, (1 << bits) - 1
    values: list[int] = []
    while len(values) < count:
        raw = secrets.token_bytes(size * 2 * (count - len(values)))
        draws = (int.from_bytes(raw[i:i + size], "big") & mask for i in range(0, len(raw), size))
        values.extend(v for v in draws if v < bound)
    del values[count:]
    return values


def random_instore_ean13s(prefix: str, count: int) -> list[str]:
    """`count` random EAN-13 with `prefix`, as `random_instore_ean13` makes them one by one
    (so a repeat is possible), for mass issuing: the check digit adds up table look-ups of
    the random part's two halves instead of summing digit by digit."""
    digits = _random_digits(prefix)
    low = min(CHUNK, digits - 1)
    high_sums = _partial_sums(digits - low, len(prefix))
    low_sums = _partial_sums(low, 12 - low)
    base, split = _weighted(prefix), 10**low
    return [f"{prefix}{v:0{digits}d}{_check(base + high_sums[v // split] + low_sums[v % split])}"
            for v in _secure_below(10**digits, count)]
