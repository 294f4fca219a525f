"""The owner moving from another program imports its customers and their bonus balances
under Settings → Import history in Chromium: each file runs as a job in the server, its page
follows it to the end — what came in, the row that did not (and why) — and the customer's
card shows the balance brought over."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, seeding, staff

pytestmark = pytest.mark.browser

PEOPLE = ("card;first_name;last_name;phone;bonus_percent\n"
          "2000000000017;Олена;Коваленко;050 111 22 33;5\n"
          "2000000000024;Тарас;Бондар;;3\n"
          "2000000000017;Ірина;Ткач;;0\n")


@pytest.fixture(scope="module")
def shop(committed_url: str) -> None:
    with seeding(committed_url):
        staff()


def test_the_owner_brings_customers_and_their_bonuses_over(  # type: ignore[no-untyped-def]
        server: str, browser, shop: None) -> None:
    page = browser.new_page()
    log_in(page, server, "olena", "owner-password-1")
    page.goto(f"{server}/settings")
    page.get_by_role("link", name="Import history").click()
    expect(page.locator("#formats")).to_contain_text("card, first_name")
    page.select_option("#history-form select[name=kind]", "customers")
    page.set_input_files("#history-form input[name=file]", files=[{
        "name": "customers.csv", "mimeType": "text/csv", "buffer": PEOPLE.encode("cp1251")}])
    page.click("#history-form button[type=submit]")
    expect(page.locator("#history-result")).to_contain_text("2 imported, 1 with problems")
    expect(page.locator("#history-errors")).to_contain_text("4")
    expect(page.locator("#history-errors")).to_contain_text("2000000000017")

    page.get_by_role("link", name="Import history").click()  # the list of imports
    expect(page.locator("#history-jobs")).to_contain_text("customers.csv")
    page.select_option("#history-form select[name=kind]", "bonus_balances")
    page.set_input_files("#history-form input[name=file]", files=[{
        "name": "balances.csv", "mimeType": "text/csv",
        "buffer": b"card,balance,date\n2000000000017,120.50,2025-12-31\n"}])
    page.click("#history-form button[type=submit]")
    expect(page.locator("#history-result")).to_contain_text("1 imported, 0 with problems")

    page.goto(f"{server}/customers?q=Коваленко")
    page.get_by_role("link", name="Олена Коваленко").click()
    expect(page.locator("body")).to_contain_text("120.50")
