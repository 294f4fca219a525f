"""Typed store settings over the key/value table; every change is audited."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from wordofmouth.audit import service as audit
from wordofmouth.errors import InvalidInput
from wordofmouth.settings.models import StoreSetting

_CACHE = "wordofmouth.store_settings"
CURRENCIES = ("UAH", "EUR", "USD", "PLN", "GBP", "CZK", "MDL")


@dataclass(frozen=True)
class StoreSettings:
    store_name: str = "wordofmouth demo store"
    currency: str = "UAH"
    bonus_share_percent: Decimal = Decimal("50")
    default_bonus_percent: Decimal = Decimal("0")
    hold_days: int = 14


def _parse(name: str, raw: str) -> Any:
    default = getattr(StoreSettings(), name)
    if isinstance(default, Decimal):
        return Decimal(raw)
    if isinstance(default, int):
        return int(raw)
    return raw


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, _transaction: object) -> None:
    session.info.pop(_CACHE, None)


def get(session: Session) -> StoreSettings:
    """The settings, read once per transaction (a request, a command, a job)."""
    cached = session.info.get(_CACHE)
    if isinstance(cached, StoreSettings):
        return cached
    rows = session.execute(select(StoreSetting.key, StoreSetting.value)).all()
    known = {f.name for f in fields(StoreSettings)}
    values = {k: _parse(k, v) for k, v in rows if k in known}
    settings = StoreSettings(**values)
    session.info[_CACHE] = settings
    return settings


def validate(settings: StoreSettings) -> None:
    if settings.currency not in CURRENCIES:
        raise InvalidInput(f"Currency must be one of {', '.join(CURRENCIES)}.")
    for name in ("bonus_share_percent", "default_bonus_percent"):
        value = getattr(settings, name)
        if not Decimal(0) <= value <= Decimal(100) or value != value.quantize(Decimal("0.01")):
            raise InvalidInput(f"{name.replace('_', ' ').capitalize()} must be 0–100 "
                               "with at most two decimals.")
    if not 0 <= settings.hold_days <= 365:
        raise InvalidInput("Hold period must be 0–365 days.")
    if not settings.store_name.strip():
        raise InvalidInput("Store name cannot be empty.")


def update(session: Session, *, actor: str, **changes: Any) -> StoreSettings:
    """Validate and save changed settings; records old and new values in the audit log."""
    current = get(session)
    new = replace(current, **changes)
    validate(new)
    old_values, new_values = asdict(current), asdict(new)
    changed = {k: (str(old_values[k]), str(v)) for k, v in new_values.items()
               if v != old_values[k]}
    for key in changed:
        row = session.get(StoreSetting, key)
        if row is None:
            session.add(StoreSetting(key=key, value=str(new_values[key])))
        else:
            row.value = str(new_values[key])
    if changed:
        audit.record(session, actor=actor, action="settings.change", target_type="settings",
                     target_id="store", changes={k: list(v) for k, v in changed.items()})
    session.flush()
    session.info[_CACHE] = new
    return new
