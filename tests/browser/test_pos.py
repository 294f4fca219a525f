"""A cashier sells with a card, two products and bonuses, then takes a return, in Chromium."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from tests import factories
from tests.browser.conftest import log_in, settled
from tests.factories import UserFactory
from tests.sales.helpers import bonus, card, give_bonus, product
from wordofmouth.sales.models import Sale

pytestmark = pytest.mark.browser
D = Decimal


@pytest.fixture(scope="module")
def shop(committed_url: str) -> dict[str, object]:
    engine = create_engine(committed_url)
    with Session(engine) as s:
        factories.bind(s)
        UserFactory.create(login="anna", role="cashier", password="till-password-1")
        c = card(discount="10", bonus="5")
        give_bonus(s, c.customer_id, "150.00")
        cream, serum = product("420.00"), product("575.00")
        s.commit()
        data = {"card": c.number, "customer_id": c.customer_id, "cream": cream.barcode,
                "serum": serum.barcode, "engine": engine}
    return data


def test_cashier_sells_with_bonuses_and_takes_a_return(server: str, browser, shop) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    log_in(page, server, "anna", "till-password-1")

    # A scanner types each code and presses Enter without waiting for the screen.
    for code in (shop["card"], shop["cream"], shop["serum"]):
        page.type("#scan", code, delay=5)
        page.keyboard.press("Enter")
    expect(page.locator("#pos-lines tr[data-line]")).to_have_count(2)
    expect(page.locator("#pos-customer")).to_be_visible()
    settled(page)
    # 420 + 575 = 995, minus the card's 10 % per line: 378.00 + 517.50
    assert page.inner_text("#pos-total") == "895.50"
    assert page.inner_text("#pos-bonus-balance") == "150.00"

    page.fill("#pay-bonus", "150")
    page.fill("#pay-cash", "800")
    page.press("#pay-cash", "Enter")
    page.wait_for_selector("#pos-done, #pos-error")
    assert page.query_selector("#pos-error") is None, page.inner_text("#pos-error")
    assert "Change: 54.50" in page.inner_text("#pos-message")
    assert page.inner_text("#pos-total") == "0.00"

    engine = shop["engine"]
    with Session(engine) as s:
        sale = s.query(Sale).order_by(Sale.id.desc()).first()
        assert sale is not None and sale.status == "paid"
        # 150 spent, 5 % of 895.50 = 44.78 accrued
        assert bonus(s, shop["customer_id"]) == D("44.78")
        sale_id, serum_line = sale.id, sale.lines[1].id

    page.fill("input[name=receipt]", f"R-{sale_id:06d}")
    page.press("input[name=receipt]", "Enter")
    page.wait_for_selector("#return-form")
    page.fill(f"input[name=qty_{serum_line}]", "1")
    page.click("#return-form button[type=submit]")
    page.wait_for_selector("text=given back")
    assert "517.50 given back" in page.inner_text("[role=status]")
    assert page.inner_text("#sale-returned") == "517.50"
    assert page.inner_text("#sale-status") == "partially returned"
    with Session(engine) as s:
        # bonus back: 150 × 517.50 / 895.50 = 86.68; accrual back: 44.78 × 517.50 / 895.50 = 25.88
        assert bonus(s, shop["customer_id"]) == D("44.78") + D("86.68") - D("25.88")
    page.close()
