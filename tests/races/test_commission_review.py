"""Ten owners' browsers reject one held commission at once: it is decided once and reversed
once (the review row is locked before it is read)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from tests import factories
from tests.factories import CardFactory, CustomerFactory, UserFactory
from tests.live import LiveServer, login, race, statuses
from tests.partners.helpers import partner
from tests.sales.helpers import product, sell
from wordofmouth.ledger import service as ledger
from wordofmouth.ledger.models import LedgerEntry
from wordofmouth.partners import commission
from wordofmouth.partners import service as partners
from wordofmouth.partners.models import CommissionReview

D = Decimal


def test_ten_rejections_of_one_held_commission_reverse_it_once(
        server: LiveServer, store: Engine) -> None:
    with Session(store) as s:
        factories.bind(s)
        salon = partner(s, "Salon Lily", rate="10")
        own = CustomerFactory.create()
        salon.customer_id = own.id
        partners.link(s, own.id, salon.id, actor="cashier")
        sale = sell(s, [(product("800.00"), "1")],
                    card_number=CardFactory.create(customer_id=own.id).number)
        UserFactory.create(login="owner-r", role="owner", password="correct-horse-1")
        s.commit()
        salon_id, sale_id = salon.id, sale.id
    sessions = [login(server.base, "owner-r", "correct-horse-1") for _ in range(10)]
    answers = race(10, lambda c, i: c.post(
        f"/partners/{salon_id}/reviews/{sale_id}",
        data={"decision": "reject", "csrf_token": sessions[i][1]}),
        clients=[c for c, _ in sessions])
    assert statuses(answers) == [303] + [409] * 9, [a.text[:200] for a in answers]
    with Session(store) as s:
        assert s.get(CommissionReview, sale_id).status == "rejected"  # type: ignore[union-attr]
        assert s.scalar(select(func.count()).select_from(LedgerEntry).where(
            LedgerEntry.kind == "commission_rejected", LedgerEntry.sale_id == sale_id)) == 1
        assert commission.balance(s, salon_id).pending == D("0.00")
        assert ledger.verify(s) == []
