"""The `wom` command answers bad input with one clear line and exit code 2, never a
traceback: counts below zero, an unknown role (before the password is asked), a database URL
it cannot read or reach, a port in use (before the banner)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from wordofmouth.config import Settings

WOM = Path(sys.executable).with_name("wom")


def _wom(tmp_path: Path, *args: str, url: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WOM_DATABASE_URL": url or f"sqlite:///{tmp_path / 'cli.db'}",
           "COLUMNS": "80"}
    return subprocess.run([str(WOM), *args], env=env, cwd=tmp_path, capture_output=True,
                          text=True, timeout=120, stdin=subprocess.DEVNULL)


def _one_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stdout + done.stderr
    lines = [ln for ln in done.stdout.splitlines() if ln.strip()]
    assert len(lines) == 1, done.stdout
    return lines[0]


def test_a_negative_count_is_refused(tmp_path: Path) -> None:
    said = _one_line(_wom(tmp_path, "demo", "--customers", "-5"))
    assert said == "--customers is a count: 0 or more (not -5)."
    assert not (tmp_path / "cli.db").exists()  # refused before anything was made


def test_an_unknown_role_is_refused_before_the_password_is_asked(tmp_path: Path) -> None:
    done = _wom(tmp_path, "user", "add", "marta", "--role", "boss")
    assert _one_line(done) == "'boss' is not a role: owner, manager, cashier or partner."
    assert "Password" not in done.stdout + done.stderr


@pytest.mark.parametrize("url, says", [
    ("postgres://nobody@127.0.0.1:1/shop", "cannot be reached: "),
    ("nonsense", "is not a database URL this program reads"),
    ("mysql+nothing://x/y", "is not a database URL this program reads"),
])
def test_a_database_that_cannot_be_read_or_reached_is_one_line(tmp_path: Path, url: str,
                                                               says: str) -> None:
    said = _one_line(_wom(tmp_path, "db", "upgrade", url=url))
    assert says in said


def test_postgres_urls_as_hosts_write_them_mean_psycopg() -> None:
    for url in ("postgres://u@h/db", "postgresql://u@h/db"):
        assert Settings(database_url=url).database_url == "postgresql+psycopg://u@h/db"


def test_the_server_runs_one_process_per_cpu_on_postgresql_and_one_on_sqlite(
        monkeypatch: pytest.MonkeyPatch) -> None:
    pg = "postgresql+psycopg://u@h/db"
    for cpus, expected in ((1, 2), (2, 2), (3, 3), (16, 4)):
        monkeypatch.setattr(os, "cpu_count", lambda cpus=cpus: cpus)
        assert Settings(database_url=pg, workers=0).server_workers() == expected
    assert Settings(database_url="sqlite:///x.db", workers=0).server_workers() == 1
    assert Settings(database_url=pg, workers=6).server_workers() == 6  # WOM_WORKERS


def test_a_port_in_use_is_said_before_the_banner(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = _wom(tmp_path, "serve", "--port", str(port))
    said = _one_line(done)
    assert said.startswith(f"Cannot listen on 127.0.0.1:{port}:")
    assert "wordofmouth on http" not in done.stdout


def test_the_bulk_demo_ends_with_what_it_wrote(tmp_path: Path) -> None:
    done = _wom(tmp_path, "demo", "--bulk", "--customers", "40", "--partners", "2")
    assert done.returncode == 0, done.stdout + done.stderr
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("Bulk data set generated: 40 customers, 40 cards, ") and (
        "sale lines" in last and "ledger entries" in last), last


def test_backfills_take_a_day_but_never_one_after_today(tmp_path: Path) -> None:
    from datetime import date, timedelta

    from wordofmouth import i18n

    assert _wom(tmp_path, "db", "upgrade").returncode == 0
    tomorrow = (date.today() + timedelta(days=2)).isoformat()  # after today in any zone
    with i18n.use("uk"):  # the store's language, which `wom` speaks
        mature = i18n.gettext("{0} is after today: mature as of today or an earlier day.")
        review = i18n.gettext("{0} is after today: review today or an earlier day.")
    said = _one_line(_wom(tmp_path, "partners", "mature", "--date", tomorrow))
    assert said == mature.format(tomorrow)
    said = _one_line(_wom(tmp_path, "club", "review", "--date", tomorrow))
    assert said == review.format(tomorrow)
    assert _one_line(_wom(tmp_path, "partners", "mature", "--date", "soon")) == \
        "'soon' is not a date (YYYY-MM-DD)."
    done = _wom(tmp_path, "partners", "mature", "--date", "2026-01-31")
    assert done.returncode == 0 and "0 sales matured" in done.stdout


def test_a_printed_campaign_is_issued_and_written_out_for_the_print_shop(
        tmp_path: Path) -> None:
    import csv

    from sqlalchemy import create_engine, text

    assert _wom(tmp_path, "demo", "--customers", "5").returncode == 0
    engine = create_engine(f"sqlite:///{tmp_path / 'cli.db'}")
    with engine.connect() as conn:
        name = conn.scalar(text("SELECT name FROM friend_campaigns WHERE active"))
        card = conn.scalar(text("SELECT number FROM discount_cards WHERE active LIMIT 1"))
    out = tmp_path / "flyers.csv"
    done = _wom(tmp_path, "friends", "issue", "--campaign", str(name), "--card", str(card),
                "--count", "1200", "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    with out.open(encoding="utf-8") as f:
        printed = [row[0] for row in csv.reader(f)][1:]
    with engine.connect() as conn:
        stored = list(conn.scalars(text(
            "SELECT f.code FROM friend_codes f JOIN scan_codes s ON s.code = f.code "
            "AND s.kind = 'friend_code' AND s.target_id = f.id WHERE f.issued_by = 'cli' "
            "ORDER BY f.code")))
    engine.dispose()
    assert len(printed) == 1200 and printed == stored
    again = _wom(tmp_path, "friends", "issue", "--campaign", "No such", "--card", str(card),
                 "--count", "5", "--out", str(tmp_path / "other.csv"))
    assert "No such" in _one_line(again) and not (tmp_path / "other.csv").exists()
