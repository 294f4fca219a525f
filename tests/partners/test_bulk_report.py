"""The bulk data set with partners (what bench/reports measures): the ledger holds, and the
referrer report gives the same figures as the benchmark's hand-written SQL."""

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from bench.reports import figures_of_report, period, reference
from wordofmouth.calendar import DEFAULT_ZONE, today_date, zone
from wordofmouth.ledger import service as ledger
from wordofmouth.partners import report
from wordofmouth.partners.models import CustomerLink, SaleAttribution
from wordofmouth.sales.models import Sale


def test_bulk_partners_and_the_report_agree_with_hand_written_sql(committed_url: str) -> None:
    wom = Path(sys.executable).with_name("wom")
    env = {**os.environ, "WOM_DATABASE_URL": committed_url}
    for extra in (["--partners", "4"], []):  # a second run appends to the same partners
        subprocess.run([str(wom), "demo", "--bulk", "--customers", "300", "--lines", "1500",
                        *extra], env=env, check=True, capture_output=True)
    engine = create_engine(committed_url)
    start, end, lo, hi = period(today_date(zone(DEFAULT_ZONE)))
    with Session(engine) as s:
        assert ledger.verify(s) == []
        linked = s.scalar(select(func.count()).select_from(CustomerLink))
        assert linked is not None and 120 <= linked <= 240  # about 30 % of 600
        assert s.scalar(select(func.count()).select_from(SaleAttribution)) == s.scalar(
            select(func.count(Sale.id)))
        figures = figures_of_report(report.referrer_report(s, start, end))
        with engine.connect() as conn:
            assert figures == reference(conn, lo, hi)
    engine.dispose()
    assert len([k for k in figures if k.endswith("/")]) == 4
