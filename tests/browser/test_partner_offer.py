"""A partner's special offer at the till, in Chromium: the cashier scans the card of a
customer the salon brought, and the hair-care line gets the salon's offer, named."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, seeding, settled, staff
from tests.factories import CardFactory, GroupFactory, ProductFactory
from tests.partners.helpers import partner
from wordofmouth.partners import offers
from wordofmouth.partners import service as partners

pytestmark = pytest.mark.browser
D = Decimal


@pytest.fixture(scope="module")
def shop(committed_url: str, server: str) -> dict[str, str]:
    with seeding(committed_url) as s:
        staff()
        hair = GroupFactory.create(name="Hair")
        salon = partner(s, "Salon Lily")
        offers.create_offer(s, salon.id, name="Salon week", discount_percent=D("15"),
                            group_id=hair.id, actor="owner")
        card = CardFactory.create(discount_percent=D("5"))
        partners.link(s, card.customer_id, salon.id, actor="cashier")
        shampoo = ProductFactory.create(name="Shampoo", price=D("400.00"), group_id=hair.id)
        return {"card": card.number, "shampoo": str(shampoo.barcode)}


def test_the_salons_offer_at_the_till(server: str, browser, shop) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    log_in(page, server, "iryna", "till-password-1")
    for code in (shop["card"], shop["shampoo"]):
        page.type("#scan", code, delay=5)
        page.keyboard.press("Enter")
    expect(page.locator("#pos-lines tr[data-line]")).to_have_count(1)
    settled(page)
    expect(page.locator("#pos-total")).to_have_text("340.00")  # 15 % beats the card's 5 %
    expect(page.locator("#pos-lines")).to_contain_text("Offer «Salon week»")
