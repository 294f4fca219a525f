"""The only writer of bonus and commission movements."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import cast

from sqlalchemy import Table, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from wordofmouth.db import utcnow
from wordofmouth.ledger.errors import InsufficientBonus
from wordofmouth.ledger.models import AccountKind, LedgerAccount, LedgerEntry
from wordofmouth.ledger.rules import reversal_for_return
from wordofmouth.money import ZERO


@dataclass(frozen=True)
class Posting:
    """One movement to post: the account (kind, owner) and the source it comes from."""

    account_kind: AccountKind
    owner_id: int
    amount: Decimal
    kind: str
    source_type: str
    source_id: int
    source_key: str
    sale_id: int | None = None
    memo: str = ""
    reverses_id: int | None = None


def account(session: Session, kind: AccountKind, owner_id: int) -> LedgerAccount:
    """The account of (kind, owner), created on first use; safe when two sessions race."""
    _ensure_account(session, kind, owner_id)
    return session.scalars(
        select(LedgerAccount).where(LedgerAccount.kind == kind, LedgerAccount.owner_id == owner_id)
    ).one()


def _ensure_account(session: Session, kind: AccountKind, owner_id: int) -> None:
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(LedgerAccount)
        .values(kind=kind, owner_id=owner_id, balance=ZERO)
        .on_conflict_do_nothing(index_elements=["kind", "owner_id"])
    )


def balance(session: Session, kind: AccountKind, owner_id: int) -> Decimal:
    value = session.scalar(
        select(LedgerAccount.balance).where(
            LedgerAccount.kind == kind, LedgerAccount.owner_id == owner_id
        )
    )
    return value if value is not None else ZERO


def _move(session: Session, posting: Posting, require_funds: bool) -> int | None:
    """Move the running balance in one statement; the account's id, or None if no row moved."""
    table = cast(Table, LedgerAccount.__table__)
    stmt = (
        update(table)
        .where(table.c.kind == posting.account_kind, table.c.owner_id == posting.owner_id)
        .values(balance=table.c.balance + posting.amount)
        .returning(table.c.id)
    )
    if require_funds:
        stmt = stmt.where(table.c.balance + posting.amount >= 0)
    return session.execute(stmt).scalar_one_or_none()


def post(session: Session, posting: Posting, *, require_funds: bool = False,
         at: datetime | None = None) -> LedgerEntry | None:
    """Append one entry and move the account's running balance in the same transaction.

    With `require_funds` the balance moves only if it stays non-negative: one conditional
    UPDATE, so two tills spending the same bonuses at once cannot both succeed.
    A zero amount posts nothing."""
    if posting.amount == ZERO:
        return None
    account_id = _move(session, posting, require_funds)
    if account_id is None:
        _ensure_account(session, posting.account_kind, posting.owner_id)
        account_id = _move(session, posting, require_funds)
    if account_id is None:
        raise InsufficientBonus()
    entry = LedgerEntry(
        account_id=account_id,
        amount=posting.amount,
        kind=posting.kind,
        source_type=posting.source_type,
        source_id=posting.source_id,
        source_key=posting.source_key,
        sale_id=posting.sale_id,
        memo=posting.memo,
        reverses_id=posting.reverses_id,
        created_at=at or utcnow(),
    )
    session.add(entry)
    return entry


def sale_total(session: Session, *, sale_id: int, kinds: Sequence[str],
               account_kind: AccountKind | None = None) -> Decimal:
    """Sum of a sale's entries of the given kinds (what a step accrued, or reversed so far)."""
    stmt = select(func.sum(LedgerEntry.amount)).where(
        LedgerEntry.sale_id == sale_id, LedgerEntry.kind.in_(kinds)
    )
    if account_kind is not None:
        stmt = stmt.join(LedgerAccount, LedgerAccount.id == LedgerEntry.account_id).where(
            LedgerAccount.kind == account_kind
        )
    return session.scalar(stmt) or ZERO


def entries(session: Session, kind: AccountKind, owner_id: int, *, limit: int = 50,
            offset: int = 0) -> list[LedgerEntry]:
    return list(
        session.scalars(
            select(LedgerEntry)
            .join(LedgerAccount, LedgerAccount.id == LedgerEntry.account_id)
            .where(LedgerAccount.kind == kind, LedgerAccount.owner_id == owner_id)
            .order_by(LedgerEntry.id.desc())
            .limit(limit)
            .offset(offset)
        )
    )


@dataclass(frozen=True)
class Mismatch:
    account_id: int
    kind: str
    owner_id: int
    balance: Decimal
    entries_sum: Decimal


def verify(session: Session) -> list[Mismatch]:
    """Accounts whose running balance differs from the sum of their entries (should be none)."""
    sums = (
        select(LedgerEntry.account_id, func.sum(LedgerEntry.amount).label("total"))
        .group_by(LedgerEntry.account_id)
        .subquery()
    )
    rows = session.execute(
        select(LedgerAccount, func.coalesce(sums.c.total, 0))
        .outerjoin(sums, sums.c.account_id == LedgerAccount.id)
        .where(LedgerAccount.balance != func.coalesce(sums.c.total, 0))
    ).all()
    return [
        Mismatch(acc.id, acc.kind, acc.owner_id, acc.balance, total)
        for acc, total in rows
    ]


def accrue_for_sale(session: Session, *, step: str, account_kind: AccountKind, owner_id: int,
                    sale_id: int, amount: Decimal, at: datetime | None = None,
                    memo: str = "") -> LedgerEntry | None:
    """Post what an accrual step earned on a paid sale (kind = the step's name)."""
    return post(session, Posting(
        account_kind=account_kind, owner_id=owner_id, amount=amount, kind=step,
        source_type="sale", source_id=sale_id, source_key=f"sale:{sale_id}:{step}",
        sale_id=sale_id, memo=memo,
    ), at=at)


def reverse_for_return(session: Session, *, step: str, account_kind: AccountKind, owner_id: int,
                       sale_id: int, return_id: int, sale_net: Decimal,
                       returned_before: Decimal, returned_now: Decimal,
                       at: datetime | None = None,
                       post_to: AccountKind | None = None) -> LedgerEntry | None:
    """Take back, in proportion to the returned net amount, what `step` accrued on the sale
    (to `post_to` when the accrual has moved on, e.g. commission that matured to payable).
    Never fails for a spent bonus: the balance may go negative and later accruals repay it."""
    accrued = sale_total(session, sale_id=sale_id, kinds=[step], account_kind=account_kind)
    amount = reversal_for_return(accrued, sale_net, returned_before, returned_now)
    return take_back_for_return(session, step=step, account_kind=post_to or account_kind,
                                owner_id=owner_id, sale_id=sale_id, return_id=return_id,
                                amount=amount, at=at)


def take_back_for_return(session: Session, *, step: str, account_kind: AccountKind,
                         owner_id: int, sale_id: int, return_id: int, amount: Decimal,
                         at: datetime | None = None) -> LedgerEntry | None:
    """Post `amount` of `step`'s accrual on the sale back out of the account, for a return
    (the reversal entry reverse_for_return posts, when the step computes its own share)."""
    return post(session, Posting(
        account_kind=account_kind, owner_id=owner_id, amount=-amount,
        kind=f"{step}_reversal", source_type="return", source_id=return_id,
        source_key=f"return:{return_id}:{step}:{account_kind}", sale_id=sale_id,
    ), at=at)
