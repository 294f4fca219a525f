"""Changing what the store keeps through the API: a PATCH changes the fields given and
keeps the rest (a customer's phone, a product's price), for customers, cards, products,
groups and the store settings."""

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.conftest import make_token
from tests.factories import CardFactory, CustomerFactory, GroupFactory
from tests.sales.helpers import product
from wordofmouth.settings import service as store_settings


def test_a_patch_changes_only_what_it_names(client: TestClient, db: Session) -> None:
    h = make_token(db, "customers:read", "customers:write", "catalog:write")
    olena = CustomerFactory.create(first_name="Olena", phone="+380501112233",
                                   email="olena@example.com", consent_sms=True)
    r = client.patch(f"/api/customers/{olena.id}", headers=h, json={"last_name": "Kovalenko"})
    assert r.status_code == 200, r.text
    got = r.json()
    assert (got["last_name"], got["phone"], got["email"], got["consent_sms"]) == (
        "Kovalenko", "+380501112233", "olena@example.com", True)
    r = client.patch(f"/api/customers/{olena.id}", headers=h, json={"phone": "050 999 88 77"})
    assert r.json()["phone"] == "+380509998877"  # the store's country read into it
    card = CardFactory.create(customer_id=olena.id)
    r = client.patch(f"/api/customers/{olena.id}/cards/{card.id}", headers=h,
                     json={"discount_percent": "7"})
    assert (r.json()["discount_percent"], r.json()["active"]) == ("7", True)
    other = CustomerFactory.create()
    r = client.patch(f"/api/customers/{other.id}/cards/{card.id}", headers=h,
                     json={"active": False})
    assert r.status_code == 404 and r.json()["error"] == "card_not_found"
    r = client.post(f"/api/customers/{olena.id}/notes", headers=h,
                    json={"text": "Asked for size 38"})
    assert r.status_code == 201
    notes = client.get(f"/api/customers/{olena.id}/contacts", headers=h).json()
    assert [(n["kind"], n["text"]) for n in notes] == [("note", "Asked for size 38")]

    shampoo = product("99.00")
    r = client.patch(f"/api/products/{shampoo.id}", headers=h, json={"price": "109.00"})
    assert (r.json()["price"], r.json()["name"], r.json()["active"]) == (
        "109.00", shampoo.name, True)
    care, hair = GroupFactory.create(name="Care"), GroupFactory.create(name="Hair")
    r = client.patch(f"/api/groups/{hair.id}", headers=h, json={"parent_id": care.id})
    assert (r.json()["name"], r.json()["parent_id"]) == ("Hair", care.id)
    r = client.patch(f"/api/groups/{care.id}", headers=h, json={"parent_id": hair.id})
    assert r.status_code == 422 and r.json()["error"] == "group_cycle"


def test_the_store_settings_through_the_api(client: TestClient, db: Session) -> None:
    h = make_token(db, "settings:read", "settings:write")
    r = client.patch("/api/settings", headers=h, json={"store_name": "Kvitka",
                                                        "bonus_share_percent": "30"})
    assert r.status_code == 200 and r.json()["store_name"] == "Kvitka"
    assert store_settings.get(db).bonus_share_percent == 30
    bad = client.patch("/api/settings", headers=h, json={"time_zone": "Mars/Olympus"})
    assert bad.status_code == 422 and store_settings.get(db).time_zone == "Europe/Kyiv"
    assert client.get("/api/settings", headers=h).json()["currency"] == "UAH"
    assert client.patch("/api/settings", headers=make_token(db, "settings:read"),
                        json={"store_name": "X"}).status_code == 403
