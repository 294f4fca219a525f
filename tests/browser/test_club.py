"""The owner sets up the club, a customer crosses the threshold at the POS, the review lists
them, the owner grants, and the next sale carries the club discount — in Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, seeding, settled, staff
from tests.sales.helpers import card, product

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def shop(committed_url: str) -> dict[str, str]:
    with seeding(committed_url):
        staff()
        c = card()
        c.customer.first_name, c.customer.last_name = "Sofiia", "Marchenko"
        dryer, brush = product("2450.00"), product("890.00")
        return {"card": c.number, "dryer": dryer.barcode or "", "brush": brush.barcode or ""}


def sell(page, server: str, codes: list[str], lines: int) -> str:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/pos")
    for code in codes:
        page.type("#scan", code, delay=5)
        page.keyboard.press("Enter")
    expect(page.locator("#pos-lines tr[data-line]")).to_have_count(lines)
    settled(page)
    total = page.inner_text("#pos-total")
    page.fill("#pay-cash", total.replace(",", ""))
    page.press("#pay-cash", "Enter")
    page.wait_for_selector("#pos-done")
    return total


def test_a_customer_earns_the_club_discount(server: str, browser, shop) -> None:  # type: ignore[no-untyped-def]
    owner = browser.new_page()
    log_in(owner, server, "olena", "owner-password-1")
    owner.goto(f"{server}/club/settings")
    owner.check("input[name=enabled]")
    owner.fill("input[name=discount_percent]", "7")
    owner.fill("input[name=accumulation_amount]", "5000")
    owner.fill("input[name=accumulation_days]", "30")
    owner.fill("input[name=confirmation_amount]", "3000")
    owner.fill("input[name=confirmation_days]", "60")
    owner.click("#club-settings-form button[type=submit]")
    expect(owner.locator("[role=status]")).to_contain_text("Club settings saved")

    till = browser.new_page()
    log_in(till, server, "iryna", "till-password-1")
    sell(till, server, [shop["card"], shop["dryer"], shop["dryer"]], 1)  # 4 900.00
    sell(till, server, [shop["card"], shop["brush"]], 1)  # 890.00: 5 790.00 in all

    owner.goto(f"{server}/club")
    owner.click("#run-review")
    expect(owner.locator("[role=status]")).to_contain_text("candidate join 1")
    join_list = owner.locator("form[data-list=candidate_join]")
    expect(join_list).to_contain_text("Sofiia Marchenko")
    expect(join_list).to_contain_text("5,790.00")
    join_list.get_by_label("choose Sofiia Marchenko").check()
    join_list.get_by_role("button", name="Grant").click()
    expect(owner.locator("[role=status]")).to_contain_text("Grant: 1 customer.")
    expect(owner.locator("#club-members")).to_have_text("1")

    till.goto(f"{server}/pos")
    for code in (shop["card"], shop["brush"]):
        till.type("#scan", code, delay=5)
        till.keyboard.press("Enter")
    expect(till.locator("#pos-lines tr[data-line]")).to_have_count(1)
    expect(till.locator("#pos-lines")).to_contain_text("Club 7 %")
    expect(till.locator("#pos-total")).to_have_text("827.70")  # 890.00 − 7 %
