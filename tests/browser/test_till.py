"""A cashier's day at the till in Chromium: an open sale survives a reload and is resumed
from the list of open receipts, the keys pay it with the exact amount, a void asks first,
and the receipt carries the store, the cashier, the bonuses and prints for the paper chosen."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, seeding, settled
from tests.factories import UserFactory
from tests.partners.helpers import partner
from tests.sales.helpers import card, give_bonus, product
from wordofmouth.customers import service as customers
from wordofmouth.partners import payouts
from wordofmouth.partners import service as partners
from wordofmouth.settings import service as store_settings

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def shop(committed_url: str, server: str) -> dict[str, str]:
    with seeding(committed_url) as s:
        UserFactory.create(login="marta", name="Marta Shevchenko", role="cashier",
                           password="till-password-1")
        store_settings.update(s, actor="owner", store_name="Beauty Corner",
                              store_address="Kyiv, Khreshchatyk 22")
        olena = card(bonus="5")
        olena.customer.first_name, olena.customer.last_name = "Olena", "Koval"
        give_bonus(s, olena.customer_id, "40.00")
        salon = partner(s, "Salon Lily")
        partners.add_employee(s, salon.id, name="Iryna")
        UserFactory.create(login="oksana", name="Oksana Bondar", role="manager",
                           password="manager-password-1")
        sofiia = card()  # the blogger's own card: her referral bonuses
        partner(s, "Blogger Sofiia").customer_id = sofiia.customer_id
        give_bonus(s, sofiia.customer_id, "120.00")
        return {"card": olena.number, "sofiia": sofiia.number, "url": committed_url,
                "cream": product("420.00").barcode or "", "soap": product("80.00").barcode or ""}


def _till(browser, server: str, login: str, password: str):  # type: ignore[no-untyped-def]
    """A new page at the till, logged in."""
    page = browser.new_page()
    log_in(page, server, login, password)
    page.goto(f"{server}/pos")
    return page


def _scan(page, *codes: str) -> None:  # type: ignore[no-untyped-def]
    for code in codes:
        page.type("#scan", code, delay=5)
        page.keyboard.press("Enter")


def test_a_sale_survives_a_reload_and_is_paid_with_the_keys(  # type: ignore[no-untyped-def]
        server: str, browser, shop: dict[str, str]) -> None:
    page = _till(browser, server, "marta", "till-password-1")
    _scan(page, shop["card"], shop["cream"])
    expect(page.locator("#pos-lines tr[data-line]")).to_have_count(1)
    settled(page)
    expect(page).to_have_url(re.compile(r"/pos\?sale=\d+$"))  # the till keeps its sale
    page.reload()
    expect(page.locator("#pos-lines tr[data-line]")).to_have_count(1)
    expect(page.locator("#pos-customer")).to_contain_text("Olena Koval")

    # F9 starts a new sale; the first one waits among the open receipts and is resumed
    page.keyboard.press("F9")
    page.wait_for_url(re.compile(r"/pos$"))
    waiting = page.locator("#pos-open")
    expect(waiting).to_contain_text("420.00")
    expect(waiting).to_contain_text("Marta Shevchenko")
    waiting.get_by_role("link").first.click()
    expect(page.locator("#pos-customer")).to_contain_text("Olena Koval")
    _scan(page, shop["soap"])
    expect(page.locator("#pos-total")).to_have_text("500.00")
    settled(page)

    # the keys are on screen; F6 bonuses, F7 the exact amount in cash, F2 pays
    expect(page.locator("#pos-keys")).to_contain_text("F7")
    page.keyboard.press("F6")
    page.keyboard.type("40")
    page.keyboard.press("F7")
    expect(page.locator("#pay-cash")).to_have_value("460.00")
    page.keyboard.press("F2")
    expect(page.locator("#pos-done")).to_be_visible()
    expect(page.locator("#pos-message")).to_have_text("Paid.")

    with page.expect_popup() as popup:
        page.get_by_role("link", name="Print receipt").click()
    receipt = popup.value
    expect(receipt.locator("#receipt-store")).to_contain_text("Beauty Corner")
    expect(receipt.locator("#receipt-store")).to_contain_text("Kyiv, Khreshchatyk 22")
    expect(receipt.locator("#receipt-cashier")).to_have_text("Cashier: Marta Shevchenko")
    expect(receipt.locator("#sale-total")).to_have_text("500.00")
    # 5 % of 500.00 earned; 40.00 spent, so the balance is 25.00
    expect(receipt.locator("#bonus-earned")).to_have_text("25.00")
    expect(receipt.locator("#bonus-balance")).to_have_text("25.00")
    receipt.get_by_role("button", name="58 mm").click()
    expect(receipt.locator("#receipt")).to_have_attribute("data-paper", "58")
    width = receipt.locator("#receipt").evaluate("e => e.getBoundingClientRect().width")
    assert width < 200, width  # 48 mm of print area
    receipt.pdf()  # prints (Chromium's print path) without an error


def test_voiding_asks_first(  # type: ignore[no-untyped-def]
        server: str, browser, shop: dict[str, str]) -> None:
    page = _till(browser, server, "marta", "till-password-1")
    _scan(page, shop["soap"])
    expect(page.locator("#pos-lines tr[data-line]")).to_have_count(1)
    settled(page)
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.keyboard.press("F8")
    expect(page.locator("#pos-lines tr[data-line]")).to_have_count(1)  # kept
    page.once("dialog", lambda dialog: dialog.accept())
    page.keyboard.press("F8")
    expect(page.locator("#pos-message")).to_have_text("Sale voided.")
    expect(page).to_have_url(re.compile(r"/pos$"))


def test_the_cashier_finds_a_customer_or_registers_one_sent_by_a_partner(  # type: ignore[no-untyped-def]
        server: str, browser, shop: dict[str, str]) -> None:
    page = _till(browser, server, "marta", "till-password-1")
    _scan(page, shop["soap"], "koval")
    matches = page.locator("#pos-matches")
    expect(matches).to_contain_text("Olena Koval")
    settled(page)
    matches.get_by_role("button", name="Put on the sale").click()
    expect(page.locator("#pos-customer")).to_contain_text("Olena Koval")
    expect(page.locator("#pos-lines tr[data-line]")).to_have_count(1)  # the soap stays
    page.keyboard.press("F9")
    page.wait_for_url(re.compile(r"/pos$"))

    _scan(page, shop["soap"], "Daryna Melnyk")
    expect(page.locator("#pos-error")).to_contain_text("Register the customer?")
    settled(page)
    form = page.locator("#pos-register")
    expect(form.locator("input[name=first_name]")).to_have_value("Daryna")
    expect(form.locator("input[name=last_name]")).to_have_value("Melnyk")
    form.locator("input[name=phone]").fill("067 123 45 67")
    form.locator("select[name=referrer]").select_option(label="Salon Lily — Iryna")
    form.get_by_role("button", name="Register and put on the sale").click()
    expect(page.locator("#pos-message")).to_contain_text("Daryna Melnyk registered with card")
    expect(page.locator("#pos-message")).to_contain_text("Linked to Salon Lily.")
    expect(page.locator("#pos-customer")).to_contain_text("Daryna Melnyk")
    expect(page.locator("#pos-lines tr[data-line]")).to_have_count(1)
    with seeding(shop["url"]) as s:
        [daryna] = customers.search(s, query="Melnyk")
        link = partners.link_of(s, daryna.id)
        assert link is not None and daryna.phone == "+380671234567"
        assert partners.get_partner(s, link.partner_id).name == "Salon Lily"
        assert link.employee_id is not None


def test_a_manager_cashes_out_a_referrers_bonuses_at_the_till(  # type: ignore[no-untyped-def]
        server: str, browser, shop: dict[str, str]) -> None:
    page = _till(browser, server, "oksana", "manager-password-1")
    _scan(page, shop["sofiia"])
    box = page.locator("#pos-cash-out")
    expect(box).to_contain_text("Blogger Sofiia")
    expect(box).to_contain_text("120.00")
    settled(page)
    box.locator("input[name=amount]").fill("100.00")
    page.once("dialog", lambda dialog: dialog.accept())  # money out of the till: asked first
    box.get_by_role("button", name="Cash out bonuses").click()
    expect(page.locator("#pos-message")).to_contain_text(
        "Hand 100.00 in cash to Blogger Sofiia: their bonuses cashed out")
    expect(page.locator("#pos-bonus-balance")).to_have_text("20.00")
    with seeding(shop["url"]) as s:
        [sofiia] = [p for p in partners.partners(s) if p.name == "Blogger Sofiia"]
        [payout] = payouts.payouts_of(s, sofiia.id)
        assert (payout.kind, payout.method, payout.amount) == ("bonus_cash_out", "cash",
                                                               Decimal("100.00"))
