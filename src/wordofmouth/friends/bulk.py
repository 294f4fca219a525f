"""Issuing friend codes in bulk (a printed mass campaign): set-wise on PostgreSQL, in
chunks of a few statements on SQLite; the codes of a batch written out for the printer."""

from __future__ import annotations

import csv
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TextIO

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from wordofmouth import i18n
from wordofmouth.db import is_postgres, utcnow
from wordofmouth.errors import InvalidInput
from wordofmouth.friends import service
from wordofmouth.friends.models import CodeStatus, FriendCode
from wordofmouth.i18n import gettext
from wordofmouth.scancodes import service as scancodes
from wordofmouth.scancodes.rules import random_instore_ean13s

BATCH = 100_000  # codes per statement on PostgreSQL
CHUNK = 10_000  # codes per round on SQLite
MAX_BULK = 10_000_000
MAX_WEB = 100_000  # from the back office, in one request (a few seconds)
# Candidates claim their numbers in the one registry of scan codes first, each with the id its
# friend code will have; those no other code holds become friend codes — one statement per
# batch, with no look-up of the registry beside the insert that claims it. (The sequence is
# named as a constant, the id column's default: looked up per row it cost 2 s a million.)
ISSUE = text("""
WITH claimed AS (
    INSERT INTO scan_codes (code, kind, target_id)
    SELECT code, 'friend_code', nextval('friend_codes_id_seq')
    FROM unnest(CAST(:codes AS text[])) AS code
    ON CONFLICT (code) DO NOTHING RETURNING code, target_id),
issued AS (
    INSERT INTO friend_codes (id, code, campaign_id, referrer_id, batch, issued_at, issued_by,
                              status)
    SELECT target_id, code, :campaign, :referrer, :batch, :at, :actor, 'issued' FROM claimed
    RETURNING 1)
SELECT count(*) FROM issued
""")


def issue_bulk(session: Session, *, campaign_id: int, referrer_id: int, count: int,
               actor: str, progress: Callable[[int], None] | None = None) -> str:
    """Issue `count` codes of a campaign to one holder (the store's own customer for a printed
    campaign, or anyone with a card); returns the batch id. One transaction: all or none."""
    if not 1 <= count <= MAX_BULK:
        raise InvalidInput(
            gettext("Issue 1–{0} codes at a time.").format(i18n.number(MAX_BULK)))
    service.check_issuing(session, customer_id=referrer_id, campaign_id=campaign_id)
    batch = secrets.token_hex(8)
    write = _batch_postgres if is_postgres(session) else _batch_portable
    done = 0
    while done < count:
        wanted = min(BATCH if is_postgres(session) else CHUNK, count - done)
        codes = sorted(set(random_instore_ean13s(service.CODE_PREFIX, wanted)))
        done += write(session, codes, campaign_id=campaign_id, referrer_id=referrer_id,
                      batch=batch, actor=actor)
        if progress:
            progress(done)
    return batch


def _batch_postgres(session: Session, codes: list[str], *, campaign_id: int,
                    referrer_id: int, batch: str, actor: str) -> int:
    return int(session.execute(ISSUE, {
        "codes": codes, "campaign": campaign_id, "referrer": referrer_id, "batch": batch,
        "at": utcnow(), "actor": actor}).scalar_one())


def _batch_portable(session: Session, codes: list[str], *, campaign_id: int,
                    referrer_id: int, batch: str, actor: str) -> int:
    """The same on a database that writes one transaction at a time (SQLite): nobody can
    claim a number between the look-up and the insert."""
    free = sorted(set(codes) - scancodes.taken(session, codes))
    if not free:
        return 0
    at = utcnow()
    issued = session.execute(insert(FriendCode).returning(FriendCode.id, FriendCode.code), [
        {"code": code, "campaign_id": campaign_id, "referrer_id": referrer_id, "batch": batch,
         "issued_at": at, "issued_by": actor, "status": CodeStatus.ISSUED} for code in free])
    scancodes.register_many(session, service.KIND, [(code, id_) for id_, code in issued])
    return len(free)


@dataclass(frozen=True)
class Batch:
    batch: str
    campaign_id: int
    referrer_id: int
    codes: int
    issued_at: datetime
    issued_by: str


def summary(session: Session, batch: str) -> Batch | None:
    """What a batch is: its campaign, holder, size, when and by whom (one grouped query)."""
    row = session.execute(
        select(FriendCode.campaign_id, FriendCode.referrer_id, func.count(),
               func.min(FriendCode.issued_at), func.min(FriendCode.issued_by))
        .where(FriendCode.batch == batch)
        .group_by(FriendCode.campaign_id, FriendCode.referrer_id)).first()
    return None if row is None else Batch(batch, row[0], row[1], row[2], row[3], row[4])


def batch_codes(session: Session, batch: str) -> Iterator[str]:
    """The codes of one batch, in order, streamed."""
    yield from session.scalars(select(FriendCode.code).where(FriendCode.batch == batch)
                               .order_by(FriendCode.code).execution_options(yield_per=10_000))


def write_csv(session: Session, batch: str, out: TextIO) -> int:
    """The batch as a CSV file for the print shop (one code per row); returns the rows."""
    writer = csv.writer(out)
    writer.writerow([gettext("code")])
    n = 0
    for code in batch_codes(session, batch):
        writer.writerow([code])
        n += 1
    return n
