"""The back office on the screens a shop has, in Chromium: the owner's whole menu on one row
of a 1366 px laptop (in Ukrainian, the longer words), folded behind one button on a phone;
the till and the partner portal on a tablet without sideways scrolling."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, seeding, staff
from tests.factories import UserFactory
from tests.partners.helpers import partner
from wordofmouth.auth import service as auth

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def shop(committed_url: str, server: str) -> None:
    with seeding(committed_url) as s:
        staff()
        owner = UserFactory.create(login="vlasnyk", role="owner", password="owner-password-2")
        auth.set_language(s, owner.id, "uk")
        salon = partner(s, "Салон «Лілія»")
        UserFactory.create(login="lily", role="partner", password="partner-password-1",
                           partner_id=salon.id)


def _no_sideways_scroll(page) -> None:  # type: ignore[no-untyped-def]
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width


def test_the_menu_fits_a_laptop_and_folds_on_a_phone(  # type: ignore[no-untyped-def]
        server: str, browser, shop: None) -> None:
    laptop = browser.new_page(viewport={"width": 1366, "height": 768})
    log_in(laptop, server, "vlasnyk", "owner-password-2")
    laptop.goto(f"{server}/customers")
    expect(laptop.locator("#menu")).to_contain_text("Журнал дій")  # the owner's last item
    boxes = laptop.locator("#menu > a").evaluate_all(
        "links => links.map(a => a.getBoundingClientRect().top)")
    assert max(boxes) - min(boxes) < 4, boxes  # one row
    expect(laptop.locator("#menu-toggle")).to_be_hidden()
    _no_sideways_scroll(laptop)

    phone = browser.new_page(viewport={"width": 390, "height": 844}, has_touch=True)
    log_in(phone, server, "vlasnyk", "owner-password-2")
    phone.goto(f"{server}/customers")
    expect(phone.locator("#menu")).to_be_hidden()
    phone.locator("#menu-toggle").click()
    expect(phone.locator("#menu")).to_be_visible()
    phone.locator("#menu").get_by_role("link", name="Партнери", exact=True).click()
    phone.wait_for_url(f"{server}/partners")
    _no_sideways_scroll(phone)


def test_the_till_and_the_portal_on_a_tablet(  # type: ignore[no-untyped-def]
        server: str, browser, shop: None) -> None:
    tablet = browser.new_page(viewport={"width": 768, "height": 1024}, has_touch=True)
    log_in(tablet, server, "iryna", "till-password-1")
    tablet.goto(f"{server}/pos")
    expect(tablet.locator("#scan")).to_be_visible()
    _no_sideways_scroll(tablet)
    height = tablet.locator("#pos-register summary").evaluate(
        "e => e.getBoundingClientRect().height")
    assert height > 0
    portal = browser.new_page(viewport={"width": 768, "height": 1024}, has_touch=True)
    log_in(portal, server, "lily", "partner-password-1")
    portal.goto(f"{server}/portal")
    _no_sideways_scroll(portal)
    portal.goto(f"{server}/portal/statement")
    _no_sideways_scroll(portal)
