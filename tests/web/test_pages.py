"""Back-office pages: login, roles, CSRF, throttling, headers and the main forms."""

from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories import GroupFactory, UserFactory
from tests.sales.helpers import bonus, card, give_bonus, product
from tests.web.pages import login
from wordofmouth.audit.models import AuditEvent
from wordofmouth.catalog.models import Product
from wordofmouth.customers.models import Customer
from wordofmouth.sales.models import Sale, SaleStatus
from wordofmouth.settings import service as store_settings

D = Decimal


def test_pages_need_a_login(client: TestClient) -> None:
    r = client.get("/customers", follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/login?next=/customers")


def test_the_home_page_shows_todays_revenue_in_currency_units(client: TestClient,
                                                              db: Session) -> None:
    from tests.sales.helpers import sell

    sell(db, [(product("1234.50"), "1")])
    login(client, "owner")
    page = client.get("/")
    assert "1,234.50" in page.text and "123,450" not in page.text


def test_a_wrong_password_is_refused_and_repeated_failures_are_throttled(
        client: TestClient) -> None:
    user = UserFactory.create(role="owner")
    for _ in range(5):
        page = client.get("/login")
        token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        r = client.post("/login", data={"login": user.login, "password": "wrong-guess",
                                        "csrf_token": token})
        assert r.status_code == 401 and "Wrong login or password" in r.text
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    r = client.post("/login", data={"login": user.login, "password": "correct-horse-1",
                                    "csrf_token": token})
    assert r.status_code == 429 and "Too many failed logins" in r.text


def test_the_session_cookie_is_httponly_and_samesite(client: TestClient) -> None:
    user = UserFactory.create(role="cashier")
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    r = client.post("/login", data={"login": user.login, "password": "correct-horse-1",
                                    "csrf_token": token}, follow_redirects=False)
    cookie = r.headers["set-cookie"].lower()
    assert "wom_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(
        client: TestClient, db: Session) -> None:
    login(client, "owner")
    before = db.scalar(select(func.count(Customer.id)))
    r = client.post("/customers", data={"first_name": "Mallory"})
    assert r.status_code == 403 and "csrf_failed" in r.text
    assert db.scalar(select(func.count(Customer.id))) == before


@pytest.mark.parametrize(("role", "path", "allowed"), [
    ("cashier", "/pos", True), ("cashier", "/customers", True), ("cashier", "/settings", False),
    ("cashier", "/users", False), ("cashier", "/audit", False),
    ("cashier", "/catalog/groups", False), ("manager", "/settings", False),
    ("manager", "/users", False), ("manager", "/audit", True), ("manager", "/sales", True),
    ("owner", "/settings", True), ("owner", "/users", True),
])
def test_roles_see_only_their_pages(client: TestClient, role: str, path: str,
                                    allowed: bool) -> None:
    login(client, role)
    r = client.get(path)
    assert r.status_code == (200 if allowed else 403)


def test_every_page_carries_the_security_headers(client: TestClient) -> None:
    login(client, "owner")
    for path in ("/", "/login", "/customers", "/api/sales", "/docs"):
        headers = client.get(path).headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"


def test_settings_changes_are_saved_and_audited(client: TestClient, db: Session) -> None:
    csrf = login(client, "owner")
    r = client.post("/settings", data={"csrf_token": csrf, "store_name": "Corner",
                                       "currency": "EUR", "bonus_share_percent": "30",
                                       "default_bonus_percent": "1.5", "hold_days": "10"})
    assert r.status_code == 200 and "Settings saved" in r.text
    saved = store_settings.get(db)
    assert (saved.currency, saved.bonus_share_percent, saved.hold_days) == ("EUR", D("30"), 10)
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "settings.change")).one()
    assert event.details["changes"]["currency"] == ["UAH", "EUR"]


def test_bad_settings_get_a_readable_message(client: TestClient) -> None:
    csrf = login(client, "owner")
    r = client.post("/settings", data={"csrf_token": csrf, "store_name": "Corner",
                                       "currency": "UAH", "bonus_share_percent": "150",
                                       "default_bonus_percent": "0", "hold_days": "14"})
    assert r.status_code == 422 and "must be 0–100" in r.text


