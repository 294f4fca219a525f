"""`wom club review` from cron, and two processes reviewing the same day at once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from tests import factories
from tests.club.helpers import BASE, buy, member_card, switch_on
from tests.conftest import requires_postgres
from wordofmouth.calendar import date_of
from wordofmouth.club.models import ClubDecision, ClubMembership, ClubReview
from wordofmouth.club.rules import ClubStatus as S

WOM = str(Path(sys.executable).with_name("wom"))


def _seed(url: str, customers: int) -> list[int]:
    engine = create_engine(url)
    with Session(engine) as s:
        factories.bind(s)
        switch_on(s)
        ids = []
        for i in range(customers):
            card = member_card()
            buy(s, card, "5000.00" if i % 2 else "100.00", BASE + 1)
            ids.append(card.customer_id)
        s.commit()
    engine.dispose()
    return ids


def _review(url: str, day: int) -> subprocess.Popen[str]:
    return subprocess.Popen([WOM, "club", "review", "--date", date_of(day).isoformat()],
                            env={**os.environ, "WOM_DATABASE_URL": url},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


@requires_postgres
def test_two_processes_reviewing_at_once_give_the_result_of_one(committed_url: str) -> None:
    ids = _seed(committed_url, 20)
    runs = [_review(committed_url, BASE + 2) for _ in range(3)]
    outputs = [p.communicate(timeout=120)[0] for p in runs]
    assert all(p.returncode == 0 for p in runs), outputs
    assert sum("reviewed already" in out for out in outputs) == 2, outputs
    engine = create_engine(committed_url)
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(ClubReview)) == 1
        joined = s.scalar(select(func.count()).select_from(ClubMembership)
                          .where(ClubMembership.status == S.CANDIDATE_JOIN))
        logged = s.scalar(select(func.count()).select_from(ClubDecision)
                          .where(ClubDecision.action == "candidate_join"))
    engine.dispose()
    assert joined == logged == len(ids) // 2


def test_the_cli_reviews_a_given_day_once(committed_url: str) -> None:
    _seed(committed_url, 2)
    first = _review(committed_url, BASE + 40)
    out1 = first.communicate(timeout=120)[0]
    second = _review(committed_url, BASE + 40)
    out2 = second.communicate(timeout=120)[0]
    assert first.returncode == second.returncode == 0, out1 + out2
    assert "period reset" in out1 and "reviewed already" in out2
    bad = subprocess.run([WOM, "club", "review", "--date", "31.12.2026"], text=True,
                         capture_output=True, env={**os.environ,
                                                   "WOM_DATABASE_URL": committed_url})
    assert bad.returncode == 2 and "not a date" in bad.stdout

