"""A Ukrainian shop's day in Chromium, in Ukrainian: the owner finds customers by Cyrillic
name and phone in alphabetical order, the cashier sells with a card and reads amounts in
the Ukrainian format, the partner reads the portal; a user switches language and keeps it."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from tests import factories
from tests.browser.conftest import log_in, settled
from tests.factories import UserFactory
from tests.sales.helpers import product
from wordofmouth.auth import service as auth
from wordofmouth.customers import service as customers
from wordofmouth.partners import service as partners
from wordofmouth.settings import service as store_settings

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("WOM_SCREENSHOTS")  # a folder: the test leaves screenshots there


@pytest.fixture(scope="module")
def shop(committed_url: str) -> dict[str, str | None]:
    engine = create_engine(committed_url)
    with Session(engine) as s:
        factories.bind(s)
        store_settings.update(s, actor="t", store_name="Краса Корнер")
        salon = partners.create_partner(s, name="Салон «Лілія»", kind="company", actor="t")
        for login, name, role in (("olena", "Олена Коваленко", "owner"),
                                  ("iryna", "Ірина Бондар", "cashier"),
                                  ("lilia", "Салон «Лілія»", "partner")):
            user = UserFactory.create(login=login, name=name, role=role,
                                      password="pass-word-123",
                                      partner_id=salon.id if role == "partner" else None)
            auth.set_language(s, user.id, "uk")
        people = [("Богдан", "Аврамчук", "0679757631"), ("Ганна", "Ґудзь", None),
                  ("Оксана", "Гнатюк", None), ("Їжак", "Їжакевич", None),
                  ("Ілля", "Ільченко", None)]
        found = {}
        for first, last, phone in people:
            c = customers.create_customer(s, first_name=first, last_name=last, phone=phone)
            found[last] = customers.issue_card(s, c.id, discount_percent=Decimal("10")).number
        partners.link(s, customers.search(s, query="Аврамчук")[0].id, salon.id, actor="t")
        cream = product("1372.00", name="Зволожувальний крем 50 мл")
        s.commit()
        data = {"card": found["Аврамчук"], "cream": cream.barcode}
    engine.dispose()
    return data


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_the_owner_finds_customers_in_ukrainian(server: str, browser, shop) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(locale="en-US")  # the user's own choice wins over the browser's
    log_in(page, server, "olena", "pass-word-123")
    expect(page.locator("h1")).to_have_text("Краса Корнер")
    expect(page.locator("main")).to_contain_text("Продажі сьогодні")
    expect(page.locator("header")).to_contain_text("Олена Коваленко · власник")
    page.goto(f"{server}/customers")
    names = page.locator("tbody tr td:first-child").all_inner_texts()
    assert names == ["Богдан Аврамчук", "Оксана Гнатюк", "Ганна Ґудзь", "Ілля Ільченко",
                     "Їжак Їжакевич"]
    page.fill("input[name=q]", "аврамчук")
    page.press("input[name=q]", "Enter")
    expect(page.locator("tbody tr")).to_have_count(1)
    page.fill("input[name=q]", "067 975 76 31")
    page.press("input[name=q]", "Enter")
    expect(page.locator("tbody")).to_contain_text("Богдан Аврамчук")
    expect(page.locator("tbody")).to_contain_text("+380679757631")
    _shot(page, "back-office-customers")
    page.goto(f"{server}/")
    _shot(page, "back-office-home")
    page.click("header button[value=en]")
    expect(page.locator("main")).to_contain_text("Sales today")
    page.click("header button[value=uk]")
    expect(page.locator("main")).to_contain_text("Продажі сьогодні")
    page.close()


def test_the_cashier_sells_and_reads_ukrainian_amounts(server: str, browser, shop) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    log_in(page, server, "iryna", "pass-word-123")
    page.goto(f"{server}/pos")
    expect(page.locator("main")).to_contain_text("Скануйте")
    for code in (shop["card"], shop["cream"]):
        page.type("#scan", code, delay=5)
        page.keyboard.press("Enter")
    expect(page.locator("#pos-customer")).to_contain_text("Богдан Аврамчук")
    settled(page)
    # 1 372.00 less the card's 10 %: 1 234.80, in the Ukrainian format (no-break space, comma)
    assert page.inner_text("#pos-total") == "1\u00a0234,80"
    page.fill("#pay-cash", "1 300,00")
    page.press("#pay-cash", "Enter")
    page.wait_for_selector("#pos-done, #pos-error")
    assert page.query_selector("#pos-error") is None, page.inner_text("#pos-error")
    expect(page.locator("#pos-message")).to_have_text("Оплачено. Решта: 65,20.")
    _shot(page, "pos")
    page.close()


def test_the_partner_reads_the_portal_in_ukrainian(server: str, browser, shop) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    log_in(page, server, "lilia", "pass-word-123")
    expect(page.locator("main")).to_contain_text("Клієнти, яких ви привели")
    expect(page.locator("main")).to_contain_text("Богдан А.")
    _shot(page, "portal")
    page.close()


def test_the_login_page_follows_the_browser_language(server: str, browser) -> None:  # type: ignore[no-untyped-def]
    uk = browser.new_context(locale="uk-UA")
    page = uk.new_page()
    page.goto(f"{server}/login")
    expect(page.locator("button[type=submit]")).to_have_text("Увійти")
    uk.close()
    en = browser.new_context(locale="en-GB")
    page = en.new_page()
    page.goto(f"{server}/login")
    expect(page.locator("button[type=submit]")).to_have_text("Log in")
    page.click("a[lang=uk]")
    expect(page.locator("button[type=submit]")).to_have_text("Увійти")
    en.close()