def test_a_manager_adds_a_product_to_a_group(client: TestClient, db: Session) -> None:
    group = GroupFactory.create(name="Shampoos")
    csrf = login(client, "manager")
    r = client.post("/catalog/products", data={
        "csrf_token": csrf, "sku": "SH-1", "name": "Volume shampoo", "group_id": str(group.id),
        "price": "265,00", "cost_price": "131", "barcode": "4820000009995"})
    assert r.status_code == 200 and "Volume shampoo added" in r.text
    saved = db.scalars(select(Product).where(Product.sku == "SH-1")).one()
    assert (saved.price, saved.cost_price) == (D("265.00"), D("131.00"))


def test_a_cashier_registers_a_customer_with_a_card(client: TestClient, db: Session) -> None:
    csrf = login(client, "cashier")
    r = client.post("/customers", data={"csrf_token": csrf, "first_name": "Oksana",
                                        "last_name": "Shevchenko", "phone": "+380671234567",
                                        "issue_card": "on", "consent_sms": "on"})
    assert r.status_code == 200 and "Oksana Shevchenko added" in r.text
    customer = db.scalars(select(Customer).where(Customer.first_name == "Oksana")).one()
    assert customer.main_card is not None and customer.consent_sms


def test_the_pos_sells_with_a_card_and_bonuses(client: TestClient, db: Session) -> None:
    c = card(discount="5")
    give_bonus(db, c.customer_id, "100.00")
    p = product("200.00")
    csrf = login(client, "cashier")
    hx = {"HX-Request": "true", "X-CSRF-Token": csrf}
    r = client.post("/pos/scan", headers=hx, data={"code": c.number, "sale_id": ""})
    sale_id = int(r.text.split('data-sale-id="')[1].split('"')[0])
    client.post("/pos/scan", headers=hx, data={"code": p.barcode, "sale_id": str(sale_id)})
    r = client.post("/pos/scan", headers=hx, data={"code": p.barcode, "sale_id": str(sale_id)})
    assert 'id="pos-total">380.00' in r.text
    r = client.post(f"/pos/{sale_id}/pay", headers=hx,
                    data={"bonus": "100", "card": "0", "cash": "300"})
    assert "Paid. Change: 20.00." in r.text
    sale = db.get(Sale, sale_id)
    assert sale is not None and sale.status == SaleStatus.PAID
    assert bonus(db, c.customer_id) == D("0.00")


def test_the_pos_says_why_a_scan_failed_and_keeps_the_basket(
        client: TestClient, db: Session) -> None:
    csrf = login(client, "cashier")
    hx = {"HX-Request": "true", "X-CSRF-Token": csrf}
    before = db.scalar(select(func.count(Sale.id)))
    r = client.post("/pos/scan", headers=hx, data={"code": "no-such-thing", "sale_id": ""})
    assert r.status_code == 200 and "Nothing and nobody matches" in r.text  # maybe a name
    r = client.post("/pos/scan", headers=hx, data={"code": "4820000000999", "sale_id": ""})
    assert r.status_code == 200 and "Nothing matches &#39;4820000000999&#39;" in r.text
    assert db.scalar(select(func.count(Sale.id))) == before


def test_a_return_from_the_receipt_page(client: TestClient, db: Session) -> None:
    p = product("60.00")
    csrf = login(client, "cashier")
    hx = {"HX-Request": "true", "X-CSRF-Token": csrf}
    r = client.post("/pos/scan", headers=hx, data={"code": f"3*{p.sku}", "sale_id": ""})
    sale_id = int(r.text.split('data-sale-id="')[1].split('"')[0])
    client.post(f"/pos/{sale_id}/pay", headers=hx, data={"cash": "180"})
    sale = db.get(Sale, sale_id)
    assert sale is not None
    r = client.post(f"/sales/{sale_id}/returns", data={
        "csrf_token": csrf, f"qty_{sale.lines[0].id}": "2", "reason": "wrong shade"})
    assert r.status_code == 200 and "120.00 given back" in r.text
    r = client.post(f"/sales/{sale_id}/returns", data={
        "csrf_token": csrf, f"qty_{sale.lines[0].id}": "2"})
    assert r.status_code == 422 and "1 can still be returned" in r.text
