"""The owner filters the dormant customers of one partner in the activity analysis, creates
an e-mail mailing from them, and a real SMTP server receives exactly the consenting ones —
in Chromium, against a running server whose own worker sends the mailing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import expect

from tests.analysis.helpers import bought
from tests.browser.conftest import log_in, seeding, settled, staff
from tests.factories import CardFactory, CustomerFactory
from tests.mailing.conftest import SmtpSink, free_port, use_smtp
from tests.partners.helpers import partner
from wordofmouth.calendar import DEFAULT_ZONE, today_date, zone
from wordofmouth.partners import service as partners

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def sink() -> Iterator[SmtpSink]:
    found = SmtpSink(free_port())
    controller = Controller(found, hostname="127.0.0.1", port=found.port)
    controller.start()
    yield found
    controller.stop()


@pytest.fixture(scope="module")
def shop(committed_url: str, sink: SmtpSink) -> dict[str, int]:
    with seeding(committed_url) as s:
        staff()
        use_smtp(s, sink.port)
        anna = partner(s, "Stylist Anna", rate="0")
        ids = {}
        for key, consent, days_ago, linked in (("olena", True, 60, True),
                                               ("taras", False, 60, True),
                                               ("mariia", True, 5, True),
                                               ("oleh", True, 60, False)):
            c = CustomerFactory.create(first_name=key.capitalize(), last_name="Koval",
                                email=f"{key}@example.com", consent_email=consent)
            CardFactory.create(customer_id=c.id)
            if linked:
                partners.link(s, c.id, anna.id, actor="cashier")
            bought(s, c.id, "100.00", days_ago)
            ids[key] = c.id
        return ids | {"anna": anna.id}


def test_dormant_customers_of_a_partner_get_an_email(server: str, browser,  # type: ignore[no-untyped-def]
                                                     shop, sink: SmtpSink) -> None:
    page = browser.new_page()
    log_in(page, server, "olena", "owner-password-1")
    page.goto(f"{server}/analysis/activity")
    today = today_date(zone(DEFAULT_ZONE))  # the store's day
    page.fill("input[name=date_from]", (today - timedelta(days=90)).isoformat())
    page.select_option("select[name=partner]", label="Stylist Anna")
    page.fill("input[name=dormant_since]", (today - timedelta(days=30)).isoformat())
    page.click("#activity-filter button[type=submit]")
    expect(page.locator("#activity-total-customers")).to_have_text("2 customers")
    table = page.locator("#activity tbody")
    expect(table).to_contain_text("Olena Koval")
    expect(table).to_contain_text("Taras Koval")
    expect(table).not_to_contain_text("Mariia")
    page.click("#mail-all")
    expect(page.locator("#audience-size")).to_have_text("2")
    page.fill("input[name=subject]", "{first_name}, we miss you")
    page.fill("textarea[name=body]", "Come back: you have {bonus_balance} bonuses.")
    page.click("#preview-button")
    settled(page)
    expect(page.locator("#preview-card")).to_contain_text("we miss you")
    page.click("#send-mailing")
    expect(page.locator("[role=status]")).to_contain_text("1 to send, 1 skipped")
    expect(page.locator("#count-sent")).to_have_text("1", timeout=20_000)  # the server's worker
    expect(page.locator("#messages")).to_contain_text("no consent for e-mail")
    assert sink.to() == ["olena@example.com"]
    mail = sink.received[0]
    assert mail["Subject"] == "Olena, we miss you"
    assert "Come back: you have 0.00 bonuses." in mail.get_payload()
