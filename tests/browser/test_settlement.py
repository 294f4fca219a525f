"""A partner opens their reward statement in the portal in Chromium: every source of their
money, what was paid, the closing balance, per employee, and the PDF to keep."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, seeding, staff
from tests.factories import UserFactory
from tests.partners.helpers import salon_day

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def salon(committed_url: str, server: str) -> int:
    with seeding(committed_url) as s:
        staff()
        salon = salon_day(s)
        UserFactory.create(login="lily", role="partner", password="partner-password-1",
                           partner_id=salon)
        return salon


def test_a_partner_reads_every_reward_in_the_portal_statement(  # type: ignore[no-untyped-def]
        server: str, browser, salon: int) -> None:
    page = browser.new_page()
    log_in(page, server, "lily", "partner-password-1")
    page.get_by_role("link", name="Reward statement").click()
    expect(page.locator("#st-closing")).to_have_text("205.00")
    sources = page.locator("#st-sources")
    expect(sources.locator("[data-source=linked_customer]")).to_contain_text("100.00")
    expect(sources.locator("[data-source=partner_code]")).to_contain_text("50.00")
    expect(sources.locator("[data-source=invoice]")).to_contain_text("200.00")
    expect(sources.locator("[data-source=milestone]")).to_contain_text("25.00")
    expect(sources.locator("[data-source=reversal]")).to_contain_text("-50.00")
    expect(page.locator("#st-payouts")).to_contain_text("120.00")
    expect(page.locator("#st-employees")).to_contain_text("Iryna")
    # the portal names customers by first name and last initial only
    names = page.locator("#st-movements td:nth-child(4)").all_inner_texts()
    assert names and all(n == "" or n.endswith(".") for n in names), names
    with page.expect_download() as pdf:
        page.get_by_role("button", name="PDF").click()
    assert pdf.value.suggested_filename.endswith(".pdf")
