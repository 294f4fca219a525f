"""A store's history brought from its old program as CSV files gives the same balances —
every customer's bonuses, every partner's commission, pending and payable — as the same
history entered through the API one document at a time with its dates."""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.conftest import make_token
from tests.factories import ProductFactory
from tests.partners.helpers import partner
from wordofmouth.customers import service as customers
from wordofmouth.history import importer
from wordofmouth.ledger import service as ledger
from wordofmouth.partners import commission
from wordofmouth.partners import service as partners

D = Decimal
TODAY = date.today()
# noon of today may lie ahead of the clock; the returns come the day before, after every sale
YESTERDAY = TODAY - timedelta(days=1)


def _history(series: str, partner_name: str, seed: int = 7) -> dict[str, list[dict[str, str]]]:
    """The same history (same seed) on cards of another series, brought by another partner,
    so that two copies can stand side by side in one database."""
    rnd = random.Random(seed)
    people = [{"card": f"{series}{n:05d}", "first_name": f"Name{n}", "last_name": "Koval",
               "bonus_percent": "5"} for n in range(12)]
    links = [{"card": p["card"], "partner": partner_name,
              "employee": "Iryna" if n % 2 else "",
              "date": (TODAY - timedelta(days=200)).isoformat()}
             for n, p in enumerate(people[:6])]
    sales, returned = [], []
    for n in range(40):
        day = (TODAY - timedelta(days=rnd.randint(2, 150))).isoformat()
        card = rnd.choice(people)["card"] if n % 5 else ""
        for sku in rnd.sample(["A1", "B2", "C3"], rnd.randint(1, 3)):
            sales.append({"receipt": f"{series}-R{n:04d}", "date": day, "card": card, "sku": sku,
                          "qty": str(rnd.randint(1, 3)), "payment": rnd.choice(["cash", "card"])})
    for receipt in (f"{series}-R0003", f"{series}-R0011", f"{series}-R0027"):
        line = next(s for s in sales if s["receipt"] == receipt)
        returned.append({"receipt": receipt, "date": YESTERDAY.isoformat(), "sku": line["sku"],
                         "qty": "1", "reason": "did not fit"})
    balances = [{"card": people[n]["card"], "balance": f"{n * 15}.50",
                 "date": (TODAY - timedelta(days=300)).isoformat()} for n in (2, 7, 9)]
    return {"customers": people, "links": links, "sales": sales, "returns": returned,
            "bonus_balances": balances}


def _csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=";")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def _balances(db: Session, cards: list[str], partner_id: int) -> list[object]:
    db.expire_all()
    b = commission.balance(db, partner_id)
    return [*(customers.bonus_balance(db, customers.card_by_number(db, c).customer_id)
              for c in cards), ("partner", b.pending, b.payable)]


