"""Issuing friend codes in bulk (a printed mass campaign), set-wise on PostgreSQL."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from sqlalchemy import text
from sqlalchemy.orm import Session

from wordofmouth.db import is_postgres, utcnow
from wordofmouth.friends import service
from wordofmouth.i18n import gettext
from wordofmouth.scancodes.rules import random_instore_ean13

BATCH = 100_000
# Candidates that no scannable code holds become friend codes, and the new friend codes claim
# their numbers in the one registry of scan codes — in one statement per batch.
ISSUE = text("""
WITH candidates AS (SELECT DISTINCT unnest(CAST(:codes AS text[])) AS code),
free AS (SELECT c.code FROM candidates c
         WHERE NOT EXISTS (SELECT 1 FROM scan_codes s WHERE s.code = c.code)
         ORDER BY c.code),
issued AS (INSERT INTO friend_codes (code, campaign_id, referrer_id, batch, issued_at,
                                     issued_by, status)
           SELECT code, :campaign, :referrer, :batch, :at, :actor, 'issued' FROM free
           ON CONFLICT (code) DO NOTHING RETURNING id, code),
claimed AS (INSERT INTO scan_codes (code, kind, target_id)
            SELECT code, 'friend_code', id FROM issued RETURNING 1)
SELECT count(*) FROM claimed
""")


def issue_bulk(session: Session, *, campaign_id: int, referrer_id: int, count: int,
               actor: str, progress: Callable[[int], None] | None = None) -> str:
    """Issue `count` codes of a campaign to one holder; returns the batch id."""
    if not is_postgres(session):
        raise NotImplementedError(gettext("bulk issuing is for PostgreSQL; use issue_codes"))
    service.get_campaign(session, campaign_id)
    batch = secrets.token_hex(8)
    done = 0
    while done < count:
        wanted = min(BATCH, count - done)
        codes = sorted(random_instore_ean13(service.CODE_PREFIX) for _ in range(wanted))
        done += int(session.execute(ISSUE, {
            "codes": codes, "campaign": campaign_id, "referrer": referrer_id, "batch": batch,
            "at": utcnow(), "actor": actor}).scalar_one())
        if progress:
            progress(done)
    return batch
