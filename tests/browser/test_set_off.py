"""The owner issues an invoice that the salon (the intermediary) pays, and records its payment
partly by setting off the salon's payable commission, the rest by bank — in Chromium."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, seeding, staff
from tests.factories import CardFactory
from tests.partners.helpers import partner
from tests.sales.helpers import product, sell
from wordofmouth.db import utcnow
from wordofmouth.partners import commission
from wordofmouth.partners import service as partners

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def shop(committed_url: str, server: str) -> tuple[str, str]:
    """Salon Lily with 300.00 payable commission; the shampoo the salon orders for its
    client Marta (her card number)."""
    with seeding(committed_url) as s:
        staff()
        salon = partner(s, "Salon Lily", rate="10")
        olena = CardFactory.create()
        partners.link(s, olena.customer_id, salon.id, actor="cashier")
        sell(s, [(product("3000.00"), "1")], card_number=olena.number)
        commission.mature(s, now=utcnow() + timedelta(days=15))
        marta = CardFactory.create()
        return str(product("400.00", name="Salon shampoo 5 l").sku), marta.number


def test_the_salon_pays_its_invoice_by_setting_off_its_commission(  # type: ignore[no-untyped-def]
        server: str, browser, shop: tuple[str, str]) -> None:
    sku, marta = shop
    page = browser.new_page()
    log_in(page, server, "olena", "owner-password-1")
    page.goto(f"{server}/invoices")
    page.fill("input[name=customer]", marta)
    page.fill("textarea[name=lines]", f"{sku} 2")
    page.select_option("select[name=intermediary_id]", label="Salon Lily")
    page.select_option("select[name=payer]", value="intermediary")
    page.fill("input[name=note]", "Order for the salon's back bar")
    page.get_by_role("button", name="Issue invoice").click()
    expect(page.locator("[role=status]")).to_contain_text("issued for 800.00")
    invoice = page.url.split("?")[0]
    expect(page.locator("#invoice-intermediary")).to_contain_text("Salon Lily")
    expect(page.locator("#invoice-payer")).to_contain_text("Salon Lily (the intermediary)")
    expect(page.get_by_text("Order for the salon's back bar")).to_be_visible()

    pay = page.locator(f"form[action='/invoices/{invoice.rsplit('/', 1)[1]}/pay']")
    method = pay.locator("select[name=method]")
    expect(method.locator("option[value=setoff]")).to_contain_text("payable now 300.00")
    method.select_option("setoff")
    pay.locator("input[name=amount]").fill("300.00")
    pay.get_by_role("button", name="Record payment").click()
    expect(page.locator("[role=status]")).to_contain_text("500.00 still due")
    # what the salon could set off is spent: asking for more is refused, nothing changes
    pay.locator("select[name=method]").select_option("setoff")
    pay.locator("input[name=amount]").fill("100.00")
    pay.get_by_role("button", name="Record payment").click()
    expect(page.get_by_text("Only 0.00 of the partner's commission is payable")).to_be_visible()
    page.goto(invoice)
    expect(pay.locator("select[name=method] option[value=setoff]")).to_contain_text(
        "payable now 0.00")
    pay.locator("select[name=method]").select_option("bank")
    pay.locator("input[name=amount]").fill("500.00")
    pay.get_by_role("button", name="Record payment").click()
    expect(page.locator("[role=status]")).to_contain_text("is paid")
    expect(page.locator("#sale-status")).to_have_text("paid")
