"""Back-office forms validate inline, in Chromium: a bad field is shown next to its input
and everything typed stays; a refusal that names no field is shown atop the form."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, seeding, staff
from tests.factories import GroupFactory
from tests.partners.helpers import partner

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def shop(committed_url: str, server: str) -> dict[str, int]:
    with seeding(committed_url) as s:
        staff()
        group = GroupFactory.create(name="Hair care")
        return {"salon": partner(s, "Salon Lily").id, "group": group.id}


def test_a_bad_field_is_shown_next_to_it_and_the_form_keeps_what_was_typed(  # type: ignore[no-untyped-def]
        server: str, browser, shop: dict[str, int]) -> None:
    page = browser.new_page()
    log_in(page, server, "olena", "owner-password-1")
    page.goto(f"{server}/partners/{shop['salon']}")
    terms = page.locator("#terms")
    terms.locator("input[name=default_rate]").fill("ten")
    terms.locator(f"input[name=rate_{shop['group']}]").fill("12")
    terms.locator("input[name=months]").fill("6")
    terms.get_by_role("button", name="Save terms").click()
    problem = terms.locator(".field-error")
    expect(problem).to_have_text("Default rate: 'ten' is not a number.")
    expect(terms.locator("input[name=default_rate]")).to_have_attribute("aria-invalid", "true")
    # nothing typed is lost, the page did not change
    expect(terms.locator(f"input[name=rate_{shop['group']}]")).to_have_value("12")
    expect(terms.locator("input[name=months]")).to_have_value("6")
    assert page.url.endswith(f"/partners/{shop['salon']}")
    terms.locator("input[name=default_rate]").fill("10")
    terms.get_by_role("button", name="Save terms").click()
    expect(page.locator("[role=status]")).to_contain_text("Commission terms saved")

    page.goto(f"{server}/customers")
    new = page.locator("form[action='/customers']")
    new.locator("input[name=first_name]").fill("Marta")
    new.locator("input[name=last_name]").fill("Hnatyuk")
    new.locator("input[name=phone]").fill("12")
    new.get_by_role("button", name="Add customer").click()
    expect(new.locator(".field-error")).to_have_text("'12' is not a phone number.")
    expect(new.locator("input[name=first_name]")).to_have_value("Marta")
    new.locator("input[name=phone]").fill("067 123 45 67")
    new.get_by_role("button", name="Add customer").click()
    expect(page.locator("[role=status]")).to_contain_text("Marta Hnatyuk added")
