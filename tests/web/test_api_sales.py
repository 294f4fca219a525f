"""The sales API: create, pay, return, void, invoices, idempotency and every kind of bad input."""

from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conftest import make_token
from tests.sales.helpers import bonus, card, give_bonus, product
from wordofmouth.ledger.models import LedgerEntry
from wordofmouth.sales.models import Sale

D = Decimal


def count(db: Session, model: type) -> int:
    return db.scalar(select(func.count()).select_from(model)) or 0


def test_a_sale_with_a_card_and_bonuses_is_paid_in_one_call(
        client: TestClient, db: Session, writer: dict[str, str]) -> None:
    c = card(discount="10", bonus="5")
    give_bonus(db, c.customer_id, "50.00")
    p = product("120.00")
    r = client.post("/api/sales", headers=writer, json={
        "card_number": c.number, "lines": [{"barcode": p.barcode, "qty": "2"}],
        "payments": [{"method": "bonus", "amount": "50.00"}, {"method": "cash", "amount": "200"}],
    })
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["status"] == "paid"
    assert (body["net_total"], body["change"]) == ("216.00", "34.00")
    assert bonus(db, c.customer_id) == D("10.80")  # 50 - 50 + 5 % of 216


def test_an_open_sale_is_paid_later_and_can_be_read_back(
        client: TestClient, writer: dict[str, str]) -> None:
    p = product("10.00")
    sale = client.post("/api/sales", headers=writer,
                       json={"lines": [{"product_id": p.id, "qty": 3}]}).json()
    assert sale["status"] == "open"
    paid = client.post(f"/api/sales/{sale['id']}/payments", headers=writer,
                       json={"payments": [{"method": "card", "amount": "30.00"}]})
    assert paid.json()["status"] == "paid"
    assert client.get(f"/api/sales/{sale['id']}", headers=writer).json()["paid_total"] == "30.00"


def test_the_same_idempotency_key_replays_the_first_answer_and_sells_once(
        client: TestClient, db: Session, writer: dict[str, str]) -> None:
    p = product("15.00")
    body = {"lines": [{"product_id": p.id}], "payments": [{"method": "cash", "amount": "15"}]}
    headers = {**writer, "Idempotency-Key": "till-7-000123"}
    before = count(db, Sale)
    first = client.post("/api/sales", headers=headers, json=body)
    again = client.post("/api/sales", headers=headers, json=body)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert count(db, Sale) == before + 1


def test_the_same_key_with_another_body_is_refused(
        client: TestClient, writer: dict[str, str]) -> None:
    p = product("15.00")
    headers = {**writer, "Idempotency-Key": "k-1"}
    client.post("/api/sales", headers=headers, json={"lines": [{"product_id": p.id}]})
    r = client.post("/api/sales", headers=headers, json={"lines": [{"product_id": p.id,
                                                                    "qty": 2}]})
    assert (r.status_code, r.json()["error"]) == (422, "idempotency_key_reused")


def test_a_return_through_the_api_reverses_bonuses(
        client: TestClient, db: Session, writer: dict[str, str]) -> None:
    c = card(bonus="10")
    p = product("100.00")
    sale = client.post("/api/sales", headers=writer, json={
        "card_number": c.number, "lines": [{"product_id": p.id, "qty": 2}],
        "payments": [{"method": "card", "amount": "200.00"}]}).json()
    r = client.post(f"/api/sales/{sale['id']}/returns", headers=writer,
                    json={"lines": [{"line_id": sale["lines"][0]["id"], "qty": 1}]})
    assert r.status_code == 201, r.text
    assert (r.json()["net_amount"], r.json()["refund_card"]) == ("100.00", "100.00")
    assert bonus(db, c.customer_id) == D("10.00")
    entries = client.get(f"/api/customers/{c.customer_id}/bonus", headers=writer).json()
    assert [e["kind"] for e in entries["entries"]] == ["card_bonus_reversal", "card_bonus"]


def test_an_invoice_is_issued_and_paid_later(client: TestClient, writer: dict[str, str]) -> None:
    c = card()
    p = product("250.00")
    inv = client.post("/api/invoices", headers=writer, json={
        "customer_id": c.customer_id, "lines": [{"product_id": p.id, "qty": 4}],
        "due_date": "2026-12-31"}).json()
    assert (inv["kind"], inv["status"], inv["number"]) == ("invoice", "open",
                                                           f"INV-{inv['id']:06d}")
    paid = client.post(f"/api/invoices/{inv['id']}/pay", headers=writer,
                       json={"payments": [{"method": "bank", "amount": "1000.00"}]})
    assert paid.json()["status"] == "paid"


REJECTIONS = [
    ({"lines": [{"product_id": "PID", "qty": -1}]}, 422, "invalid_input"),
    ({"lines": [{"product_id": "PID", "qty": 0}]}, 422, "invalid_input"),
    ({"lines": [{"product_id": "PID", "qty": "abc"}]}, 422, "invalid_input"),
    ({"lines": [{"product_id": "PID", "unit_price": "1.005"}]}, 422, "invalid_input"),
    ({"lines": [{"product_id": 999999}]}, 404, "product_not_found"),
    ({"lines": [{"barcode": "0000000000000"}]}, 404, "unknown_code"),
    ({"lines": []}, 422, "invalid_input"),
    ({"lines": [{"product_id": "PID"}], "customer_id": 999999}, 404, "customer_not_found"),
    ({"lines": [{"product_id": "PID"}], "card_number": "nope"}, 404, "card_not_found"),
    ({"lines": [{"product_id": "PID"}], "payments": [{"method": "cash", "amount": "1.001"}]},
     422, "invalid_input"),
    ({"lines": [{"product_id": "PID"}], "payments": [{"method": "card", "amount": "999"}]},
     422, "payment_exceeds_due"),
    ({"lines": [{"product_id": "PID"}], "payments": [{"method": "bonus", "amount": "1"}]},
     422, "bonus_needs_customer"),
    ({"lines": [{"product_id": "PID"}], "payments": [{"method": "coins", "amount": "1"}]},
     422, "invalid_input"),
    ({"lines": [{"product_id": "PID"}], "surprise": 1}, 422, "invalid_input"),
    ({"lines": [{"product_id": "PID"}], "document_date": "2025-01-01T10:00:00Z"},
     403, "forbidden"),
]


