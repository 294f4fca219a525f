"""The owner asks for a partner's monthly statement by e-mail and e-mails this month's now,
then follows the letter in Mailings — in Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, seeding, staff
from tests.partners.helpers import salon_day
from wordofmouth.partners import service as partners

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def salon(committed_url: str, server: str) -> int:
    with seeding(committed_url) as s:
        staff()
        salon = salon_day(s)
        partners.update_partner(s, salon, actor="owner", email="lily@salon.example")
        return salon


def test_the_owner_emails_the_salon_its_statement(  # type: ignore[no-untyped-def]
        server: str, browser, salon: int) -> None:
    page = browser.new_page()
    log_in(page, server, "olena", "owner-password-1")
    page.goto(f"{server}/partners/{salon}")
    details = page.locator(f"form[action='/partners/{salon}']")
    details.get_by_label("e-mail the statement every month").check()
    details.get_by_role("button", name="Save").click()
    expect(page.locator("[role=status]")).to_contain_text("Saved")
    expect(page.get_by_label("e-mail the statement every month")).to_be_checked()

    page.get_by_role("link", name="Reward statement").click()
    expect(page.locator("#st-email")).to_contain_text("gets the statement every month")
    page.get_by_role("button", name="E-mail it to the partner").click()
    expect(page.locator("[role=status]")).to_contain_text(
        "The statement is queued for Salon Lily (lily@salon.example)")
    expect(page.locator("#st-closing")).to_have_text("205.00")  # still the same period

    page.goto(f"{server}/mailings")
    page.get_by_role("link", name="Reward statement for Salon Lily").first.click()
    messages = page.locator("#messages")
    expect(messages).to_contain_text("Salon Lily")
    expect(messages).to_contain_text("lily@salon.example")
    expect(messages).to_contain_text(".pdf")
