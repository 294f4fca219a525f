"""The owner connects the store's ERP under Settings → Webhooks in Chromium: adds the
endpoint for paid sales, copies its signing secret, sees each attempt with the receiver's
answer (a 500, then the 204 of the retry) and sends a delivery again. The server's own
worker delivers, as in the store."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect
from standardwebhooks import Webhook

from tests.browser.conftest import log_in, seeding, staff
from tests.sales.helpers import product, sell
from tests.webhooks.conftest import Receiver, receiver

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def shop(committed_url: str) -> None:
    with seeding(committed_url):
        staff()


def shows(page, row, text: str, seconds: float = 20) -> None:  # type: ignore[no-untyped-def]
    """Reload the endpoint's page until the delivery's row shows `text`."""
    deadline = time.monotonic() + seconds
    while text not in row.inner_text() and time.monotonic() < deadline:
        time.sleep(0.5)
        page.reload()
    expect(row).to_contain_text(text)


@pytest.fixture
def erp() -> Iterator[Receiver]:
    with receiver() as sink:
        yield sink


def test_the_owner_connects_an_erp_and_follows_its_deliveries(  # type: ignore[no-untyped-def]
        server: str, browser, committed_url: str, shop: None, erp: Receiver) -> None:
    page = browser.new_page()
    log_in(page, server, "olena", "owner-password-1")
    page.goto(f"{server}/settings")
    page.get_by_role("link", name="Webhooks").click()
    expect(page.locator("#endpoints")).to_contain_text("No endpoints yet.")
    page.fill("#new-endpoint input[name=url]", erp.url)
    page.fill("#new-endpoint input[name=description]", "ERP")
    page.check("#new-endpoint input[value='sale.paid']")
    page.click("#new-endpoint button[type=submit]")
    expect(page.locator("[role=status]")).to_contain_text("copy its signing secret")
    secret = page.get_by_label("signing secret").input_value()
    assert secret.startswith("whsec_")
    expect(page.locator("#deliveries")).to_contain_text("Nothing sent yet.")

    erp.answers = [(500, "ERP is down for maintenance")]
    with seeding(committed_url) as s:
        sell(s, [(product("340.00"), "1")])  # the cashier's sale; the server's worker sends it
    row = page.locator("#deliveries tbody tr").first
    shows(page, row, "HTTP 500")
    expect(row).to_contain_text("sale.paid")
    expect(row).to_contain_text("ERP is down for maintenance")
    expect(row).to_contain_text("next try")
    shows(page, row, "HTTP 204")  # the retry, 5 s later
    expect(row).to_contain_text("delivered")

    page.goto(f"{server}/settings/webhooks")
    expect(page.locator("#endpoints")).to_contain_text("ERP")
    page.get_by_role("link", name=erp.url).click()
    row.get_by_role("button", name="Send again").click()
    expect(page.locator("[role=status]")).to_contain_text("will be sent again now")
    deadline = time.monotonic() + 20
    while len(erp.received) < 3 and time.monotonic() < deadline:
        time.sleep(0.2)
    first, retry, again = erp.received
    assert first.headers["webhook-id"] == retry.headers["webhook-id"] == again.headers["webhook-id"]
    event = Webhook(secret).verify(again.body, again.headers)  # the secret the page showed
    assert event["type"] == "sale.paid" and event["data"]["net_total"] == "340.00"
    page.reload()
    expect(row.locator(".attempt")).to_have_count(3)  # the log keeps every attempt
    expect(row).to_contain_text("delivered")
