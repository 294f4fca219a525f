"""The owner links a customer to a partner's employee — the employee choice lists only the
chosen partner's people — then finds the customer among that employee's customers, from the
partner page, in Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, seeding, staff
from tests.factories import CustomerFactory
from tests.partners.helpers import partner
from wordofmouth.partners import service as partners

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def shop(committed_url: str, server: str) -> dict[str, int]:
    with seeding(committed_url) as s:
        staff()
        salon, gym = partner(s, "Salon Lily"), partner(s, "Gym Olymp")
        partners.add_employee(s, salon.id, name="Iryna")
        partners.add_employee(s, gym.id, name="Taras")
        marta = CustomerFactory.create(first_name="Marta", last_name="Hnatyuk")
        return {"salon": salon.id, "marta": marta.id}


def test_an_employee_follows_the_partner_and_their_customers_are_one_click_away(  # type: ignore[no-untyped-def]
        server: str, browser, shop: dict[str, int]) -> None:
    page = browser.new_page()
    log_in(page, server, "olena", "owner-password-1")
    page.goto(f"{server}/customers/{shop['marta']}")
    form = page.locator("#link-partner")
    form.locator("select[name=partner_id]").select_option(label="Salon Lily")
    employee = form.locator("select[name=employee_id]")
    offered = employee.locator("option:not([hidden])").all_inner_texts()
    assert offered == ["—", "Iryna"], offered  # not the gym's Taras
    form.locator("select[name=partner_id]").select_option(label="Gym Olymp")
    assert employee.locator("option:not([hidden])").all_inner_texts() == ["—", "Taras"]
    form.locator("select[name=partner_id]").select_option(label="Salon Lily")
    employee.select_option(label="Iryna")
    form.get_by_role("button", name="Link").click()
    expect(page.get_by_text("Brought by")).to_contain_text("Salon Lily (Iryna)")

    page.goto(f"{server}/partners/{shop['salon']}")
    page.locator("#partner-customers").get_by_role("link").click()
    expect(page.locator("#customers")).to_contain_text("Marta Hnatyuk")
    expect(page.locator("#customers")).to_contain_text("Salon Lily — Iryna")
    page.locator("select[name=referrer]").select_option(label="Gym Olymp — Taras")
    page.get_by_role("button", name="Find").click()
    expect(page.locator("#customers")).to_contain_text("No customers match.")
