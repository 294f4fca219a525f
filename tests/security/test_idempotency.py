"""Every write of the API takes an Idempotency-Key: the same key and body a second time
replays the first answer and changes nothing. The table below must name every write route
the application has (a new route fails this test until it is added)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.club.helpers import buy, member_card, switch_on
from tests.conftest import make_token
from tests.factories import CardFactory, CustomerFactory, GroupFactory
from tests.friends.helpers import campaign, codes
from tests.partners.helpers import partner
from tests.sales.helpers import card, product, sell
from tests.storefront.helpers import keyed
from wordofmouth.auth.permissions import SCOPES
from wordofmouth.club import service as club
from wordofmouth.db import Base, utcnow
from wordofmouth.mailing import service as mailing
from wordofmouth.partners import commission, offers
from wordofmouth.partners import service as partners
from wordofmouth.sales import service as sales
from wordofmouth.settings import service as store_settings
from wordofmouth.storefront import keys, orders
from wordofmouth.webhooks import service as webhooks
from wordofmouth.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

D = Decimal
Recipe = Callable[[Session], tuple[str, "dict[str, Any] | Upload | None"]]
# Writes that change nothing, so there is nothing to repeat.
READS_BY_POST = {("post", "/api/friend-codes/validate"), ("post", "/api/mailings/preview"),
                 ("post", "/api/mailings/test")}


def _open_sale(db: Session) -> int:
    return sales.create_sale(db, sales.SaleDraft(
        lines=[sales.LineDraft(product_id=product("50.00").id)]),
        actor="t", channel="api").id


def _invoice(db: Session) -> int:
    return sales.create_sale(db, sales.SaleDraft(
        lines=[sales.LineDraft(product_id=product("80.00").id)],
        customer_id=CustomerFactory.create().id, kind=sales.SaleKind.INVOICE),
        actor="t", channel="api").id


def _payable(db: Session) -> int:
    p = partner(db, "Payee")
    c = card()
    partners.link(db, c.customer_id, p.id, source="manual", actor="t")
    sell(db, [(product("1000.00"), "1")], card_number=c.number)
    commission.mature(db, now=utcnow() + timedelta(days=30))
    return p.id


def _order(db: Session) -> str:
    orders.report(db, external_id="idem-o", account_external_id="idem-a", email=None,
                  lines=[orders.OrderLine(D("40.00"), group_id=GroupFactory.create().id)],
                  token=None, ordered_at=utcnow(), actor="t")
    return "idem-o"


def _hook(db: Session) -> WebhookEndpoint:
    return webhooks.create_endpoint(db, url="https://erp.example/hooks", actor="t")


def _delivered(db: Session) -> WebhookDelivery:
    _hook(db)
    sell(db, [(product("10.00"), "1")])
    found = db.scalars(select(WebhookDelivery)).one()
    found.status = DeliveryStatus.DELIVERED
    db.flush()
    return found


def _held(db: Session) -> tuple[int, int]:
    """A partner and a sale whose commission is held for review (the buyer has the
    partner's phone)."""
    gym = partner(db, "Gym Olymp")
    gym.phone = "067 975 76 31"
    customer = CustomerFactory.create(phone="+380679757631")
    c = CardFactory.create(customer_id=customer.id)
    partners.link(db, customer.id, gym.id, actor="t")
    return gym.id, sell(db, [(product("100.00"), "1")], card_number=c.number).id


def _candidate(db: Session) -> int:
    switch_on(db, started_day=store_settings.today(db) - 5)
    c = member_card()
    buy(db, c, "5000.00", store_settings.today(db) - 1)
    club.run_review(db, day=store_settings.today(db) - 1)
    return c.customer_id


def _with_email(db: Session) -> int:
    p = partner(db)
    p.email = "anna@example.com"
    return p.id


def _mailing(db: Session) -> int:
    customer = CustomerFactory.create(email="olena@example.com", consent_email=True)
    return mailing.create(db, channel="email", subject="Hi", body="Hi {first_name}",
                          customer_ids=[customer.id], actor="t").id


@dataclass(frozen=True)
class Upload:
    """A multipart body: form fields and files."""

    data: dict[str, str]
    files: dict[str, tuple[str, bytes, str]]


RECIPES: dict[tuple[str, str], Recipe] = {
    ("post", "/api/history/imports"): lambda db: ("/api/history/imports", Upload(
        {"kind": "customers"}, {"file": ("people.csv", b"card;first_name\n2000000000017;Olena\n",
                                         "text/csv")})),
    ("patch", "/api/groups/{group_id}"): lambda db: (
        f"/api/groups/{GroupFactory.create().id}", {"name": "Skin care"}),
    ("patch", "/api/products/{product_id}"): lambda db: (
        f"/api/products/{product('10.00').id}", {"price": "12.00"}),
    ("patch", "/api/customers/{customer_id}"): lambda db: (
        f"/api/customers/{CustomerFactory.create().id}", {"last_name": "Kovalenko"}),
    ("patch", "/api/customers/{customer_id}/cards/{card_id}"): lambda db: (lambda c: (
        f"/api/customers/{c.customer_id}/cards/{c.id}", {"discount_percent": "5"}))(
        CardFactory.create()),
    ("post", "/api/customers/{customer_id}/notes"): lambda db: (
        f"/api/customers/{CustomerFactory.create().id}/notes", {"text": "Asked for size 38"}),
    ("post", "/api/friend-campaigns"): lambda db: ("/api/friend-campaigns", {
        "name": "Spring", "validity_days": 30, "friend_discount_percent": "10",
        "bonus_rule": "fixed", "bonus_amount": "50.00"}),
    ("patch", "/api/friend-campaigns/{campaign_id}"): lambda db: (
        f"/api/friend-campaigns/{campaign(db).id}", {"active": False}),
    ("patch", "/api/club/settings"): lambda db: ("/api/club/settings", {"enabled": True}),
    ("post", "/api/club/decisions"): lambda db: ("/api/club/decisions", {
        "action": "grant", "customer_ids": [_candidate(db)]}),
    ("post", "/api/club/review"): lambda db: (switch_on(db), ("/api/club/review", {}))[1],
    ("post", "/api/analysis/activity/discount"): lambda db: ("/api/analysis/activity/discount", {
        "customer_ids": [CardFactory.create().customer_id], "discount_percent": "7"}),
    ("post", "/api/analysis/activity/club"): lambda db: (switch_on(db), (
        "/api/analysis/activity/club", {"customer_ids": [CustomerFactory.create().id]}))[1],
    ("post", "/api/mailings"): lambda db: ("/api/mailings", {
        "body": "Hi {first_name}", "subject": "Spring", "customer_ids": [
            CustomerFactory.create(email="iryna@example.com", consent_email=True).id]}),
    ("post", "/api/mailings/{mailing_id}/retry"): lambda db: (
        f"/api/mailings/{_mailing(db)}/retry", None),
    ("patch", "/api/mailing/settings"): lambda db: ("/api/mailing/settings",
                                                    {"sender_name": "Kvitka"}),
    ("post", "/api/customers/{customer_id}/bonus/opening"): lambda db: (
        f"/api/customers/{CustomerFactory.create().id}/bonus/opening", {"amount": "120.50"}),
    ("patch", "/api/settings"): lambda db: ("/api/settings", {"store_name": "Kvitka"}),
    ("post", "/api/commission/mature"): lambda db: ("/api/commission/mature", {}),
    ("patch", "/api/partners/{partner_id}/employees/{employee_id}"): lambda db: (lambda p: (
        f"/api/partners/{p.id}/employees/{partners.add_employee(db, p.id, name='Taras').id}",
        {"phone": "+380501112233"}))(partner(db)),
    ("post", "/api/partners/{partner_id}/offers"): lambda db: (
        f"/api/partners/{partner(db).id}/offers", {"name": "Spring", "discount_percent": "10"}),
    ("patch", "/api/partners/{partner_id}/offers/{offer_id}"): lambda db: (lambda p: (
        f"/api/partners/{p.id}/offers/"
        f"{offers.create_offer(db, p.id, name='Spring', discount_percent=D('10'), actor='t').id}",
        {"active": False}))(partner(db)),
    ("put", "/api/partners/{partner_id}/own-card"): lambda db: (
        f"/api/partners/{partner(db).id}/own-card", {"card_number": CardFactory.create().number}),
    ("post", "/api/partners/{partner_id}/reviews/{sale_id}"): lambda db: (lambda held: (
        f"/api/partners/{held[0]}/reviews/{held[1]}", {"decision": "reject"}))(_held(db)),
    ("post", "/api/partners/{partner_id}/statement/email"): lambda db: (
        f"/api/partners/{_with_email(db)}/statement/email",
        {"date_from": "2026-11-01", "date_to": "2026-11-30"}),
    ("post", "/api/groups"): lambda db: ("/api/groups", {"name": "Hair care"}),
    ("post", "/api/products"): lambda db: ("/api/products", {
        "sku": "IDEM-1", "name": "Shampoo", "group_id": GroupFactory.create().id,
        "price": "99.00"}),
    ("post", "/api/customers"): lambda db: ("/api/customers", {"first_name": "Olena"}),
    ("post", "/api/customers/{customer_id}/cards"): lambda db: (
        f"/api/customers/{CustomerFactory.create().id}/cards", {}),
    ("post", "/api/sales"): lambda db: ("/api/sales", {
        "lines": [{"product_id": product("10.00").id}]}),
    ("post", "/api/sales/{sale_id}/payments"): lambda db: (
        f"/api/sales/{_open_sale(db)}/payments",
        {"payments": [{"method": "cash", "amount": "50.00"}]}),
    ("post", "/api/sales/{sale_id}/void"): lambda db: (f"/api/sales/{_open_sale(db)}/void",
                                                        None),
    ("post", "/api/sales/{sale_id}/returns"): lambda db: (lambda s: (
        f"/api/sales/{s.id}/returns", {"lines": [{"line_id": s.lines[0].id, "qty": "1"}]}))(
        sell(db, [(product("30.00"), "2")])),
    ("post", "/api/invoices"): lambda db: ("/api/invoices", {
        "customer_id": CustomerFactory.create().id, "lines": [{"product_id": product("5.00").id}]}),
    ("post", "/api/invoices/{sale_id}/pay"): lambda db: (
        f"/api/invoices/{_invoice(db)}/pay",
        {"payments": [{"method": "bank", "amount": "30.00"}]}),
    ("post", "/api/sales/{sale_id}/codes"): lambda db: (lambda sale_id, code: (
        f"/api/sales/{sale_id}/codes", {"code": code}))(
        _open_sale(db), codes(db, campaign(db))[1][0].code),
    ("post", "/api/customers/{customer_id}/friend-codes"): lambda db: (
        f"/api/customers/{CardFactory.create().customer_id}/friend-codes",
        {"campaign_id": campaign(db).id, "count": 3}),
    ("post", "/api/partners"): lambda db: ("/api/partners", {"name": "Gym"}),
    ("patch", "/api/partners/{partner_id}"): lambda db: (
        f"/api/partners/{partner(db).id}", {"name": "Salon Anna"}),
    ("post", "/api/partners/{partner_id}/employees"): lambda db: (
        f"/api/partners/{partner(db).id}/employees", {"name": "Iryna"}),
    ("put", "/api/partners/{partner_id}/terms"): lambda db: (
        f"/api/partners/{partner(db).id}/terms", {"default_rate": "12.5"}),
    ("post", "/api/partners/{partner_id}/codes"): lambda db: (
        f"/api/partners/{partner(db).id}/codes", {"code": "ANNA-10"}),
    ("post", "/api/customers/{customer_id}/partner"): lambda db: (
        f"/api/customers/{CustomerFactory.create().id}/partner", {"partner_id": partner(db).id}),
    ("post", "/api/partners/{partner_id}/payouts"): lambda db: (
        f"/api/partners/{_payable(db)}/payouts", {"amount": "50.00", "method": "cash"}),
    ("post", "/api/storefront/orders"): lambda db: ("/api/storefront/orders", {
        "external_id": "idem-new", "account": {"external_id": "acc-idem"},
        "lines": [{"amount": "25.00", "group_id": GroupFactory.create().id}]}),
    ("post", "/api/storefront/orders/{external_id}/refunds"): lambda db: (
        f"/api/storefront/orders/{_order(db)}/refunds", {"lines": [1]}),
    ("post", "/api/partners/{partner_id}/keys"): lambda db: (
        f"/api/partners/{keyed(db, 'K', 'k1').id}/keys", {"key": "Anna.2026"}),
    ("patch", "/api/partners/{partner_id}/keys/{key_id}"): lambda db: (lambda p: (
        f"/api/partners/{p.id}/keys/{keys.keys_of(db, p.id)[0].id}", {"active": False}))(
        keyed(db, 'K', 'k1')),
    ("post", "/api/webhooks"): lambda db: ("/api/webhooks", {
        "url": "https://erp.example/hooks", "events": ["sale.paid"]}),
    ("patch", "/api/webhooks/{endpoint_id}"): lambda db: (
        f"/api/webhooks/{_hook(db).id}", {"active": False}),
    ("post", "/api/webhooks/{endpoint_id}/rotate"): lambda db: (
        f"/api/webhooks/{_hook(db).id}/rotate", None),
    ("post", "/api/webhooks/{endpoint_id}/deliveries/{delivery_id}/redeliver"): lambda db: (
        lambda d: (f"/api/webhooks/{d.endpoint_id}/deliveries/{d.id}/redeliver", None))(
        _delivered(db)),
    ("patch", "/api/storefront/settings"): lambda db: (
        "/api/storefront/settings", {"cookie_days": 14, "attribution": "first"}),
}


def write_routes(app: Any) -> set[tuple[str, str]]:
    return {(method, path) for path, ops in app.openapi()["paths"].items()
            for method in ops if method in ("post", "put", "patch", "delete")}


def test_every_write_route_is_in_the_table(app: Any) -> None:
    assert write_routes(app) - READS_BY_POST == set(RECIPES)


def rows(db: Session) -> dict[str, int]:
    db.expire_all()
    return {t.name: db.scalar(select(func.count()).select_from(t)) or 0
            for t in Base.metadata.sorted_tables}


@pytest.mark.parametrize("route", sorted(RECIPES), ids=lambda r: f"{r[0]} {r[1]}")
def test_a_retried_write_has_one_effect(client: TestClient, db: Session,
                                        route: tuple[str, str]) -> None:
    headers = make_token(db, *SCOPES) | {"Idempotency-Key": f"retry-{route[1]}"}
    path, body = RECIPES[route](db)
    db.flush()
    sent: dict[str, Any] = {"data": body.data, "files": body.files} \
        if isinstance(body, Upload) else {"json": body}
    first = client.request(route[0].upper(), path, headers=headers, **sent)
    assert 200 <= first.status_code < 300, first.text
    after_first = rows(db)
    again = client.request(route[0].upper(), path, headers=headers, **sent)
    assert again.status_code == first.status_code and again.json() == first.json()
    assert again.headers.get("idempotent-replayed") == "true"
    assert rows(db) == after_first
