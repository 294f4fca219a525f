"""The owner runs a Refer a Friend campaign, a friend buys with a code, the referrer sees the
bonus — in Chromium."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader
from sqlalchemy import select

from tests.browser.conftest import log_in, register_customer, seeding, settled, staff
from tests.friends.helpers import campaign
from tests.sales.helpers import card, product
from wordofmouth.customers import service as customers
from wordofmouth.friends import service as friends
from wordofmouth.friends.models import FriendReferral

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def shop(committed_url: str) -> dict[str, str]:
    with seeding(committed_url):
        staff()
        referrer = card()
        referrer.customer.first_name, referrer.customer.last_name = "Oksana", "Lysenko"
        serum = product("600.00")
        return {"referrer": str(referrer.customer_id), "serum": serum.barcode or ""}


def test_a_friend_buys_with_a_code_and_the_referrer_gets_the_bonus(server: str, browser,  # type: ignore[no-untyped-def]
                                                                  shop) -> None:
    owner = browser.new_page()
    log_in(owner, server, "olena", "owner-password-1")
    owner.goto(f"{server}/friends")
    form = owner.locator("#new-campaign")
    form.locator("input[name=name]").fill("Bring a friend")
    form.locator("input[name=start_date]").fill("2026-11-01")
    form.locator("input[name=validity_days]").fill("365")
    form.locator("input[name=friend_discount_percent]").fill("10")
    form.locator("select[name=bonus_rule]").select_option("fixed")
    form.locator("input[name=bonus_value]").fill("75")
    form.locator("button[type=submit]").click()
    expect(owner.locator("[role=status]")).to_contain_text("Campaign Bring a friend created")

    owner.goto(f"{server}/customers/{shop['referrer']}")
    owner.locator("#issue-codes input[name=count]").fill("3")
    owner.locator("#issue-codes button[type=submit]").click()
    expect(owner.locator("[role=status]")).to_contain_text("3 codes issued")
    codes = owner.locator("#codes-text").input_value().split()
    friend_code = codes[0]
    pdf = owner.request.get(owner.locator("#labels-a4").get_attribute("href")
                            .replace("/friends", f"{server}/friends", 1))
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body()[:5] == b"%PDF-"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert text.count("знижки на першу покупку") == 3  # the store's language

    till = browser.new_page()
    log_in(till, server, "iryna", "till-password-1")
    new_card = register_customer(till, server, "Daryna", "Koval")

    till.goto(f"{server}/pos")
    for code in (new_card, shop["serum"], friend_code):
        till.type("#scan", code, delay=5)
        till.keyboard.press("Enter")
    # the cashier confirms the code's use, seeing its discount and whose it is
    confirm = till.locator("#pos-confirm")
    expect(confirm).to_contain_text(f"Friend code {friend_code} of Oksana L.")
    expect(confirm).to_contain_text("10 % off")
    expect(confirm).to_contain_text("Oksana L. gets 75.00 bonuses when the sale is paid")
    expect(till.locator("#pos-total")).to_have_text("600.00")  # not applied yet
    settled(till)
    till.keyboard.press("Enter")  # the confirm button has the keyboard
    expect(till.locator("#pos-message")).to_contain_text(f"Friend code {friend_code}")
    expect(till.locator("#pos-total")).to_have_text("540.00")
    # the discount is named in words: whose code it is
    expect(till.locator("#pos-lines [data-reason]")).to_have_text("Friend code of Oksana L.")
    settled(till)
    till.fill("#pay-cash", "540")
    till.press("#pay-cash", "Enter")
    till.wait_for_selector("#pos-done")
    expect(till.locator("#pos-message")).to_contain_text(
        "Oksana L. got 75.00 bonuses for recommending a friend.")

    owner.goto(f"{server}/customers/{shop['referrer']}")
    expect(owner.locator("#bonus-balance")).to_have_text("75.00")
    expect(owner.locator("#friend-codes")).to_contain_text("used")


def test_a_friend_with_no_card_gets_the_discount_and_becomes_a_customer(  # type: ignore[no-untyped-def]
        server: str, browser, shop, committed_url: str) -> None:
    with seeding(committed_url) as s:
        spring = campaign(s, name="Walk-in friends", bonus_amount=Decimal("75"))
        [code] = friends.issue_codes(s, customer_id=int(shop["referrer"]),
                                     campaign_id=spring.id, count=1, actor="test")
        friend_code = code.code
    till = browser.new_page()
    log_in(till, server, "iryna", "till-password-1")
    till.goto(f"{server}/pos")
    for typed in (shop["serum"], friend_code):
        till.type("#scan", typed, delay=5)
        till.keyboard.press("Enter")
    expect(till.locator("#pos-confirm")).to_contain_text("of Oksana L.")
    settled(till)
    till.get_by_role("button", name="Use the code").click()
    expect(till.locator("#pos-message")).to_contain_text(
        "The friend becomes a customer when the sale is paid.")
    expect(till.locator("#pos-total")).to_have_text("540.00")  # no card, still 10 % off
    settled(till)
    till.keyboard.press("F7")
    till.keyboard.press("F2")
    expect(till.locator("#pos-message")).to_contain_text(
        "Oksana L. got 75.00 bonuses for recommending a friend.")
    with seeding(committed_url) as s:
        [friend] = customers.search(s, query="Друг від Oksana")
        referral = s.scalars(select(FriendReferral).where(
            FriendReferral.friend_id == friend.id)).one()
        assert referral.referrer_id == int(shop["referrer"])
