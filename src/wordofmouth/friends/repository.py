"""Refer a Friend's queries and conditional updates: campaigns, codes, who holds or used
a code, referrals. The rules that use them are in service.py and rules.py."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session

from wordofmouth.friends.models import CodeStatus, FriendCampaign, FriendCode, FriendReferral


def campaigns(session: Session, *, active_only: bool = False) -> list[FriendCampaign]:
    stmt = select(FriendCampaign).order_by(FriendCampaign.id.desc())
    if active_only:
        stmt = stmt.where(FriendCampaign.active.is_(True))
    return list(session.scalars(stmt))


def codes_of(session: Session, *, referrer_id: int | None = None, batch: str | None = None,
             limit: int = 500) -> list[FriendCode]:
    stmt = select(FriendCode).order_by(FriendCode.id.desc()).limit(limit)
    if referrer_id is not None:
        stmt = stmt.where(FriendCode.referrer_id == referrer_id)
    if batch is not None:
        stmt = stmt.where(FriendCode.batch == batch)
    return list(session.scalars(stmt))


def by_code(session: Session, code: str) -> FriendCode | None:
    return session.scalars(select(FriendCode).where(FriendCode.code == code)).one_or_none()


def held_by(session: Session, presented: list[str], sale_id: int) -> FriendCode | None:
    """The code of those presented that this open sale holds."""
    if not presented:
        return None
    return session.scalars(select(FriendCode).where(
        FriendCode.code.in_(presented), FriendCode.held_sale_id == sale_id,
        FriendCode.status == CodeStatus.HELD)).first()


def used_by(session: Session, presented: list[str], sale_id: int) -> FriendCode | None:
    """The code of those presented that this sale used."""
    if not presented:
        return None
    return session.scalars(select(FriendCode).where(
        FriendCode.code.in_(presented), FriendCode.used_sale_id == sale_id)).first()


def release(session: Session, sale_id: int) -> None:
    """Codes held by this sale are free again."""
    session.execute(update(FriendCode)
                    .where(FriendCode.held_sale_id == sale_id,
                           FriendCode.status == CodeStatus.HELD)
                    .values(status=CodeStatus.ISSUED, held_sale_id=None)
                    .execution_options(synchronize_session="fetch"))


def mark_used(session: Session, code_id: int, *, sale_id: int, friend_id: int | None,
              at: datetime | None, purchase: Decimal) -> bool:
    """Held by this sale → used by it, in one conditional update: True for exactly one of
    two sales racing for the same code."""
    used = session.execute(
        update(FriendCode)
        .where(FriendCode.id == code_id, FriendCode.status == CodeStatus.HELD,
               FriendCode.held_sale_id == sale_id)
        .values(status=CodeStatus.USED, used_sale_id=sale_id, friend_id=friend_id,
                used_at=at, purchase_amount=purchase, held_sale_id=None)
        .execution_options(synchronize_session=False)).rowcount  # type: ignore[attr-defined]
    return bool(used == 1)


def is_referred(session: Session, customer_id: int | None) -> bool:
    """Whether the customer was already brought by a friend's code."""
    return session.scalar(select(exists().where(FriendReferral.friend_id == customer_id))
                          ) is True
