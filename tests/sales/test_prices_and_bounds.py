"""Who may sell below the catalog price, and the bounds every amount is held to."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conftest import make_token
from tests.factories import GroupFactory
from tests.sales.helpers import product
from tests.web.pages import login
from wordofmouth.audit.models import AuditEvent
from wordofmouth.db import utcnow
from wordofmouth.sales.models import Sale

D = Decimal


def sales(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Sale)) or 0


def test_a_cashier_cannot_sell_below_the_catalog_price_through_the_api(
        client: TestClient, db: Session) -> None:
    csrf = login(client, "cashier")
    item = product("2450.00")
    before = sales(db)
    r = client.post("/api/sales", headers={"x-csrf-token": csrf}, json={
        "lines": [{"product_id": item.id, "qty": "10", "unit_price": "0.10"}]})
    assert r.status_code == 403 and r.json()["error"] == "price_override_forbidden", r.text
    assert sales(db) == before
    r = client.post("/api/sales", headers={"x-csrf-token": csrf}, json={
        "lines": [{"product_id": item.id, "qty": "1", "unit_price": "2450.00"}]})
    assert r.status_code == 201  # the catalog price itself needs nothing more


def test_a_manager_sets_a_price_and_the_audit_log_says_so(
        client: TestClient, db: Session) -> None:
    csrf = login(client, "manager")
    item = product("2450.00")
    r = client.post("/api/sales", headers={"x-csrf-token": csrf}, json={
        "lines": [{"product_id": item.id, "qty": "2", "unit_price": "2000.00"}]})
    assert r.status_code == 201, r.text
    assert r.json()["net_total"] == "4000.00"
    event = db.scalars(select(AuditEvent).where(
        AuditEvent.action == "sale.price_override")).one()
    assert event.target_id == str(r.json()["id"])
    assert "2450.00" in str(event.details) and "2000.00" in str(event.details)


def test_a_token_needs_the_sales_price_scope_to_set_a_price(
        client: TestClient, db: Session) -> None:
    item = product("100.00")
    body = {"lines": [{"product_id": item.id, "unit_price": "1.00"}]}
    plain = client.post("/api/sales", headers=make_token(db, "sales:write"), json=body)
    assert plain.status_code == 403 and plain.json()["error"] == "price_override_forbidden"
    priced = client.post("/api/sales", headers=make_token(db, "sales:write", "sales:price"),
                         json=body)
    assert priced.status_code == 201 and priced.json()["net_total"] == "1.00"


@pytest.mark.parametrize("price", ["10000000.01", "999999999999.99"])
def test_a_price_above_ten_million_is_refused(client: TestClient, db: Session,
                                               price: str) -> None:
    item = product("10.00")
    before = sales(db)
    r = client.post("/api/sales", headers=make_token(db, "sales:write", "sales:price"),
                    json={"lines": [{"product_id": item.id, "unit_price": price}]})
    assert r.status_code == 422 and r.json()["error"] == "invalid_input", r.text
    assert "10000000" in r.text
    assert sales(db) == before


def test_a_sale_above_a_hundred_million_is_refused(client: TestClient, db: Session) -> None:
    item = product("10000000.00")
    before = sales(db)
    r = client.post("/api/sales", headers=make_token(db, "sales:write"),
                    json={"lines": [{"product_id": item.id, "qty": "11"}]})
    assert r.status_code == 422 and r.json()["error"] == "amount_out_of_bounds", r.text
    assert sales(db) == before


def test_an_absurd_storefront_order_is_refused_and_credits_nothing(
        client: TestClient, db: Session) -> None:
    group = GroupFactory.create()
    headers = make_token(db, "storefront:orders")
    before = sales(db)
    order = {"external_id": "huge-1", "account": {"external_id": "acc-huge"},
             "ordered_at": (utcnow() - timedelta(minutes=1)).isoformat(),
             "lines": [{"amount": "999999999999.99", "group_id": group.id}] * 200}
    r = client.post("/api/storefront/orders", headers=headers, json=order)
    assert r.status_code == 422, r.text
    order["lines"] = [{"amount": "9999999.99", "group_id": group.id}] * 20
    r = client.post("/api/storefront/orders", headers=headers, json=order)
    assert r.status_code == 422 and r.json()["error"] == "amount_out_of_bounds", r.text
    assert sales(db) == before
