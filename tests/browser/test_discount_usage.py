"""The owner opens the analysis of discount usage in Chromium, looks at it by partner and
downloads it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.analysis.test_discounts import discount_day
from tests.browser.conftest import log_in, seeding, staff

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def shop(committed_url: str, server: str) -> None:
    with seeding(committed_url) as s:
        staff()
        discount_day(s)


def test_discount_usage_by_partner_and_its_export(  # type: ignore[no-untyped-def]
        server: str, browser, shop) -> None:
    page = browser.new_page()
    log_in(page, server, "olena", "owner-password-1")
    page.goto(f"{server}/analysis/activity")
    page.get_by_role("link", name="Discount usage").click()
    expect(page.locator("#du-discount")).to_have_text("120.00")
    expect(page.locator("#du-share")).to_contain_text("6.38")
    page.select_option("select[name=by]", "partner")
    page.click("#discount-filter button:has-text('Show')")
    expect(page.locator("#discount-usage")).to_contain_text("Blogger Sofia")
    expect(page.locator("svg[aria-label^=discounts]")).to_contain_text("Blogger Sofia")
    with page.expect_download() as csv_file:
        page.get_by_role("button", name="CSV").click()
    assert csv_file.value.suggested_filename.startswith("discount-usage-partner")
