"""Placeholders a store owner writes into a reminder: who brought the customer, and how
long and how much is left in their club period (seed 002: "remind them to confirm")."""

import re
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.club.helpers import BASE, buy, switch_on
from tests.factories import CardFactory, CustomerFactory
from tests.partners.helpers import partner
from tests.web.pages import login
from wordofmouth.club import service as club
from wordofmouth.mailing import audience, rules
from wordofmouth.partners import service as partners
from wordofmouth.settings import service as store_settings

D = Decimal


def test_partner_employee_and_the_club_deadline_and_amount_left(db: Session) -> None:
    store_settings.update(db, actor="owner", language="uk")
    switch_on(db)  # to stay: 3 000.00 within 60 days
    salon = partner(db, "Салон «Лілія»")
    iryna = partners.add_employee(db, salon.id, name="Ірина")
    olena = CustomerFactory.create(first_name="Олена")
    card = CardFactory.create(customer_id=olena.id)
    partners.link(db, olena.id, salon.id, employee_id=iryna.id, actor="cashier")
    buy(db, card, "5000.00", BASE + 1)
    club.run_review(db, day=BASE + 1)
    club.decide(db, customer_ids=[olena.id], action="grant", actor="owner", day=BASE + 1)
    buy(db, card, "1000.00", BASE + 5)  # 930.00 after the 7 % club discount
    club.run_review(db, day=BASE + 6)
    walk_in = CustomerFactory.create(first_name="Марта")
    people = {p.customer.first_name: p.values
              for p in audience.people(db, [olena.id, walk_in.id])}
    text = rules.render("{first_name}, до {club_deadline} лишилося купити на "
                        "{club_amount_left} — {partner}, {employee}", people["Олена"])
    # the confirmation period is BASE+1 … BASE+60: 2024-10-05 … 2024-12-03; 3 000 − 930
    assert text == ("Олена, до 03.12.2024 лишилося купити на 2\u00a0070,00 — Салон «Лілія», "
                    "Ірина")
    assert {k: people["Марта"][k] for k in ("partner", "employee", "club_deadline",
                                             "club_amount_left")} == dict.fromkeys(
        ("partner", "employee", "club_deadline", "club_amount_left"), "")


def test_a_club_list_gets_a_prefilled_reminder(client: TestClient, db: Session) -> None:
    switch_on(db)
    members = [CardFactory.create() for _ in range(2)]
    for card in members:
        buy(db, card, "5000.00", BASE + 1)
    club.run_review(db, day=BASE + 1)
    club.decide(db, customer_ids=[c.customer_id for c in members], action="grant",
                actor="owner", day=BASE + 1)
    csrf = login(client, "manager")
    assert 'data-remind="member"' in client.get("/club").text
    page = client.get("/mailings/new?audience=club&status=member")
    assert page.status_code == 200 and 'id="audience-size">2<' in page.text
    assert "{club_amount_left}" in page.text and "{club_deadline}" in page.text
    key = re.search(r'name="client_key" value="([^"]+)"', page.text)
    assert key is not None
    r = client.post("/mailings", data={
        "csrf_token": csrf, "audience": "club", "status": "member", "channel": "email",
        "subject": "{first_name}", "body": "{club_amount_left} by {club_deadline}",
        "client_key": key.group(1)})
    assert r.status_code == 200 and "Mailing created: 2 to send" in r.text
    bad = client.get("/mailings/new?audience=club&status=vip")
    assert bad.status_code == 422 and "Choose a club list" in bad.text
