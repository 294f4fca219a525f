"""The monthly statements job runs in every server process and from cron: ten of them at
once queue one mailing and one letter per partner (PostgreSQL) — the month's mailing is
unique by its key and locked before its letters are read."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from tests import factories
from tests.conftest import requires_postgres
from tests.partners.helpers import partner
from wordofmouth.mailing.models import Mailing, Message
from wordofmouth.partners import service as partners
from wordofmouth.storefront import statement_mail


def _asking(url: str, names: list[str]) -> list[int]:
    engine = create_engine(url)
    with Session(engine) as s:
        factories.bind(s)
        ids = []
        for name in names:
            p = partner(s, name)
            partners.update_partner(s, p.id, actor="owner", email=f"{p.id}@partner.example",
                                    statement_by_email=True)
            ids.append(p.id)
        s.commit()
    engine.dispose()
    return ids


def _race(url: str, count: int) -> list[tuple[int | None, int]]:
    engine = create_engine(url, pool_size=count)
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count
    failed: list[Exception] = []

    def one(i: int) -> None:
        barrier.wait()
        try:
            results[i] = statement_mail.queue_month(
                *statement_mail.month_before(date(2026, 12, 3)),
                actor=f"process-{i}", make=lambda: Session(engine))
        except Exception as exc:  # kept, so the test shows what went wrong
            failed.append(exc)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    engine.dispose()
    assert not failed, failed
    return [r for r in results if isinstance(r, tuple)]


def _letters(url: str) -> tuple[int, list[int]]:
    engine = create_engine(url)
    with Session(engine) as s:
        mailings = int(s.scalar(select(func.count()).select_from(Mailing)) or 0)
        letters = sorted(p for p in s.scalars(select(Message.partner_id)) if p is not None)
    engine.dispose()
    return mailings, letters


@requires_postgres
def test_ten_jobs_at_once_queue_each_partners_statement_once(committed_url: str) -> None:
    first = _asking(committed_url, ["Salon Lily", "Gym Olymp", "Studio Nova"])
    results = _race(committed_url, 10)
    assert sorted(added for _id, added in results) == [0] * 9 + [3]
    assert _letters(committed_url) == (1, sorted(first))
    # a partner who asks later: ten jobs at once add that one letter once
    later = _asking(committed_url, ["Foreman Petro"])
    results = _race(committed_url, 10)
    assert sorted(added for _id, added in results) == [0] * 9 + [1]
    assert _letters(committed_url) == (1, sorted(first + later))


def test_the_command_queues_a_month_and_refuses_a_wrong_one(committed_url: str) -> None:
    _asking(committed_url, ["Salon Lily"])
    wom = Path(sys.executable).with_name("wom")
    env = {**os.environ, "WOM_DATABASE_URL": committed_url}
    ok = subprocess.run([str(wom), "partners", "send-statements", "--month", "2026-11"],
                        env=env, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert "Statements of 2026-11-01 – 2026-11-30: 1 queued now" in ok.stdout
    again = subprocess.run([str(wom), "partners", "send-statements", "--month", "2026-11"],
                           env=env, capture_output=True, text=True, timeout=120)
    assert "0 queued now" in again.stdout
    bad = subprocess.run([str(wom), "partners", "send-statements", "--month", "11.2026"],
                         env=env, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "is not a month" in bad.stdout
    assert "Traceback" not in bad.stderr
