"""The owner issues a printed batch of friend codes for flyers and downloads them for the
print shop — in Chromium."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, seeding, staff
from tests.friends.helpers import campaign
from tests.sales.helpers import card
from wordofmouth.scancodes.rules import is_valid_ean13

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def shop(committed_url: str) -> dict[str, str]:
    with seeding(committed_url) as db:
        staff()
        holder = card()
        holder.customer.first_name, holder.customer.last_name = "Salon", "Flora"
        flyers = campaign(db, name="Листівки")
        return {"card": holder.number, "campaign": str(flyers.id)}


def test_the_owner_issues_codes_for_flyers_and_downloads_them(  # type: ignore[no-untyped-def]
        server: str, browser, shop, tmp_path: Path) -> None:
    page = browser.new_page(accept_downloads=True)
    log_in(page, server, "olena", "owner-password-1")
    page.goto(f"{server}/friends")
    form = page.locator(f"#printed-{shop['campaign']}")
    form.locator("input[name=card]").fill(shop["card"])
    form.locator("input[name=count]").fill("2500")
    form.locator("button[type=submit]").click()
    expect(page.locator("[role=status]")).to_be_visible()
    expect(page.locator("h1")).to_contain_text("Листівки")
    expect(page.locator("#printed-batch")).to_contain_text("Salon Flora")
    with page.expect_download() as info:
        page.locator("#printed-csv").click()
    saved = tmp_path / "codes.csv"
    info.value.save_as(saved)
    with saved.open(encoding="utf-8") as f:
        rows = list(csv.reader(f))
    codes = [r[0] for r in rows[1:]]
    assert len(codes) == len(set(codes)) == 2500
    assert all(is_valid_ean13(c) and c.startswith("29") for c in codes)
    count = page.locator("#printed-count").inner_text()
    assert count.replace("\u00a0", "").replace(" ", "").replace(",", "") == "2500"
