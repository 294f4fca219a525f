"""Storefront settings (owner): the storefront's address, the hosts clicks may be sent to,
how long a click counts, last or first click."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from wordofmouth.errors import InvalidInput
from wordofmouth.i18n import gettext
from wordofmouth.settings import service as store_settings
from wordofmouth.storefront import rules

PREFIX = "storefront."


@dataclass(frozen=True)
class StorefrontSettings:
    home_url: str = "https://shop.example/"
    allowed_hosts: str = "shop.example, www.shop.example"
    cookie_days: int = 30
    attribution: str = "last"  # last | first click
    tracking_url: str = "http://127.0.0.1:8000"  # where /r/KEY is served

    @property
    def hosts(self) -> set[str]:
        return rules.hosts(self.allowed_hosts)


def get(session: Session) -> StorefrontSettings:
    return store_settings.load(session, StorefrontSettings, PREFIX)


def _check(s: StorefrontSettings) -> None:
    for name in ("home_url", "tracking_url"):
        if not getattr(s, name).startswith(("http://", "https://")):
            raise InvalidInput(gettext("{0} starts with http:// or https://.")
                               .format(name.replace('_', ' ')))
    if not s.hosts:
        raise InvalidInput(gettext("Name at least one storefront host."))
    if rules.safe_target(s.home_url, s.hosts, "") != s.home_url:
        raise InvalidInput(gettext("The storefront home must be on one of the allowed hosts."))
    if not 1 <= s.cookie_days <= 365:
        raise InvalidInput(gettext("A click counts for 1–365 days."))
    if s.attribution not in ("last", "first"):
        raise InvalidInput(gettext("Attribution is by the last or the first click."))


def update(session: Session, *, actor: str, **changes: Any) -> StorefrontSettings:
    return store_settings.save(session, StorefrontSettings, PREFIX, actor=actor, check=_check,
                               **changes)
