"""Partner keys for referral links, the links themselves, and their QR codes."""

from __future__ import annotations

import io
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import segno
from sqlalchemy import select
from sqlalchemy.orm import Session

from wordofmouth.audit import service as audit
from wordofmouth.i18n import gettext
from wordofmouth.partners.service import get_partner
from wordofmouth.storefront import rules
from wordofmouth.storefront import settings as storefront_settings
from wordofmouth.storefront.errors import DuplicateKey, KeyNotFound, MalformedKey
from wordofmouth.storefront.models import PartnerKey
from wordofmouth.storefront.settings import StorefrontSettings


def add_key(session: Session, partner_id: int, key: str, *, actor: str) -> PartnerKey:
    """A key exactly as given (case-sensitive: carter81 and Carter81 are two keys)."""
    if not rules.is_valid_key(key):
        raise MalformedKey(gettext("'{0}' is not a key: use 1–64 letters A–Z a–z, digits, "
                                   "'_', '.' or '-'.").format(key[:80]))
    get_partner(session, partner_id)
    if session.scalar(select(PartnerKey.id).where(PartnerKey.key == key)) is not None:
        raise DuplicateKey(gettext("The key {0} belongs to a partner already.").format(key))
    found = PartnerKey(partner_id=partner_id, key=key, active=True)
    session.add(found)
    session.flush()
    audit.record(session, actor=actor, action="partner.key", target_type="partner",
                 target_id=partner_id, key=key)
    return found


def keys_of(session: Session, partner_id: int) -> list[PartnerKey]:
    return list(session.scalars(select(PartnerKey).where(PartnerKey.partner_id == partner_id)
                                .order_by(PartnerKey.id)))


def key_of(session: Session, partner_id: int, key_id: int) -> PartnerKey | None:
    found = session.get(PartnerKey, key_id)
    return found if found is not None and found.partner_id == partner_id else None


def set_active(session: Session, partner_id: int, key_id: int, active: bool, *,
               actor: str) -> PartnerKey:
    """Switch a key off (its links still lead to the storefront, but credit nobody) or on
    again; every process's click path sees it at once (cache_signal)."""
    found = key_of(session, partner_id, key_id)
    if found is None:
        raise KeyNotFound()
    if found.active != active:
        found.active = active
        session.flush()
        audit.record(session, actor=actor, action="partner.key_active", target_type="partner",
                     target_id=partner_id, key=found.key, active=active)
    return found


def storefront_link(s: StorefrontSettings, key: str) -> str:
    """The storefront's home with ?ref=KEY (any storefront URL with ?ref=KEY works)."""
    parts = urlsplit(s.home_url)
    query = "&".join(q for q in (parts.query, urlencode({"ref": key})) if q)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", query, ""))


def short_link(s: StorefrontSettings, key: str) -> str:
    return f"{s.tracking_url.rstrip('/')}/r/{quote(key, safe='')}"


def qr(url: str, kind: str) -> bytes:
    """The link as a QR code, PNG or SVG."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind=kind, scale=8 if kind == "png" else 4,
                                    border=2)
    return out.getvalue()


def links_of(session: Session, partner_id: int) -> list[tuple[PartnerKey, str, str]]:
    """Each key with its storefront link and its short tracking link."""

    s = storefront_settings.get(session)
    return [(k, storefront_link(s, k.key), short_link(s, k.key))
            for k in keys_of(session, partner_id)]
