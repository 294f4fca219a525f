"""The owner gives a partner a referral key; a visitor follows the link in Chromium and gets
the signed cookie; the storefront reports the visitor's order with it; the owner and the
partner see it in the reward statement."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, seeding, staff
from tests.factories import GroupFactory, UserFactory
from tests.partners.helpers import partner
from wordofmouth.auth import service as auth
from wordofmouth.storefront import settings as storefront_settings

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def shop(committed_url: str, server: str) -> dict[str, str]:
    with seeding(committed_url) as s:
        staff()
        storefront_settings.update(s, actor="test", home_url=f"{server}/login",
                                   allowed_hosts="127.0.0.1", tracking_url=server)
        carter = partner(s, "Carter Blog", rate="10")
        UserFactory.create(login="carter", role="partner", password="partner-password-1",
                    partner_id=carter.id)
        token = auth.create_token(s, name="storefront", scopes=["storefront:orders"],
                                  actor="test")
        return {"partner": str(carter.id), "group": str(GroupFactory.create(name="Plans").id),
                "token": token}


def test_a_referral_link_brings_an_order_to_the_partner(server: str, browser,  # type: ignore[no-untyped-def]
                                                        shop) -> None:
    import httpx2 as httpx

    owner = browser.new_page()
    log_in(owner, server, "olena", "owner-password-1")
    owner.goto(f"{server}/partners/{shop['partner']}")
    owner.fill("#new-key input[name=key]", "carter81")
    owner.click("#new-key button[type=submit]")
    expect(owner.locator("[role=status]")).to_contain_text("Key carter81 added")
    short = owner.get_by_label("short link for carter81").input_value()
    assert short == f"{server}/r/carter81"

    visitor = browser.new_context()
    page = visitor.new_page()
    page.goto(short)
    expect(page).to_have_url(f"{server}/login")  # the storefront's page
    cookie = next(c for c in visitor.cookies() if c["name"] == "wom_ref")
    assert cookie["httpOnly"] and cookie["value"]

    r = httpx.post(f"{server}/api/storefront/orders", headers={
        "Authorization": f"Bearer {shop['token']}", "Idempotency-Key": "SO-100"}, json={
        "external_id": "SO-100", "account": {"external_id": "acct-7",
                                             "email": "visitor@example.com"},
        "lines": [{"group_id": int(shop["group"]), "amount": "120.00",
                   "kind": "subscription_activation"}],
        "referral_token": cookie["value"]})
    assert r.status_code == 201 and r.json()["decision"] == "attributed"

    owner.goto(f"{server}/partners/{shop['partner']}/statement")
    expect(owner.locator("#st-accounts")).to_have_text("1")
    expect(owner.locator("#st-activations")).to_have_text("1")
    expect(owner.locator("#st-commission")).to_have_text("12.00")

    mine = browser.new_page()
    log_in(mine, server, "carter", "partner-password-1")
    mine.goto(f"{server}/portal/statement")
    expect(mine.locator("#st-orders")).to_have_text("1")
    expect(mine.locator("svg[aria-label^=funnel]")).to_contain_text("clicks")


def test_a_key_switched_off_credits_nobody_until_switched_on(server: str, browser,  # type: ignore[no-untyped-def]
                                                              shop) -> None:
    owner = browser.new_page()
    log_in(owner, server, "olena", "owner-password-1")
    owner.goto(f"{server}/partners/{shop['partner']}")
    owner.fill("#new-key input[name=key]", "carter-leaked")
    owner.click("#new-key button[type=submit]")
    expect(owner.locator("[role=status]")).to_contain_text("Key carter-leaked added")

    def visit() -> bool:
        visitor = browser.new_context()
        visitor.new_page().goto(f"{server}/r/carter-leaked")
        credited = any(c["name"] == "wom_ref" for c in visitor.cookies())
        visitor.close()
        return credited

    assert visit()
    row = owner.locator("#referral-keys tr", has_text="carter-leaked")
    owner.once("dialog", lambda d: d.accept())  # "Switch off the key …? …"
    row.get_by_role("button", name="Switch off").click()
    expect(owner.locator("[role=status]")).to_contain_text(
        "Key carter-leaked switched off: its links credit nobody.")
    expect(row).to_contain_text("(off)")
    assert not visit()  # the link still leads to the storefront, but credits nobody

    row.get_by_role("button", name="Switch on").click()
    expect(owner.locator("[role=status]")).to_contain_text("Key carter-leaked switched on.")
    assert visit()
