"""Hostile input gets the documented error shape — {"error", "detail"} with a 4xx — and
writes nothing."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conftest import make_token
from tests.factories import CardFactory, CustomerFactory
from tests.sales.helpers import product
from tests.web.pages import login
from wordofmouth.customers.models import Customer
from wordofmouth.sales.models import Sale


def counts(db: Session) -> tuple[int, int]:
    return (db.scalar(select(func.count(Customer.id))) or 0,
            db.scalar(select(func.count(Sale.id))) or 0)


def refused(r: object, status: int | tuple[int, ...]) -> None:
    statuses = status if isinstance(status, tuple) else (status,)
    assert r.status_code in statuses, r.text  # type: ignore[attr-defined]
    body = r.json()  # type: ignore[attr-defined]
    assert set(body) >= {"error", "detail"} and body["detail"]


@pytest.fixture
def writer(db: Session) -> dict[str, str]:
    return make_token(db, "customers:write", "customers:read", "sales:write", "sales:read")


def test_a_body_over_the_limit_is_413(client: TestClient, db: Session,
                                      writer: dict[str, str]) -> None:
    before = counts(db)
    big = b'{"first_name": "' + b"x" * 1_200_000 + b'"}'
    refused(client.post("/api/customers", content=big,
                        headers=writer | {"content-type": "application/json"}), 413)

    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(40):
            yield b"x" * 50_000

    r = client.post("/api/customers", content=chunks(),
                    headers=writer | {"content-type": "application/json"})
    assert r.status_code == 413
    assert counts(db) == before


@pytest.mark.parametrize("body", [
    b"[" * 100_000 + b"]" * 100_000,  # deeply nested
    b'{"first_name": "' + "Олена".encode("cp1251") + b'"}',  # not UTF-8
    b'{"first_name": "Olena"',  # cut off
    b"\xff\xfe\x00{",
])
def test_broken_json_is_refused(client: TestClient, db: Session, writer: dict[str, str],
                                body: bytes) -> None:
    before = counts(db)
    refused(client.post("/api/customers", content=body,
                        headers=writer | {"content-type": "application/json"}), 422)
    assert counts(db) == before


@pytest.mark.parametrize("price", ["10.001", "1e3", "1E-2", "NaN", "Infinity", "-5",
                                   "123456789012345678901234567890", "0x10", ""])
def test_odd_numbers_are_refused(client: TestClient, db: Session, writer: dict[str, str],
                                 price: str) -> None:
    item = product("10.00")
    before = counts(db)
    r = client.post("/api/sales", headers=writer, json={
        "lines": [{"barcode": item.barcode, "qty": "1", "unit_price": price}]})
    refused(r, 422)
    assert counts(db) == before


@pytest.mark.parametrize("due", ["0000-01-01", "10000-01-01", "2026-02-30", "yesterday",
                                 "9999-12-31T99:00"])
def test_out_of_range_dates_are_refused(client: TestClient, db: Session,
                                        writer: dict[str, str], due: str) -> None:
    item = product("10.00")
    customer = CardFactory.create().customer_id
    before = counts(db)
    r = client.post("/api/invoices", headers=writer, json={
        "customer_id": customer, "due_date": due,
        "lines": [{"barcode": item.barcode, "qty": "1"}]})
    refused(r, 422)
    assert counts(db) == before


@pytest.mark.parametrize("name", ["=HYPERLINK(\"http://evil.example\")", "+1+1", "-2+3",
                                  "@SUM(A1)", "\t=1", "\r=1"])
def test_exported_cells_never_start_a_formula(client: TestClient, db: Session,
                                              name: str) -> None:
    CustomerFactory.create(first_name=name, last_name="Koval")
    login(client, "owner")
    r = client.get("/analysis/activity?fmt=csv&sort=customer")
    cells = [row["customer"] for row in csv.DictReader(io.StringIO(r.text))]
    assert any(c.startswith("'") and name.strip() in c for c in cells)  # names are trimmed
    assert not any(c[:1] in "=+-@\t\r" for c in cells)
