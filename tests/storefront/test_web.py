"""The storefront API, the partner's links and QR codes, the reward statement (page, CSV,
PDF) for the owner and in the portal."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.conftest import make_token
from tests.factories import GroupFactory
from tests.storefront.helpers import keyed
from tests.web.pages import login, partner_login
from wordofmouth.db import utcnow
from wordofmouth.storefront import orders, tokens
from wordofmouth.storefront.models import PartnerKey, StorefrontOrder


def storefront_token(db: Session) -> dict[str, str]:
    return make_token(db, "storefront:orders")


def test_the_storefront_reports_an_order_and_a_refund(client: TestClient, db: Session) -> None:
    carter = keyed(db, "Carter", "carter81", rate="10")
    group = GroupFactory.create(name="Hosting")
    h = storefront_token(db) | {"Idempotency-Key": "order-1"}
    body = {"external_id": "SO-1", "account": {"external_id": "A-1", "email": "a1@example.com"},
            "lines": [{"group_id": group.id, "amount": "300.00",
                       "kind": "subscription_activation"}],
            "referral_token": tokens.issue(carter.id, "carter81")}
    first = client.post("/api/storefront/orders", json=body, headers=h)
    again = client.post("/api/storefront/orders", json=body, headers=h)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert db.query(StorefrontOrder).count() == 1
    got = first.json()
    assert (got["decision"], got["partner_id"], got["net_total"], got["commission"]) == (
        "attributed", carter.id, "300.00", "30.00")
    r = client.post("/api/storefront/orders/SO-1/refunds", json={"lines": [1]},
                    headers=storefront_token(db))
    assert (r.json()["refunded"], r.json()["commission"]) == ("300.00", "0.00")
    bad = [({**body, "external_id": "SO-2", "lines": [{"amount": "1.00"}]}, 422),
           ({**body, "external_id": "SO-3", "ordered_at": "2026-11-01T10:00:00"}, 422),
           ({**body, "external_id": "SO-4", "lines": [{"group_id": 999999,
                                                       "amount": "1.00"}]}, 404),
           ({**body}, 409)]
    for payload, status in bad:
        r = client.post("/api/storefront/orders", json=payload, headers=storefront_token(db))
        assert r.status_code == status, (payload, r.text)
        assert set(r.json()) >= {"error", "detail"}
    assert client.post("/api/storefront/orders", json=body,
                       headers=make_token(db, "sales:write")).status_code == 403


def test_keys_through_the_api_and_the_partner_page(client: TestClient, db: Session) -> None:
    carter = keyed(db, "Carter", "carter81")
    h = make_token(db, "partners:read", "partners:write")
    r = client.post(f"/api/partners/{carter.id}/keys", json={"key": "Carter.Spring-26"},
                    headers=h)
    assert r.status_code == 201
    assert r.json()["short_link"] == "http://127.0.0.1:8000/r/Carter.Spring-26"
    assert r.json()["storefront_link"] == "https://shop.example/?ref=Carter.Spring-26"
    for key, status, code in (("carter 81", 422, "malformed_partner_key"),
                              ("carter81", 409, "duplicate_partner_key"),
                              ("x" * 65, 422, "malformed_partner_key")):
        r = client.post(f"/api/partners/{carter.id}/keys", json={"key": key}, headers=h)
        assert (r.status_code, r.json()["error"]) == (status, code)
    csrf = login(client, "owner")
    r = client.post(f"/partners/{carter.id}/keys", data={"csrf_token": csrf, "key": "a/b"})
    assert r.status_code == 422
    page = client.get(f"/partners/{carter.id}").text
    assert "https://shop.example/?ref=carter81" in page and "/r/carter81" in page
    key_id = re.search(rf"/partners/{carter.id}/keys/(\d+)/qr-short.png", page)
    assert key_id is not None
    png = client.get(f"/partners/{carter.id}/keys/{key_id.group(1)}/qr-short.png")
    assert png.headers["content-type"] == "image/png" and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    svg = client.get(f"/partners/{carter.id}/keys/{key_id.group(1)}/qr-short.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml") and b"<svg" in svg.content


def test_the_reward_statement_for_the_owner_and_in_the_portal(client: TestClient,
                                                              db: Session) -> None:
    carter, other = keyed(db, "Carter", "carter81"), keyed(db, "Other", "other1")
    group = GroupFactory.create()
    for n, kind in ((1, "subscription_activation"), (2, "one_time")):
        orders.report(db, external_id=f"SO-{n}", account_external_id=f"A-{n}", email=None,
                      lines=[orders.OrderLine(Decimal("100.00"), kind, group_id=group.id)],
                      token=tokens.issue(carter.id, "carter81"), ordered_at=utcnow(),
                      actor="s")
    login(client, "owner")
    page = client.get(f"/partners/{carter.id}/statement")
    assert page.status_code == 200
    assert 'id="st-accounts">2<' in page.text and 'id="st-orders">2<' in page.text
    assert 'id="st-activations">1<' in page.text and 'id="st-commission">20.00<' in page.text
    rows = list(csv.DictReader(io.StringIO(
        client.get(f"/partners/{carter.id}/statement?fmt=orders").text)))
    assert [r["order"] for r in rows] == ["SO-1", "SO-2"]
    rows = list(csv.DictReader(io.StringIO(
        client.get(f"/partners/{carter.id}/statement?fmt=csv").text)))
    assert [(r["source"], r["amount"]) for r in rows] == [
        ("Storefront orders and subscriptions", "10.00")] * 2
    pdf = client.get(f"/partners/{carter.id}/statement?fmt=pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"
    partner_login(client, carter.id)
    mine = client.get("/portal/statement")
    assert mine.status_code == 200 and 'id="st-orders">2<' in mine.text
    assert "/r/carter81" in client.get("/portal/links").text
    other_key = db.query(PartnerKey).filter_by(partner_id=other.id).one()
    assert client.get(f"/portal/keys/{other_key.id}/qr-short.png").status_code == 404
    assert client.get(f"/partners/{other.id}/statement").status_code == 403


def test_a_partner_never_sees_an_accounts_e_mail(client: TestClient, db: Session) -> None:
    carter = keyed(db, "Carter", "carter81")
    group = GroupFactory.create()
    orders.report(db, external_id="SO-9", account_external_id="jane.doe.1984@mail.example",
                  email="jane.doe.1984@mail.example",
                  lines=[orders.OrderLine(Decimal("100.00"), group_id=group.id)],
                  token=tokens.issue(carter.id, "carter81"), ordered_at=utcnow(), actor="s")
    partner_login(client, carter.id)
    pages = [client.get(p).text for p in ("/portal", "/portal/statement",
                                          "/portal/statement?fmt=orders",
                                          "/portal/statement?fmt=csv")]
    assert all("jane.doe" not in page and "1984" not in page for page in pages)
    assert "Покупець інтернет-магазину" in pages[0]  # named in the store's language
    assert "ja…@m…" in pages[1], pages[1][-3000:]
    assert "ja…@m…" in pages[2]


def test_markup_in_a_partner_name_is_printed_not_obeyed(client: TestClient, db: Session,
                                                        tmp_path: object) -> None:
    from pathlib import Path

    import segno

    assert isinstance(tmp_path, Path)
    picture = tmp_path / "secret.png"
    segno.make("on the server's disk").save(str(picture))
    for name in (f'<img src="{picture}" width="50" height="50"/>', '<img src="/etc/passwd"/>',
                 "<b>unclosed & odd"):
        p = keyed(db, name, f"k{abs(hash(name)) % 10**6}")
        login(client, "owner")
        pdf = client.get(f"/partners/{p.id}/statement?fmt=pdf")
        assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-", pdf.text[:300]
        assert b"/Subtype /Image" not in pdf.content  # no file from the disk was embedded
