"""The partner portal shows a partner its own figures only, customers masked."""

import re
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import CardFactory, CustomerFactory, UserFactory
from tests.partners.helpers import partner
from tests.sales.helpers import product, sell
from wordofmouth.partners import codes, payouts
from wordofmouth.partners import service as partners

D = Decimal


def portal_login(client: TestClient, partner_id: int) -> None:
    user = UserFactory.create(role="partner", partner_id=partner_id)
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    client.post("/login", data={"login": user.login, "password": "correct-horse-1",
                                "csrf_token": token.group(1)})


def shop(db: Session) -> dict[str, int]:
    anna, max_ = partner(db, rate="10"), partner(db, "Blogger Max")
    mine = CustomerFactory.create(first_name="Olena", last_name="Kovalenko", phone="+380501112233")
    card = CardFactory.create(customer_id=mine.id)
    theirs = CardFactory.create().customer_id
    partners.link(db, mine.id, anna.id, actor="c")
    partners.link(db, theirs, max_.id, actor="c")
    sell(db, [(product("300.00"), "1")], card_number=card.number)
    anna_code = codes.create_code(db, partner_id=anna.id, code="ANNA10")
    max_code = codes.create_code(db, partner_id=max_.id, code="MAX10")
    payouts.pay_out(db, max_.id, amount=D("1.00"), method="cash", actor="o", may_override=True,
                       override_reason="advance")
    max_payout = db.query(payouts.Payout).filter_by(partner_id=max_.id).one()
    return {"anna": anna.id, "mine": mine.id, "theirs": theirs, "anna_code": anna_code.id,
            "max_code": max_code.id, "max_payout": max_payout.id}


def test_the_partner_sees_own_customers_masked(client: TestClient, db: Session) -> None:
    ids = shop(db)
    portal_login(client, ids["anna"])
    page = client.get("/portal")
    assert page.status_code == 200
    assert "Olena K." in page.text and "Kovalenko" not in page.text
    assert "+380501112233" not in page.text and "@example.com" not in page.text
    assert 'id="portal-customers">1<' in page.text and "30.00" in page.text


def test_every_portal_route_refuses_another_partners_ids(client: TestClient,
                                                         db: Session) -> None:
    ids = shop(db)
    portal_login(client, ids["anna"])
    assert client.get(f"/portal/customers/{ids['mine']}").status_code == 200
    assert client.get(f"/portal/codes/{ids['anna_code']}").status_code == 200
    for path in (f"/portal/customers/{ids['theirs']}", f"/portal/codes/{ids['max_code']}",
                 f"/portal/payouts/{ids['max_payout']}", "/portal/customers/999999"):
        assert client.get(path).status_code == 404, path


def test_a_partner_user_cannot_open_the_back_office(client: TestClient, db: Session) -> None:
    ids = shop(db)
    portal_login(client, ids["anna"])
    for path in ("/customers", "/partners", "/sales", "/pos", "/analysis/bonus"):
        assert client.get(path).status_code == 403, path
    assert client.get("/", follow_redirects=False).headers["location"] == "/portal"
