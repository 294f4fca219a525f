"""From the activity analysis, a selection gets a personal discount % or is invited into
the club in one action, asked first and audited."""

from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.club.helpers import switch_on
from tests.factories import CardFactory, CustomerFactory
from tests.web.pages import login
from wordofmouth.audit.models import AuditEvent
from wordofmouth.club import service as club
from wordofmouth.club.models import ClubDecision
from wordofmouth.customers.models import DiscountCard
from wordofmouth.errors import InvalidInput

D = Decimal


def test_a_selection_gets_a_personal_discount(client: TestClient, db: Session) -> None:
    a, b = CardFactory.create(), CardFactory.create(discount_percent=D("3"))
    cardless = CustomerFactory.create()
    csrf = login(client, "manager")
    ids = [a.customer_id, b.customer_id, cardless.id]
    page = client.get("/analysis/activity/act", params={"audience": "selected",
                                                        "customer": [str(i) for i in ids]})
    assert page.status_code == 200 and 'id="act-count">3<' in page.text
    r = client.post("/analysis/activity/discount", data={
        "csrf_token": csrf, "customer": [str(i) for i in ids], "discount_percent": "12,5"})
    assert r.status_code == 200
    assert "Personal discount set on 2 cards. 1 customer has no card." in r.text
    db.expire_all()
    assert {c.discount_percent for c in db.query(DiscountCard).all()} == {D("12.5")}
    assert db.query(AuditEvent).filter_by(action="customers.discount").count() == 1
    bad = client.post("/analysis/activity/discount", data={
        "csrf_token": csrf, "customer": [str(a.customer_id)], "discount_percent": "120"})
    assert bad.status_code == 422
    assert db.get(DiscountCard, a.id).discount_percent == D("12.5")  # type: ignore[union-attr]


def test_a_selection_is_invited_into_the_club(client: TestClient, db: Session) -> None:
    switch_on(db)
    new, member = CardFactory.create(), CardFactory.create()
    assert club.invite(db, customer_ids=[member.customer_id], actor="owner") == (1, 0)
    csrf = login(client, "owner")
    r = client.post("/analysis/activity/club", data={
        "csrf_token": csrf, "customer": [str(new.customer_id), str(member.customer_id)]})
    assert r.status_code == 200
    assert "1 customer invited into the club. 1 was a member already." in r.text
    assert club.discount_for(db, new.customer_id) == D("7")
    actions = [d.action for d in db.query(ClubDecision).filter_by(customer_id=new.customer_id)]
    assert actions == ["invite"]
    with pytest.raises(InvalidInput):  # nobody who is not a customer
        club.invite(db, customer_ids=[999_999], actor="owner")
