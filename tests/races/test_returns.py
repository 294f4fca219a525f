"""Returning the same line many times at once pays it back once (issue: concurrent refunds
of one storefront line paid out ten times; the lock was taken after the lines were read)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from tests import factories
from tests.factories import GroupFactory, UserFactory
from tests.live import LiveServer, codes, login, race, statuses
from tests.races.conftest import bearer
from tests.sales.helpers import card, product
from tests.storefront.helpers import keyed
from wordofmouth.auth import service as auth
from wordofmouth.db import utcnow
from wordofmouth.ledger import service as ledger
from wordofmouth.partners.commission import STEP
from wordofmouth.sales import payments
from wordofmouth.sales import service as sales
from wordofmouth.sales.models import PaymentMethod, SaleReturn
from wordofmouth.storefront import orders, tokens

D = Decimal


def test_ten_refunds_of_one_storefront_line_at_once_refund_it_once(
        server: LiveServer, store: Engine) -> None:
    with Session(store) as s:
        factories.bind(s)
        carter = keyed(s, "Carter", "carter81", rate="7")
        group = GroupFactory.create()
        order = orders.report(s, external_id="race-1", account_external_id="acc-race-1",
                              email=None, lines=[orders.OrderLine(D("100.00"),
                                                                  group_id=group.id)],
                              token=tokens.issue(carter.id, "carter81",
                                                 at=utcnow() - timedelta(hours=1)),
                              ordered_at=utcnow() - timedelta(minutes=1), actor="storefront")
        raw = auth.create_token(s, name="shop", scopes=["storefront:orders"], actor="test")
        s.commit()
        sale_id = order.sale_id
        assert order.decision == "attributed"
    answers = race(10, lambda c, i: c.post(
        f"{server.base}/api/storefront/orders/race-1/refunds", json={"lines": [1]},
        headers=bearer(raw)))
    assert statuses(answers) == [200] + [409] * 9, [a.text for a in answers]
    assert codes(answers) == {"already_refunded"}
    with Session(store) as s:
        assert s.scalar(select(func.count()).select_from(SaleReturn)
                        .where(SaleReturn.sale_id == sale_id)) == 1
        assert sales.get_sale(s, sale_id).returned_net == D("100.00")
        assert ledger.sale_total(s, sale_id=sale_id, kinds=[f"{STEP}_reversal"]) == D("-7.00")
        assert ledger.verify(s) == []


def test_ten_returns_of_one_line_at_once_from_the_sale_page_return_it_once(
        server: LiveServer, store: Engine) -> None:
    with Session(store) as s:
        factories.bind(s)
        c = card()
        p = product("2450.00")
        sale = sales.create_sale(s, sales.SaleDraft(
            lines=[sales.LineDraft(product_id=p.id)], card_number=c.number),
            actor="till", channel="pos")
        payments.settle(s, sale, [payments.PaymentDraft(PaymentMethod.CARD, sale.net_total)])
        UserFactory.create(login="cashier-a", role="manager", password="correct-horse-1")
        s.commit()
        sale_id, line_id, net = sale.id, sale.lines[0].id, sale.net_total
    sessions = [login(server.base, "cashier-a", "correct-horse-1") for _ in range(10)]
    answers = race(10, lambda c, i: c.post(
        f"/sales/{sale_id}/returns", data={f"qty_{line_id}": "1", "reason": "race",
                                           "csrf_token": sessions[i][1]}),
        clients=[c for c, _ in sessions])
    assert statuses(answers) == [303] + [409] * 9, [a.text[:200] for a in answers]
    assert sum("Only a paid sale can be returned" in a.text or "is returned" in a.text
               for a in answers) == 9
    with Session(store) as s:
        assert s.scalar(select(func.count()).select_from(SaleReturn)
                        .where(SaleReturn.sale_id == sale_id)) == 1
        assert sales.get_sale(s, sale_id).returned_net == net
        assert ledger.verify(s) == []
