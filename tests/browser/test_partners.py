"""The owner sets up a partner, a cashier links a new customer and sells, the owner sees and
pays the commission, the partner sees the customer masked — in Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, register_customer, seeding, settled, staff
from tests.factories import GroupFactory, ProductFactory, UserFactory
from wordofmouth.partners import service as partners
from wordofmouth.settings import service as store_settings

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def shop(committed_url: str) -> dict[str, str]:
    from decimal import Decimal

    with seeding(committed_url) as s:
        staff()
        store_settings.update(s, actor="test", hold_days=0)
        hair = GroupFactory.create(name="Hair care")
        mask = ProductFactory.create(name="Keratin mask", price=Decimal("400.00"), group_id=hair.id)
        placeholder = partners.create_partner(s, actor="t", name="Placeholder", kind="other")
        UserFactory.create(login="salon", role="partner", password="partner-password-1",
                    partner_id=placeholder.id)
        return {"mask": mask.barcode or "", "hair": str(hair.id),
                "placeholder": str(placeholder.id)}


def test_a_partner_earns_commission_on_a_linked_customer(server: str, browser,  # type: ignore[no-untyped-def]
                                                        shop) -> None:
    owner = browser.new_page()
    log_in(owner, server, "olena", "owner-password-1")
    owner.goto(f"{server}/partners/{shop['placeholder']}")
    owner.fill("form[action$='/{}'] input[name=name]".format(shop["placeholder"]), "Salon Lily")
    owner.click("form[action$='/{}'] button[type=submit]".format(shop["placeholder"]))
    expect(owner.locator("[role=status]")).to_contain_text("Saved.")
    for name in ("Iryna", "Mariia"):
        owner.fill("#new-employee input[name=name]", name)
        owner.click("#new-employee button[type=submit]")
        expect(owner.locator("[role=status]")).to_contain_text(f"Employee {name} added")
    owner.fill("#terms input[name=default_rate]", "0")
    owner.fill(f"#terms input[name=rate_{shop['hair']}]", "10")
    owner.click("#terms button[type=submit]")
    expect(owner.locator("[role=status]")).to_contain_text("Commission terms saved")

    till = browser.new_page()
    log_in(till, server, "iryna", "till-password-1")
    card_number = register_customer(till, server, "Daryna", "Koval")
    link = till.locator("#link-partner")
    link.locator("select[name=partner_id]").select_option(label="Salon Lily")
    link.locator("select[name=employee_id]").select_option(label="Mariia")
    link.locator("button[type=submit]").click()
    expect(till.locator("#customer-partner")).to_contain_text("Brought by Salon Lily")
    expect(till.locator("#customer-partner")).to_contain_text("Mariia")

    till.goto(f"{server}/pos")
    for code in (card_number, shop["mask"]):
        till.type("#scan", code, delay=5)
        till.keyboard.press("Enter")
    expect(till.locator("#pos-lines tr[data-line]")).to_have_count(1)
    settled(till)
    till.fill("#pay-cash", "400")
    till.press("#pay-cash", "Enter")
    till.wait_for_selector("#pos-done")

    owner.goto(f"{server}/partners-balance")
    row = owner.locator("tr", has_text="Salon Lily")
    expect(row).to_contain_text("40.00")
    owner.click("#mature-now")
    expect(owner.locator("[role=status]")).to_contain_text("1 sale(s) matured")
    row = owner.locator("tr", has_text="Salon Lily")
    row.locator("input[name=amount]").fill("40.00")
    owner.once("dialog", lambda dialog: dialog.accept())
    row.locator("button[type=submit]").click()
    expect(owner.locator("[role=status]")).to_contain_text("Paid 40.00")

    portal = browser.new_page()
    log_in(portal, server, "salon", "partner-password-1")
    expect(portal.locator("#portal-customer-list")).to_contain_text("Daryna K.")
    expect(portal.locator("#portal-customer-list")).not_to_contain_text("Koval")
