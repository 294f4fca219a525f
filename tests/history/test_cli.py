"""`wom history import` on a real database file: progress, a summary, the failed rows in a
report, and exit code 1 while any row failed (2 for a file it cannot read)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

WOM = Path(sys.executable).with_name("wom")


def _wom(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WOM_DATABASE_URL": f"sqlite:///{tmp_path / 'shop.db'}",
           "COLUMNS": "100"}
    return subprocess.run([str(WOM), *args], env=env, cwd=tmp_path, capture_output=True,
                          text=True, timeout=120, stdin=subprocess.DEVNULL)


def test_customers_come_in_and_the_failed_rows_are_reported(tmp_path: Path) -> None:
    assert _wom(tmp_path, "db", "upgrade").returncode == 0
    people = tmp_path / "customers.csv"
    people.write_text("Card;First name;Last name;Phone;Bonus percent\n"
                      "2000000000017;Олена;Коваленко;050 111 22 33;5\n"
                      "2000000000024;Тарас;Бондар;;3\n"
                      "2000000000017;Ірина;Ткач;;0\n", encoding="cp1251")
    done = _wom(tmp_path, "history", "import", "customers", str(people),
                "--report", str(tmp_path / "failed.csv"))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "customers: 2 imported, 1 failed (3 rows read)." in done.stdout
    assert "line 4:" in done.stdout and "Traceback" not in done.stderr
    assert (tmp_path / "failed.csv").read_text(encoding="utf-8").splitlines()[1].startswith("4,")
    balances = tmp_path / "balances.csv"
    balances.write_text("card,balance,date\n2000000000017,120.50,2025-12-31\n")
    done = _wom(tmp_path, "history", "import", "bonus_balances", str(balances))
    assert done.returncode == 0 and "1 imported, 0 failed" in done.stdout
    again = _wom(tmp_path, "history", "import", "bonus_balances", str(balances))
    assert again.returncode == 1 and "0 imported, 1 failed" in again.stdout
    listed = _wom(tmp_path, "history", "list")
    assert listed.returncode == 0 and listed.stdout.count("customers.csv") == 1
    assert "bonus_balances" in listed.stdout and "done" in listed.stdout
    unknown = _wom(tmp_path, "history", "resume", "999")
    assert unknown.returncode == 2 and "Traceback" not in unknown.stderr
    missing = _wom(tmp_path, "history", "import", "sales", str(balances))
    assert missing.returncode == 2 and "qty, receipt, sku" in missing.stdout  # what is missing
