"""Special offers for a partner's customers: a discount % for the customers the partner (or
one employee) brought, on a product group, for dates; the largest discount on a line wins."""

from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import CardFactory, GroupFactory, ProductFactory
from tests.partners.helpers import partner
from tests.sales.helpers import product, sell
from tests.web.pages import login
from wordofmouth.errors import InvalidInput
from wordofmouth.partners import offers
from wordofmouth.partners import service as partners
from wordofmouth.settings import service as store_settings

D = Decimal


def test_an_offer_discounts_the_partners_customers_on_its_group(db: Session) -> None:
    hair = GroupFactory.create(name="Hair")
    salon = partner(db, "Salon Lily")
    iryna = partners.add_employee(db, salon.id, name="Iryna")
    today = store_settings.today(db)
    offers.create_offer(db, salon.id, name="Salon week", discount_percent=D("15"),
                        group_id=hair.id, valid_from_day=today, valid_to_day=today + 6,
                        actor="owner")
    offers.create_offer(db, salon.id, name="Iryna's clients", discount_percent=D("20"),
                        employee_id=iryna.id, group_id=hair.id, actor="owner")
    shampoo = ProductFactory.create(price=D("400.00"), group_id=hair.id)
    other = product("100.00")
    olena = CardFactory.create(discount_percent=D("5"))
    partners.link(db, olena.customer_id, salon.id, actor="cashier")
    sale = sell(db, [(shampoo, "1"), (other, "1")], card_number=olena.number)
    by_line = {ln.product_id: (ln.discount_source, ln.discount_percent, ln.net)
               for ln in sale.lines}
    # the offer beats the 5 % card on hair; the other line keeps the card's 5 %
    assert by_line == {shampoo.id: ("partner_offer", D("15.00"), D("340.00")),
                       other.id: ("card", D("5.00"), D("95.00"))}
    marta = CardFactory.create()
    partners.link(db, marta.customer_id, salon.id, employee_id=iryna.id, actor="cashier")
    assert sell(db, [(shampoo, "1")], card_number=marta.number).lines[0].net == D("320.00")
    stranger = CardFactory.create()
    assert sell(db, [(shampoo, "1")], card_number=stranger.number).lines[0].net == D("400.00")


def test_an_offer_outside_its_dates_or_switched_off_gives_nothing(db: Session) -> None:
    salon = partner(db, "Salon Lily")
    today = store_settings.today(db)
    later = offers.create_offer(db, salon.id, name="Next month", discount_percent=D("10"),
                                valid_from_day=today + 30, actor="owner")
    now = offers.create_offer(db, salon.id, name="Now", discount_percent=D("12"),
                              actor="owner")
    offers.set_active(db, salon.id, now.id, False, actor="owner")
    card = CardFactory.create()
    partners.link(db, card.customer_id, salon.id, actor="cashier")
    assert sell(db, [(product("100.00"), "1")], card_number=card.number).discount_total == 0
    assert later.active
    with pytest.raises(InvalidInput):
        offers.create_offer(db, salon.id, name="Free", discount_percent=D("0"), actor="o")
    with pytest.raises(InvalidInput):
        offers.create_offer(db, salon.id, name=" ", discount_percent=D("5"), actor="o")


def test_a_manager_adds_and_switches_off_an_offer_on_the_partner_page(
        client: TestClient, db: Session) -> None:
    salon = partner(db, "Salon Lily")
    csrf = login(client, "manager")
    r = client.post(f"/partners/{salon.id}/offers", data={
        "csrf_token": csrf, "name": "Salon week", "discount_percent": "15"})
    assert r.status_code == 200 and "Offer Salon week added" in r.text
    offer = offers.offers_of(db, salon.id)[0]
    bad = client.post(f"/partners/{salon.id}/offers", data={
        "csrf_token": csrf, "name": "Too much", "discount_percent": "150"})
    assert bad.status_code == 422 and len(offers.offers_of(db, salon.id)) == 1
    r = client.post(f"/partners/{salon.id}/offers/{offer.id}", data={"csrf_token": csrf})
    assert r.status_code == 200 and "switched off" in r.text
    db.refresh(offer)
    assert not offer.active
