"""Typed store settings over the key/value table; every change is audited."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, fields, replace
from decimal import Decimal
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import phonenumbers
from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction

from wordofmouth.audit import service as audit
from wordofmouth.calendar import DEFAULT_ZONE, is_zone
from wordofmouth.calendar import today as calendar_today
from wordofmouth.calendar import zone as tz_named
from wordofmouth.errors import InvalidInput
from wordofmouth.i18n import LANGUAGES, gettext
from wordofmouth.settings.models import StoreSetting

_CACHE = "wordofmouth.settings"
T = TypeVar("T")
CURRENCIES = ("UAH", "EUR", "USD", "PLN", "GBP", "CZK", "MDL")


@dataclass(frozen=True)
class StoreSettings:
    store_name: str = "wordofmouth demo store"
    store_address: str = ""  # printed on receipts under the store's name
    currency: str = "UAH"
    bonus_share_percent: Decimal = Decimal("50")
    default_bonus_percent: Decimal = Decimal("0")
    hold_days: int = 14
    time_zone: str = DEFAULT_ZONE  # every day a person or a rule speaks of is a day here
    country: str = "UA"  # phones typed without a country code are this country's
    language: str = "uk"  # the language customers receive (e-mails, SMS, labels)
    # auto: ';' for a Ukrainian reader (Excel set to Ukrainian splits on it), ',' in English
    csv_separator: str = "auto"


def _parse(default: Any, raw: str) -> Any:
    if isinstance(default, bool):
        return raw == "True"
    if isinstance(default, Decimal):
        return Decimal(raw)
    if isinstance(default, int):
        return int(raw)
    return raw


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: SessionTransaction) -> None:
    """The transaction's settings are forgotten when it ends, or a savepoint does (it may
    have changed them); not after each flush (a flush is a sub-transaction of its own)."""
    if transaction.parent is not None and not transaction.nested:
        return
    forget(session)


def forget(session: Session) -> None:
    """Read the settings again at their next use (a transaction that must see what another
    one changed since)."""
    for key in [k for k in session.info if str(k).startswith(_CACHE)]:
        session.info.pop(key, None)


def _rows(session: Session) -> dict[str, str]:
    """Every setting row, read with one query per transaction and shared by all groups."""
    key = f"{_CACHE}:rows"
    rows = session.info.get(key)
    if not isinstance(rows, dict):
        rows = dict(session.execute(select(StoreSetting.key, StoreSetting.value)).all())
        session.info[key] = rows
    return rows


def load(session: Session, cls: type[T], prefix: str = "") -> T:
    """A typed group of settings (a frozen dataclass), read once per transaction."""
    cache_key = f"{_CACHE}:{cls.__name__}"
    cached = session.info.get(cache_key)
    if isinstance(cached, cls):
        return cached
    defaults = cls()
    names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    values = {k[len(prefix):]: _parse(getattr(defaults, k[len(prefix):]), v)
              for k, v in _rows(session).items()
              if k.startswith(prefix) and k[len(prefix):] in names}
    loaded = cls(**values)
    session.info[cache_key] = loaded
    return loaded


def save(session: Session, cls: type[T], prefix: str, *, actor: str,
         check: Callable[[T], None], secrets: frozenset[str] = frozenset(),
         **changes: Any) -> T:
    """Validate and save changed settings; the audit log keeps old and new values (of a
    secret, only that it changed)."""
    current = load(session, cls, prefix)
    unknown = set(changes) - {f.name for f in fields(cls)}  # type: ignore[arg-type]
    if unknown:
        raise InvalidInput(gettext("Unknown settings: {0}.").format(', '.join(sorted(unknown))))
    new = replace(current, **changes)  # type: ignore[type-var]
    check(new)
    old_values, new_values = asdict(current), asdict(new)  # type: ignore[call-overload]
    changed = {k: (str(old_values[k]), str(v)) for k, v in new_values.items()
               if v != old_values[k]}
    for key in changed:
        row = session.get(StoreSetting, prefix + key)
        if row is None:
            session.add(StoreSetting(key=prefix + key, value=str(new_values[key])))
        else:
            row.value = str(new_values[key])
    if changed:
        audit.record(session, actor=actor, action=f"{prefix.rstrip('_') or 'settings'}.change",
                     target_type="settings", target_id=prefix.rstrip("_") or "store",
                     changes={k: ["***", "***"] if k in secrets else list(v)
                              for k, v in changed.items()})
    session.flush()
    session.info.pop(f"{_CACHE}:rows", None)
    session.info[f"{_CACHE}:{cls.__name__}"] = new
    return new


def get(session: Session) -> StoreSettings:
    return load(session, StoreSettings)


def zone(session: Session) -> ZoneInfo:
    """The store's time zone: the calendar every local day is counted in."""
    return tz_named(get(session).time_zone)


def today(session: Session) -> int:
    """Today, the store's local day."""
    return calendar_today(zone(session))


def validate(settings: StoreSettings) -> None:
    if settings.currency not in CURRENCIES:
        raise InvalidInput(gettext("Currency must be one of {0}.").format(', '.join(CURRENCIES)))
    for name in ("bonus_share_percent", "default_bonus_percent"):
        value = getattr(settings, name)
        if not Decimal(0) <= value <= Decimal(100) or value != value.quantize(Decimal("0.01")):
            raise InvalidInput(gettext("{0} must be 0–100 with at most two decimals.")
                               .format(name.replace('_', ' ').capitalize()))
    if not 0 <= settings.hold_days <= 365:
        raise InvalidInput(gettext("Hold period must be 0–365 days."))
    if not is_zone(settings.time_zone):
        raise InvalidInput(gettext("Time zone must be an IANA name such as Europe/Kyiv."))
    if settings.language not in LANGUAGES:
        raise InvalidInput(gettext("Language must be one of {0}.").format(', '.join(LANGUAGES)))
    if settings.csv_separator not in ("auto", ";", ","):
        raise InvalidInput(gettext("The CSV separator is auto, ';' or ','."))
    if settings.country not in phonenumbers.SUPPORTED_REGIONS:
        raise InvalidInput(gettext("Country must be a two-letter code such as UA."))
    if not settings.store_name.strip():
        raise InvalidInput(gettext("Store name cannot be empty."))
    if len(settings.store_address) > 200:
        raise InvalidInput(gettext("The address on receipts is at most 200 characters."))


def update(session: Session, *, actor: str, **changes: Any) -> StoreSettings:
    """Validate and save changed store settings (a country code in capitals: 'ua' → 'UA')."""
    if isinstance(changes.get("country"), str):
        changes["country"] = changes["country"].strip().upper()
    return save(session, StoreSettings, "", actor=actor, check=validate, **changes)
