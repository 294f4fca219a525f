"""Invoice trade's "scan control barcode", in Chromium: a friend's code scanned on an invoice
gives the friend's discount, and when the invoice is paid the code's owner gets the bonus."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, seeding, staff
from tests.factories import CardFactory, CustomerFactory
from tests.friends.helpers import campaign
from tests.sales.helpers import product
from wordofmouth.customers import service as customers
from wordofmouth.friends import service as friends

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def shop(committed_url: str, server: str) -> dict[str, str]:
    with seeding(committed_url) as s:
        staff()
        oksana = CustomerFactory.create(first_name="Oksana", last_name="Lysenko")
        CardFactory.create(customer_id=oksana.id)
        spring = campaign(s, name="Bring a friend", bonus_amount=Decimal("75"))
        [code] = friends.issue_codes(s, customer_id=oksana.id, campaign_id=spring.id,
                                     count=1, actor="test")
        friend = CardFactory.create()
        return {"code": code.code, "friend": friend.number, "oksana": str(oksana.id),
                "sku": str(product("500.00").sku), "url": committed_url}


def test_a_friend_code_scanned_on_an_invoice(  # type: ignore[no-untyped-def]
        server: str, browser, shop: dict[str, str]) -> None:
    page = browser.new_page()
    log_in(page, server, "olena", "owner-password-1")
    page.goto(f"{server}/invoices")
    page.fill("input[name=customer]", shop["friend"])
    page.fill("textarea[name=lines]", f"{shop['sku']} 2")
    page.get_by_role("button", name="Issue invoice").click()
    expect(page.locator("[role=status]")).to_contain_text("issued for 1000.00")
    scan = page.locator("#invoice-scan")
    scan.locator("input[name=code]").fill(shop["code"])
    scan.get_by_role("button", name="Apply").click()
    expect(page.locator("[role=status]")).to_contain_text(f"Friend code {shop['code']}")
    expect(page.locator("#sale-total")).to_have_text("900.00")
    expect(page.locator("[data-reason]").first).to_have_text("Friend code of Oksana L.")
    pay = page.locator("form[action$='/pay']")
    pay.locator("select[name=method]").select_option("bank")
    pay.locator("input[name=amount]").fill("900.00")
    pay.get_by_role("button", name="Record payment").click()
    expect(page.locator("#sale-status")).to_have_text("paid")
    with seeding(shop["url"]) as s:
        assert customers.bonus_balance(s, int(shop["oksana"])) == Decimal("75.00")
