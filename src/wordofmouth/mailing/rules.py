"""Mailing rules: template placeholders, addresses (E.164 phones, valid e-mails), who may
receive a channel, retry backoff."""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from wordofmouth.i18n import gettext

PLACEHOLDERS = {
    "first_name": "the customer's first name",
    "last_name": "the customer's last name",
    "full_name": "first and last name",
    "card": "the main card's number",
    "discount": "the card's discount %",
    "bonus_balance": "the bonus balance",
    "club_status": "member, candidate, or regular",
    "codes": "the customer's unused Refer a Friend codes",
    "partner": "the partner who brought the customer",
    "employee": "the partner's employee who brought the customer",
    "club_deadline": "the last day of the customer's club period (to join or to stay)",
    "club_amount_left": "what the customer still has to buy in that period",
    "store_name": "the store's name",
}
MAX_ATTEMPTS = 6
BACKOFF_BASE_SECONDS = 30
BACKOFF_CAP_SECONDS = 3600


class TemplateError(ValueError):
    pass


MAX_TEMPLATE = 5_000  # characters a subject or message template may have
MAX_MESSAGE = 10_000  # characters of a filled-in message; longer ones are cut


def _pieces(template: str) -> list[tuple[str, str | None]]:
    """(literal text, placeholder or None) in order. A placeholder is its name alone:
    no format spec (`{first_name:>99}`), no conversion (`{x!r}`), no attribute or index."""
    if len(template) > MAX_TEMPLATE:
        raise TemplateError(gettext("A template has at most {0} characters.").format(MAX_TEMPLATE))
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise TemplateError(gettext("The template's braces do not match: {0}.")
                            .format(exc)) from exc
    pieces: list[tuple[str, str | None]] = []
    for text, field, spec, conv in parsed:
        if field is not None and (spec or conv):
            raise TemplateError(gettext("Write a placeholder as {{{0}}} alone, without a "
                                        "format after ':' or '!'.").format(field.split(':')[0]))
        if field is not None and field not in PLACEHOLDERS:
            raise TemplateError(f"Unknown placeholder {{{field}}}; use "
                                + ", ".join(f"{{{p}}}" for p in PLACEHOLDERS) + ".")
        pieces.append((text, field))
    return pieces


def placeholders_in(template: str) -> list[str]:
    """The placeholders a template uses; unknown ones, format specs, or broken braces are
    an error."""
    return [field for _text, field in _pieces(template) if field is not None]


def render(template: str, values: Mapping[str, object]) -> str:
    """The template with each placeholder replaced by its value as text (no formatting
    language is run), at most MAX_MESSAGE characters."""
    out = "".join(text + ("" if field is None else str(values.get(field, "")))
                  for text, field in _pieces(template))
    return out if len(out) <= MAX_MESSAGE else out[:MAX_MESSAGE - 1] + "…"


def phone_e164(raw: str | None, region: str = "UA") -> str | None:
    """The number in E.164 (+380501112233), or None if it is not a valid phone number."""
    if not raw or not raw.strip():
        return None
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def email_address(raw: str | None) -> str | None:
    """The normalised address, or None if it is not a valid e-mail address (syntax only: no
    network look-ups)."""
    if not raw or not raw.strip():
        return None
    try:
        return validate_email(raw.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        return None


@dataclass(frozen=True)
class Recipient:
    """Where a customer's message goes by a channel, or why it cannot."""

    channel: str
    address: str = ""
    fallback_address: str = ""
    skipped: str = ""


def recipient(channel: str, *, email: str | None, phone: str | None, consent_email: bool,
              consent_sms: bool, consent_viber: bool, region: str = "UA") -> Recipient:
    if channel == "email":
        if not consent_email:
            return Recipient(channel, skipped="no consent for e-mail")
        address = email_address(email)
        return Recipient(channel, address) if address else Recipient(
            channel, skipped="no valid e-mail address")
    number = phone_e164(phone, region)
    if channel == "sms":
        if not consent_sms:
            return Recipient(channel, skipped="no consent for SMS")
        return Recipient(channel, number) if number else Recipient(
            channel, skipped="no valid phone number")
    if channel == "viber":
        if not consent_viber:
            return Recipient(channel, skipped="no consent for Viber")
        return Recipient(channel, number) if number else Recipient(
            channel, skipped="no valid phone number")
    if channel == "viber_sms":
        if not (consent_viber or consent_sms):
            return Recipient(channel, skipped="no consent for Viber or SMS")
        if number is None:
            return Recipient(channel, skipped="no valid phone number")
        if not consent_viber:
            return Recipient("sms", number)
        return Recipient("viber", number, fallback_address=number if consent_sms else "")
    raise TemplateError(gettext("Unknown channel {0}.").format(channel))


def backoff(attempts: int, retry_after: float | None = None) -> timedelta:
    """How long to wait before attempt `attempts + 1`: the provider's Retry-After if given,
    else 30 s doubling each time, at most an hour."""
    if retry_after is not None and retry_after > 0:
        return timedelta(seconds=min(retry_after, BACKOFF_CAP_SECONDS))
    return timedelta(seconds=min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0),
                                 BACKOFF_CAP_SECONDS))