def _through_the_api(client: TestClient, db: Session, h: dict[str, str],
                     history: dict[str, list[dict[str, str]]], anna: int, iryna: int) -> None:
    ids, receipts = {}, {}
    for p in history["customers"]:
        c = client.post("/api/customers", headers=h, json={
            "first_name": p["first_name"], "last_name": p["last_name"]}).json()
        ids[p["card"]] = c["id"]
        assert client.post(f"/api/customers/{c['id']}/cards", headers=h, json={
            "number": p["card"], "bonus_percent": p["bonus_percent"]}).status_code == 201
    for link in history["links"]:
        r = client.post(f"/api/customers/{ids[link['card']]}/partner", headers=h, json={
            "partner_id": anna, "employee_id": iryna if link["employee"] else None,
            "linked_at": f"{link['date']}T12:00:00+02:00"})
        assert r.status_code == 200, r.text
    for receipt in dict.fromkeys(s["receipt"] for s in history["sales"]):
        rows = [s for s in history["sales"] if s["receipt"] == receipt]
        body = {"lines": [{"barcode": s["sku"], "qty": s["qty"]} for s in rows],
                "document_date": f"{rows[0]['date']}T12:00:00+02:00"}
        if rows[0]["card"]:
            body["card_number"] = rows[0]["card"]
        sale = client.post("/api/sales", headers=h, json=body).json()
        paid = client.post(f"/api/sales/{sale['id']}/payments", headers=h, json={
            "payments": [{"method": rows[0]["payment"], "amount": sale["net_total"]}]})
        assert paid.status_code == 200, paid.text
        receipts[receipt] = paid.json()
    for ret in history["returns"]:
        sale = receipts[ret["receipt"]]
        line = next(ln for ln in sale["lines"] if ln["name"].startswith(ret["sku"]))
        r = client.post(f"/api/sales/{sale['id']}/returns", headers=h, json={
            "lines": [{"line_id": line["id"], "qty": ret["qty"]}], "reason": ret["reason"],
            "document_date": f"{ret['date']}T12:00:00+02:00"})
        assert r.status_code == 201, r.text
    for b in history["bonus_balances"]:
        r = client.post(f"/api/customers/{ids[b['card']]}/bonus/opening", headers=h, json={
            "amount": b["balance"], "document_date": f"{b['date']}T12:00:00+02:00"})
        assert r.status_code == 201, r.text


def test_a_csv_history_gives_the_balances_the_api_gives(client: TestClient,
                                                        db: Session) -> None:
    for sku, price in (("A1", "100.00"), ("B2", "250.00"), ("C3", "39.90")):
        ProductFactory.create(sku=sku, name=f"{sku} goods", price=D(price))
    anna = partner(db, "Salon Anna", rate="10")
    iryna = partners.add_employee(db, anna.id, name="Iryna")
    olha = partner(db, "Salon Olha", rate="10")
    partners.add_employee(db, olha.id, name="Iryna")
    entered, imported = _history("20000000", "Salon Anna"), _history("21000000", "Salon Olha")
    h = make_token(db, "customers:write", "customers:read", "sales:write", "partners:write",
                   "history:import")
    _through_the_api(client, db, h, entered, anna.id, iryna.id)
    for kind in ("customers", "links", "sales", "returns", "bonus_balances"):
        report = importer.run(db, kind, _csv(imported[kind]), f"{kind}.csv", actor="import")
        assert report.errors == [], (kind, report.errors)
    commission.mature(db)
    expected = _balances(db, [p["card"] for p in entered["customers"]], anna.id)
    assert _balances(db, [p["card"] for p in imported["customers"]], olha.id) == expected
    assert expected[-1] != ("partner", D("0.00"), D("0.00"))  # commission to compare
    assert any(expected[:-1]) and ledger.verify(db) == []
    again = importer.run(db, "sales", _csv(imported["sales"]), "sales.csv", actor="import")
    assert again.imported == 0 and len(again.errors) == 40  # each receipt once
    assert "imported already" in again.errors[0][1]


def test_a_failed_receipt_imports_nothing_of_itself(db: Session) -> None:
    ProductFactory.create(sku="A1", name="A1 goods", price=D("100.00"))
    rows = [{"receipt": "R1", "date": "2026-01-10", "sku": "A1", "qty": "1"},
            {"receipt": "R1", "date": "2026-01-10", "sku": "NOPE", "qty": "1"},
            {"receipt": "R2", "date": "2026-01-11", "sku": "A1", "qty": "2"},
            {"receipt": "R3", "date": "2099-01-01", "sku": "A1", "qty": "1"}]
    report = importer.run(db, "sales", _csv(rows), "sales.csv", actor="import")
    assert report.imported == 1 and [line for line, _ in report.errors] == [2, 5]
    assert "after today" in report.errors[1][1]
    from wordofmouth.sales import service as sales

    assert sales.imported_sale(db, importer.note(db, "R1")) is None
    found = sales.imported_sale(db, importer.note(db, "R2"))
    assert found is not None and found.net_total == D("200.00")
    assert found.created_at.date() == date(2026, 1, 11)
