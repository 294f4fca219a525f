"""Self-referral checks: a commission on what looks like the partner's own purchase is held
for the owner's review, does not mature, and is approved or rejected (audited)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import CardFactory, CustomerFactory
from tests.partners.helpers import partner
from tests.sales.helpers import product, sell
from tests.web.pages import login
from wordofmouth.audit.models import AuditEvent
from wordofmouth.calendar import today_date
from wordofmouth.db import utcnow
from wordofmouth.partners import commission, errors, self_referral, settlement
from wordofmouth.partners import service as partners
from wordofmouth.partners.models import CommissionReview
from wordofmouth.settings import service as store_settings

D = Decimal


def _linked(db: Session, partner_id: int, **contacts: str) -> str:
    customer = CustomerFactory.create(**contacts)
    card = CardFactory.create(customer_id=customer.id)
    partners.link(db, customer.id, partner_id, actor="cashier")
    return card.number


def _own_card(db: Session, partner_id: int) -> str:
    p = partners.get_partner(db, partner_id)
    customer = CustomerFactory.create()
    p.customer_id = customer.id
    partners.link(db, customer.id, partner_id, actor="cashier")
    return CardFactory.create(customer_id=customer.id).number


def test_a_buyer_who_looks_like_the_partner_is_held_for_review(db: Session) -> None:
    gym = partner(db, "Gym Olymp", rate="10")
    gym.phone, gym.email = "067 975 76 31", "Olymp@Gym.example"
    trainer = partners.add_employee(db, gym.id, name="Taras", phone="", email="taras@x.example")
    held = {
        "partner_phone": _linked(db, gym.id, phone="+380679757631"),
        "partner_email": _linked(db, gym.id, email="olymp@gym.example"),
        "employee_email": _linked(db, gym.id, email=trainer.email),
    }
    own = _own_card(db, gym.id)
    honest = _linked(db, gym.id, phone="+380501112233")
    for card in [*held.values(), own, honest]:
        sell(db, [(product("1000.00"), "1")], card_number=card)
    reasons = sorted(r.reason for r in self_referral.under_review(db, gym.id))
    assert reasons == sorted([*held, "own_card"])
    b = commission.balance(db, gym.id)
    assert b.pending == D("500.00")
    assert commission.mature(db, now=utcnow() + timedelta(days=15)) == 1  # only the honest one
    assert commission.balance(db, gym.id).payable == D("100.00")
    today = today_date(store_settings.zone(db))
    assert settlement.statement(db, gym.id, today, today).under_review == D("400.00")


def _held_sale(db: Session) -> tuple[int, int]:
    salon = partner(db, "Salon Lily", rate="10")
    sale = sell(db, [(product("800.00"), "1")], card_number=_own_card(db, salon.id))
    return salon.id, sale.id


def test_the_owner_approves_a_held_commission_and_it_matures(db: Session) -> None:
    salon, sale = _held_sale(db)
    self_referral.decide(db, sale, approve=True, actor="owner")
    commission.mature(db, now=utcnow() + timedelta(days=15))
    assert commission.balance(db, salon).payable == D("80.00")
    with pytest.raises(errors.NotUnderReview):
        self_referral.decide(db, sale, approve=False, actor="owner")


def test_a_rejected_commission_is_reversed_and_never_matures(client: TestClient,
                                                             db: Session) -> None:
    salon, sale = _held_sale(db)
    login(client, "manager")
    assert "Commission under review" in client.get(f"/partners/{salon}").text
    csrf = login(client, "owner")
    page = client.get(f"/partners/{salon}").text
    assert f'data-sale="{sale}"' in page and "bought on the partner's own card" in page
    r = client.post(f"/partners/{salon}/reviews/{sale}", data={"csrf_token": csrf,
                                                               "decision": "reject"})
    assert r.status_code == 200 and "Commission rejected" in r.text
    again = client.post(f"/partners/{salon}/reviews/{sale}", data={"csrf_token": csrf,
                                                                   "decision": "reject"})
    assert again.status_code == 409
    b = commission.balance(db, salon)
    assert (b.pending, b.payable) == (D("0.00"), D("0.00"))
    assert commission.mature(db, now=utcnow() + timedelta(days=15)) == 0
    today = today_date(store_settings.zone(db))
    s = settlement.statement(db, salon, today, today)
    assert dict(s.by_source)["rejected"] == D("-80.00") and s.reconciles
    assert db.query(CommissionReview).one().decided_by
    assert db.query(AuditEvent).filter_by(action="partner.commission_review").count() == 1
