"""Exact money: Decimal with two fractional digits, rounded half-up where computed."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from wordofmouth.i18n import gettext

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
# Bounds on what the store accepts (the API answers 422 beyond them). One amount — a
# price, a payment, a payout, an order line — is at most ten million; a whole sale at most a
# hundred million. So no sum the store keeps (in minor units, 64-bit) can overflow, on
# SQLite or PostgreSQL, in any history a shop can have.
MAX_AMOUNT = Decimal(10_000_000)
MAX_SALE = Decimal(100_000_000)


def round_money(value: Decimal) -> Decimal:
    """Round half-up to 0.01: the one place a computed amount is rounded."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def percent_of(amount: Decimal, percent: Decimal) -> Decimal:
    """`percent` % of `amount`, rounded half-up to 0.01."""
    return round_money(amount * percent / HUNDRED)


def proportional(total: Decimal, part: Decimal, whole: Decimal) -> Decimal:
    """`total` * part / whole rounded half-up; zero when whole is zero."""
    if whole == 0:
        return ZERO
    return round_money(total * part / whole)


def to_minor(value: Decimal) -> int:
    """Decimal amount -> integer minor units; refuses sub-cent precision."""
    scaled = value * 100
    if scaled != scaled.to_integral_value():
        raise ValueError(gettext("amount {0} has more than two decimals").format(value))
    return int(scaled)


def from_minor(value: int) -> Decimal:
    return (Decimal(value) / 100).quantize(CENT)


def parse_money(text: str) -> Decimal:
    """Parse a typed amount such as '12', '12.5' or '12,50'; refuses sub-cent precision."""
    try:
        typed = text.strip().replace(",", ".")
        value = Decimal("".join(typed.split()).replace("\u202f", ""))  # '1 234,50' too
    except InvalidOperation as exc:
        raise ValueError(gettext("'{0}' is not an amount").format(text)) from exc
    if not value.is_finite() or value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError(gettext("'{0}' is not an amount with at most two decimals").format(text))
    if abs(value) > MAX_AMOUNT:
        raise ValueError(gettext("'{0}' is more than {1}").format(text, fmt(MAX_AMOUNT)))
    return value.quantize(CENT)


def fmt(value: Decimal | None) -> str:
    """12345.5 -> '12 345.50' for pages and receipts."""
    if value is None:
        return ""
    return f"{value:,.2f}".replace(",", "\u202f")


def cumulative_part(total: Decimal, done_before: Decimal, done_now: Decimal,
                    whole: Decimal) -> Decimal:
    """The share of `total` that belongs to `done_now` out of `whole`, computed on cumulative
    figures so that a series of partial steps adds up to the whole amount exactly."""
    return proportional(total, done_before + done_now, whole) - proportional(
        total, done_before, whole
    )