@pytest.mark.parametrize(("body", "status", "code"), REJECTIONS)
def test_bad_sales_get_a_clear_error_and_write_nothing(
        client: TestClient, db: Session, writer: dict[str, str], body: dict[str, object],
        status: int, code: str) -> None:
    p = product("10.00")
    text = str(body).replace("'PID'", str(p.id)).replace("'", '"')
    text = text.replace("True", "true").replace("False", "false")
    before = (count(db, Sale), count(db, LedgerEntry))
    r = client.post("/api/sales", headers={**writer, "content-type": "application/json"},
                    content=text)
    assert r.status_code == status, r.text
    assert r.json()["error"] == code and r.json()["detail"]
    assert (count(db, Sale), count(db, LedgerEntry)) == before


def test_malformed_json_is_a_clear_422(client: TestClient, writer: dict[str, str]) -> None:
    r = client.post("/api/sales", headers={**writer, "content-type": "application/json"},
                    content=b'{"lines": [')
    assert (r.status_code, r.json()["error"]) == (422, "malformed_json")


def test_a_huge_body_is_refused_with_413(client: TestClient, writer: dict[str, str]) -> None:
    r = client.post("/api/sales", headers={**writer, "content-type": "application/json"},
                    content=b'{"note": "' + b"x" * 2_000_000 + b'"}')
    assert (r.status_code, r.json()["error"]) == (413, "body_too_large")


def test_returning_more_than_was_sold_is_refused(
        client: TestClient, writer: dict[str, str]) -> None:
    p = product("5.00")
    sale = client.post("/api/sales", headers=writer, json={
        "lines": [{"product_id": p.id, "qty": 1}],
        "payments": [{"method": "cash", "amount": "5"}]}).json()
    r = client.post(f"/api/sales/{sale['id']}/returns", headers=writer,
                    json={"lines": [{"line_id": sale["lines"][0]["id"], "qty": 2}]})
    assert (r.status_code, r.json()["error"]) == (422, "return_exceeds_sold")


def test_voiding_a_paid_sale_is_refused(client: TestClient, writer: dict[str, str]) -> None:
    p = product("5.00")
    sale = client.post("/api/sales", headers=writer, json={
        "lines": [{"product_id": p.id}], "payments": [{"method": "cash", "amount": "5"}]}).json()
    r = client.post(f"/api/sales/{sale['id']}/void", headers=writer)
    assert (r.status_code, r.json()["error"]) == (409, "paid_sale_cannot_be_voided")


def test_unknown_sale_ids_are_404(client: TestClient, writer: dict[str, str]) -> None:
    r = client.get("/api/sales/987654", headers=writer)
    assert (r.status_code, r.json()["error"]) == (404, "sale_not_found")


def test_a_history_import_token_may_date_documents(client: TestClient, db: Session) -> None:
    headers = make_token(db, "sales:write", "history:import")
    p = product("5.00")
    sale = client.post("/api/sales", headers=headers, json={
        "lines": [{"product_id": p.id}], "payments": [{"method": "cash", "amount": "5"}],
        "document_date": "2024-03-01T12:00:00Z"}).json()
    assert sale["paid_at"].startswith("2024-03-01T12:00:00")


def test_a_token_without_the_scope_is_refused(client: TestClient, db: Session) -> None:
    headers = make_token(db, "catalog:read")
    r = client.post("/api/sales", headers=headers, json={"lines": [{"product_id": 1}]})
    assert (r.status_code, r.json()["error"]) == (403, "forbidden")


def test_no_token_no_entry(client: TestClient) -> None:
    assert client.get("/api/sales").status_code == 401
    r = client.get("/api/sales", headers={"Authorization": "Bearer wom_forged"})
    assert (r.status_code, r.json()["error"]) == (401, "not_authenticated")


def test_ids_out_of_the_integer_range_are_a_clear_4xx(
        client: TestClient, writer: dict[str, str]) -> None:
    r = client.get(f"/api/sales/{10**20}", headers=writer)
    assert r.status_code in (404, 422) and r.json()["error"] in ("sale_not_found",
                                                                 "invalid_input")
    r = client.post("/api/sales", headers=writer,
                    json={"lines": [{"product_id": 10**20}]})
    assert r.status_code in (404, 422) and r.json()["error"] in ("product_not_found",
                                                                 "invalid_input")


def test_the_api_document_describes_the_error_shape_it_answers_with(
        client: TestClient, writer: dict[str, str]) -> None:
    doc = client.get("/openapi.json").json()
    answer = doc["paths"]["/api/sales"]["post"]["responses"]["422"]
    assert answer["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ValidationErrorOut")
    shape = doc["components"]["schemas"]["ValidationErrorOut"]
    r = client.post("/api/sales", headers=writer, json={"lines": "none"})
    assert set(r.json()) <= set(shape["properties"]) and r.json()["fields"][0]["field"]
