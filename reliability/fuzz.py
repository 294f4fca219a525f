"""Fuzz suite: schemathesis over the OpenAPI document against a running server on
PostgreSQL, authenticated with an owner's scopes and with a cashier's, every operation:
no server error, no answer that breaks the documented schema. schemathesis is installed
from PyPI into a throw-away environment by this script (it is not a dependency of
wordofmouth).

    python -m reliability.fuzz [--examples 60]"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import prepare_database, server

CASHIER_SCOPES = ["catalog:read", "customers:read", "customers:write", "sales:read",
                  "sales:write", "ledger:read"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", type=int, default=60)
    args = parser.parse_args()
    from wordofmouth import db as database
    from wordofmouth.auth import service as auth
    from wordofmouth.auth.permissions import SCOPES
    from wordofmouth.demo import service as demo

    url = prepare_database("wom_fuzz")
    with database.transaction() as s:
        demo.seed_store(s, customers_count=40, sales_count=150, days=30)
        owner = auth.create_token(s, name="fuzz-owner", scopes=list(SCOPES), actor="fuzz")
        cashier = auth.create_token(s, name="fuzz-cashier", scopes=CASHIER_SCOPES,
                                    actor="fuzz")
    with tempfile.TemporaryDirectory() as tmp:
        venv = Path(tmp) / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet",
                        "--disable-pip-version-check", "schemathesis==4.32.5"], check=True)
        totals = {}
        with server(url, workers=2) as base:
            for who, token in (("owner", owner), ("cashier", cashier)):
                run = subprocess.run(
                    [str(venv / "bin" / "st"), "run", f"{base}/openapi.json",
                     "--checks", "not_a_server_error,response_schema_conformance,"
                     "status_code_conformance,content_type_conformance",
                     "-H", f"Authorization: Bearer {token}", "-n", str(args.examples),
                     "--seed", "7", "--no-color"],
                    capture_output=True, text=True, cwd=tmp)  # its cache stays out of the tree
                print(f"\n===== as {who} =====")
                lines = run.stdout.strip().splitlines()
                start = next((i for i, ln in enumerate(lines) if "FAILURES" in ln), 0)
                print("\n".join(lines[start:start + 400]))
                totals[who] = (run.returncode, _summary(run.stdout))
        print("\nfuzz suite —", ", ".join(f"{who}: {'no failures' if rc == 0 else 'FAILURES'} "
                                         f"({summary})" for who, (rc, summary) in totals.items()))
        if any(rc != 0 for rc, _ in totals.values()):
            sys.exit(1)


def _summary(out: str) -> str:
    found = re.findall(r"(\d+ (?:passed|failed|skipped|errored)[^,\n]*)", out)
    cases = re.search(r"(\d[\d,]*) generated", out)
    return ", ".join(found[-3:]) + (f", {cases.group(1)} cases" if cases else "")


if __name__ == "__main__":
    main()
