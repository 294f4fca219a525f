"""The three commission rules as a store owner checks them, with the exact figures: a
return takes back the returned line's commission, an N-month term starts at the link, and
the statement counts every source (tests/partners/test_settlement.py)."""

from datetime import timedelta
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.conftest import make_token
from tests.factories import CardFactory, GroupFactory, ProductFactory
from tests.partners.helpers import partner
from tests.sales.helpers import sell
from wordofmouth.catalog.models import Product
from wordofmouth.db import utcnow
from wordofmouth.partners import commission
from wordofmouth.partners import service as partners
from wordofmouth.partners.models import SaleAttribution
from wordofmouth.sales import payments, returns, service
from wordofmouth.sales.models import PaymentMethod

D = Decimal


def _whey_and_tee(db: Session) -> tuple[int, str, Product, Product]:
    whey = GroupFactory.create(name="WHEY")
    apparel = GroupFactory.create(name="Apparel")
    gym = partner(db, "Gym Olymp", rate="0", rates={whey.id: D("5"), apparel.id: D("2")})
    card = CardFactory.create()
    partners.link(db, card.customer_id, gym.id, actor="cashier")
    protein = ProductFactory.create(name="Whey 2 kg", price=D("1000.00"), group_id=whey.id)
    tee = ProductFactory.create(name="Tee", price=D("250.00"), group_id=apparel.id)
    return gym.id, card.number, protein, tee


def test_returning_a_line_takes_back_the_commission_that_line_earned(
        client: TestClient, db: Session) -> None:
    gym, card, protein, shirt = _whey_and_tee(db)
    whey, tee = protein.id, shirt.id
    h = make_token(db, "sales:read", "sales:write", "partners:read")
    r = client.post("/api/sales", headers=h, json={
        "card_number": card, "lines": [{"product_id": whey, "qty": "1"},
                                       {"product_id": tee, "qty": "2"}]})
    assert r.status_code == 201, r.text
    sale = r.json()
    assert sale["net_total"] == "1500.00"
    r = client.post(f"/api/sales/{sale['id']}/payments", headers=h,
                    json={"payments": [{"method": "cash", "amount": "1500.00"}]})
    assert r.status_code == 200, r.text
    assert client.get(f"/api/partners/{gym}/balance", headers=h).json()["pending"] == "60.00"

    tee_line = next(ln["id"] for ln in sale["lines"] if ln["product_id"] == tee)
    whey_line = next(ln["id"] for ln in sale["lines"] if ln["product_id"] == whey)
    r = client.post(f"/api/sales/{sale['id']}/returns", headers=h,
                    json={"lines": [{"line_id": tee_line, "qty": "1"}]})
    assert r.status_code == 201, r.text
    # one of two tees (250.00 at 2 %): 5.00 back, not 60 × 250 / 1 500 = 10.00
    assert client.get(f"/api/partners/{gym}/balance", headers=h).json()["pending"] == "55.00"
    r = client.post(f"/api/sales/{sale['id']}/returns", headers=h,
                    json={"lines": [{"line_id": tee_line, "qty": "1"}]})
    b = client.get(f"/api/partners/{gym}/balance", headers=h).json()
    assert (b["pending"], b["reversed"]) == ("50.00", "10.00")  # the whey's 50 stays
    client.post(f"/api/sales/{sale['id']}/returns", headers=h,
                json={"lines": [{"line_id": whey_line, "qty": "1"}]})
    assert client.get(f"/api/partners/{gym}/balance", headers=h).json()["pending"] == "0.00"


def test_a_line_returned_after_the_hold_comes_out_of_payable_at_its_own_rate(
        db: Session) -> None:
    gym, card, whey, tee = _whey_and_tee(db)
    sale = sell(db, [(whey, "1"), (tee, "2")], card_number=card)
    commission.mature(db, now=utcnow() + timedelta(days=15))
    # the terms change later: the return still takes back what the tees earned then
    commission.set_terms(db, gym, default_rate=D("30"), months=None, rates={}, actor="owner")
    tee_line = next(ln for ln in sale.lines if ln.product_id == tee.id)
    returns.return_items(db, sale.id, [returns.ReturnItem(tee_line.id, D("2"))], actor="t")
    b = commission.balance(db, gym)
    assert (b.pending, b.payable, b.reversed) == (D("0.00"), D("50.00"), D("10.00"))


def test_a_purchase_dated_before_the_link_earns_nothing(db: Session) -> None:
    salon = partner(db, "Salon Lily", rate="10", months=3)
    card = CardFactory.create()
    partners.link(db, card.customer_id, salon.id, actor="cashier")
    item = ProductFactory.create(price=D("400.00"))

    def bought(days_ago: int) -> Decimal:
        sale = service.create_sale(db, service.SaleDraft(
            lines=[service.LineDraft(product_id=item.id)], card_number=card.number),
            actor="import", channel="office")
        payments.pay(db, sale.id, [payments.PaymentDraft(PaymentMethod.CASH, D("400.00"))],
                     paid_at=utcnow() - timedelta(days=days_ago))
        row = db.get(SaleAttribution, sale.id)
        assert row is not None
        return row.commission

    assert bought(40) == D("0.00")  # imported history, before the link
    assert bought(0) == D("40.00")  # the day of the link: inside [link, link + 3 months)
    link = partners.link_of(db, card.customer_id)
    assert link is not None
    link.linked_at = utcnow() - timedelta(days=95)  # linked three months and more ago
    assert bought(1) == D("0.00")
    assert bought(94) == D("40.00")
    assert commission.balance(db, salon.id).pending == D("80.00")
