"""After a payout, the customers whose reward it paid get a contact on their record; the
customer card shows the contact history (notes, rewards paid, mailings) and takes a note."""

from datetime import timedelta
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import CardFactory
from tests.partners.helpers import partner
from tests.sales.helpers import product, sell
from tests.web.pages import login
from wordofmouth.customers import contact_history, contacts
from wordofmouth.db import utcnow
from wordofmouth.partners import commission, payouts
from wordofmouth.partners import service as partners

D = Decimal


def _rewards(db: Session) -> tuple[int, int, int]:
    """Salon Lily (10 %): Olena's purchase of 3 500.00 and then Marta's of 1 200.00, matured."""
    salon = partner(db, "Salon Lily", rate="10")
    olena, marta = CardFactory.create(), CardFactory.create()
    for card, price in ((olena, "3500.00"), (marta, "1200.00")):
        partners.link(db, card.customer_id, salon.id, actor="cashier")
        sell(db, [(product(price), "1")], card_number=card.number)
    commission.mature(db, now=utcnow() + timedelta(days=15))
    return salon.id, olena.customer_id, marta.customer_id


def test_a_payout_leaves_a_contact_with_each_customer_whose_reward_it_paid(
        db: Session) -> None:
    salon, olena, marta = _rewards(db)
    first = payouts.pay_out(db, salon, amount=D("400.00"), method="cash", actor="owner")
    # paid first in, first out: Olena's 350.00, then 50.00 of Marta's 120.00 — written in
    # the language the store speaks to its customers (Ukrainian by default)
    assert [c.text for c in contacts.of(db, olena)] == [
        f"Виплачено винагороду партнеру Salon Lily: 350,00, виплата №{first.id}"]
    assert [c.text for c in contacts.of(db, marta)] == [
        f"Виплачено винагороду партнеру Salon Lily: 50,00, виплата №{first.id}"]
    second = payouts.pay_out(db, salon, amount=D("70.00"), method="cash", actor="owner")
    assert contacts.of(db, marta)[0].text == (
        f"Виплачено винагороду партнеру Salon Lily: 70,00, виплата №{second.id}")
    assert len(contacts.of(db, olena)) == 1


def test_the_customer_card_shows_the_contacts_and_takes_a_note(client: TestClient,
                                                               db: Session) -> None:
    salon, olena, _marta = _rewards(db)
    payouts.pay_out(db, salon, amount=D("350.00"), method="bank_transfer", actor="owner")
    csrf = login(client, "cashier")
    r = client.post(f"/customers/{olena}/notes", data={"csrf_token": csrf,
                                                       "text": "Wants the new shampoo line"})
    assert r.status_code == 200 and "Note added" in r.text
    page = client.get(f"/customers/{olena}").text
    assert "Wants the new shampoo line" in page
    assert "Виплачено винагороду партнеру Salon Lily: 350,00" in page
    kinds = [c.kind for c in contact_history.history(db, olena)]
    assert sorted(kinds) == ["note", "reward_paid"]
    empty = client.post(f"/customers/{olena}/notes", data={"csrf_token": csrf, "text": " "})
    assert empty.status_code == 422 and "Write the note first" in empty.text
    assert len(contacts.of(db, olena)) == 2
