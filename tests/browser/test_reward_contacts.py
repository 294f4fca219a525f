"""The owner pays a partner in Chromium; the customer whose reward it paid has a contact on
their card saying so, and a cashier adds a note beside it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, seeding, staff
from tests.factories import CardFactory, CustomerFactory
from tests.partners.helpers import partner
from tests.sales.helpers import product, sell
from wordofmouth.db import utcnow
from wordofmouth.partners import commission
from wordofmouth.partners import service as partners

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def olena(committed_url: str, server: str) -> int:
    with seeding(committed_url) as s:
        staff()
        salon = partner(s, "Салон «Лілія»", rate="10")
        customer = CustomerFactory.create(first_name="Олена", last_name="Коваль")
        card = CardFactory.create(customer_id=customer.id)
        partners.link(s, customer.id, salon.id, actor="cashier")
        sell(s, [(product("3500.00"), "1")], card_number=card.number)
        commission.mature(s, now=utcnow() + timedelta(days=15))
        assert commission.balance(s, salon.id).payable == Decimal("350.00")
        return customer.id


def test_a_payout_leaves_a_contact_on_the_customer_card(  # type: ignore[no-untyped-def]
        server: str, browser, olena: int) -> None:
    page = browser.new_page()
    log_in(page, server, "olena", "owner-password-1")
    page.goto(f"{server}/partners-balance")
    row = page.locator("tr", has_text="Салон «Лілія»")
    expect(row.locator("input[name=amount]")).to_have_value("350.00")
    asked: list[str] = []

    def answer(dialog) -> None:  # type: ignore[no-untyped-def]
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", answer)
    row.get_by_role("button", name="Pay").click()  # money out: asked first
    expect(page.locator("[role=status]")).to_contain_text("350.00")
    assert asked == ["Pay Салон «Лілія» 350.00? A payout is not undone; a correction is a "
                     "new entry."]
    page.goto(f"{server}/customers/{olena}")
    history = page.locator("#contact-history")
    expect(history.locator("tr[data-kind=reward_paid]")).to_contain_text(
        "Виплачено винагороду партнеру Салон «Лілія»: 350,00")
    page.fill("#add-note input[name=text]", "Telephoned: happy with the salon")
    page.click("#add-note button[type=submit]")
    expect(page.locator("#contact-history tr[data-kind=note]")).to_contain_text(
        "Telephoned: happy with the salon")
