"""Mailing settings (owner): the SMTP server, the SMS and Viber providers, rate limits, and
the public address used in unsubscribe links. Kept with the store settings, audited (secrets
only as "changed")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from wordofmouth.errors import InvalidInput
from wordofmouth.i18n import gettext
from wordofmouth.mailing import rules
from wordofmouth.settings import service as store_settings

PREFIX = "mail."
SECRETS = frozenset({"smtp_password", "twilio_auth_token", "infobip_api_key"})


@dataclass(frozen=True)
class MailSettings:
    sender_email: str = "shop@example.com"
    sender_name: str = "wordofmouth store"
    email_transport: str = "log"  # log | smtp
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 587
    smtp_security: str = "starttls"  # starttls | ssl | none
    smtp_user: str = ""
    smtp_password: str = ""
    sms_provider: str = "log"  # log | twilio
    twilio_url: str = "https://api.twilio.com"
    twilio_account_sid: str = ""
    twilio_auth_token: str = ""
    sms_sender: str = ""
    viber_provider: str = "log"  # log | infobip
    infobip_url: str = "https://api.infobip.com"
    infobip_api_key: str = ""
    viber_sender: str = ""
    email_per_second: int = 20
    sms_per_second: int = 5
    viber_per_second: int = 5
    phone_region: str = "UA"
    public_url: str = "http://127.0.0.1:8000"


def get(session: Session) -> MailSettings:
    return store_settings.load(session, MailSettings, PREFIX)


def _check(s: MailSettings) -> None:
    choices = {"email_transport": ("log", "smtp"), "smtp_security": ("starttls", "ssl", "none"),
               "sms_provider": ("log", "twilio"), "viber_provider": ("log", "infobip")}
    for name, allowed in choices.items():
        if getattr(s, name) not in allowed:
            raise InvalidInput(gettext("{0} is one of {1}.")
                               .format(name.replace('_', ' '), ', '.join(allowed)))
    if not 1 <= s.smtp_port <= 65535:
        raise InvalidInput(gettext("The SMTP port is 1–65535."))
    for name in ("email_per_second", "sms_per_second", "viber_per_second"):
        if not 1 <= getattr(s, name) <= 10_000:
            raise InvalidInput(gettext("A rate limit is 1–10 000 messages per second."))
    if rules.email_address(s.sender_email) is None:
        raise InvalidInput(gettext("The sender's e-mail address is not valid."))
    if rules.phone_e164("+380501112233", s.phone_region) is None and len(s.phone_region) != 2:
        raise InvalidInput(gettext("The phone region is a two-letter country code (UA, PL, "
                                   "…)."))
    for name in ("public_url", "twilio_url", "infobip_url"):
        if not getattr(s, name).startswith(("http://", "https://")):
            raise InvalidInput(gettext("{0} starts with http:// or https://.")
                               .format(name.replace('_', ' ')))


def update(session: Session, *, actor: str, **changes: Any) -> MailSettings:
    if "public_url" in changes:
        changes["public_url"] = str(changes["public_url"]).rstrip("/")
    return store_settings.save(session, MailSettings, PREFIX, actor=actor, check=_check,
                               secrets=SECRETS, **changes)
