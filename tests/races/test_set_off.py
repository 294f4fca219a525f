"""Set-offs race for one partner's payable commission: ten invoices paid at once by the same
300.00 set off once; ten part-payments of one invoice at once each set off their part
(the sale is locked before it is read, the payable is one conditional update)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tests import factories
from tests.factories import CardFactory
from tests.live import LiveServer, codes, race, statuses
from tests.partners.helpers import partner
from tests.races.conftest import bearer
from tests.sales.helpers import product, sell
from wordofmouth.auth import service as auth
from wordofmouth.db import utcnow
from wordofmouth.ledger import service as ledger
from wordofmouth.partners import commission, payouts
from wordofmouth.partners import service as partners
from wordofmouth.sales import service as sales
from wordofmouth.sales.models import SaleKind

D = Decimal


def _salon_and_invoices(s: Session, name: str, count: int, price: str) -> tuple[int, list[int]]:
    """A salon with 300.00 payable and `count` invoices it pays itself."""
    factories.bind(s)
    salon = partner(s, name, rate="10")
    olena = CardFactory.create()
    partners.link(s, olena.customer_id, salon.id, actor="cashier")
    sell(s, [(product("3000.00"), "1")], card_number=olena.number)
    commission.mature(s, now=utcnow() + timedelta(days=15))
    ids = []
    for _ in range(count):
        invoice = sales.create_sale(s, sales.SaleDraft(
            lines=[sales.LineDraft(product_id=product(price).id)], kind=SaleKind.INVOICE),
            actor="manager", channel="office")
        partners.set_intermediary(s, invoice.id, salon.id, partner_pays=True)
        ids.append(invoice.id)
    return salon.id, ids


def test_ten_invoices_set_off_at_once_take_the_payable_once(
        server: LiveServer, store: Engine) -> None:
    with Session(store) as s:
        salon, invoices = _salon_and_invoices(s, "Salon Lily", 10, "300.00")
        raw = auth.create_token(s, name="erp", scopes=["sales:write"], actor="test")
        s.commit()
    answers = race(10, lambda c, i: c.post(
        f"{server.base}/api/invoices/{invoices[i]}/pay",
        json={"payments": [{"method": "setoff", "amount": "300.00"}]}, headers=bearer(raw)))
    assert statuses(answers) == [200] + [409] * 9, [a.text for a in answers]
    assert codes(answers) == {"payout_above_payable"}
    with Session(store) as s:
        b = commission.balance(s, salon)
        assert (b.payable, b.paid) == (D("0.00"), D("300.00"))
        assert [p.amount for p in payouts.payouts_of(s, salon)] == [D("300.00")]
        assert sorted(sales.get_sale(s, i).paid_total for i in invoices) == (
            [D("0.00")] * 9 + [D("300.00")])
        assert ledger.verify(s) == []


def test_ten_part_set_offs_of_one_invoice_at_once_each_take_their_part(
        server: LiveServer, store: Engine) -> None:
    with Session(store) as s:
        salon, [invoice] = _salon_and_invoices(s, "Gym Olymp", 1, "1000.00")
        raw = auth.create_token(s, name="erp-2", scopes=["sales:write"], actor="test")
        s.commit()
    answers = race(10, lambda c, i: c.post(
        f"{server.base}/api/invoices/{invoice}/pay",
        json={"payments": [{"method": "setoff", "amount": "40.00"}]}, headers=bearer(raw)))
    # 300.00 payable: seven parts of 40.00 are set off, the last three find 20.00 left
    assert statuses(answers) == [200] * 7 + [409] * 3, [a.text for a in answers]
    assert codes(answers) == {"payout_above_payable"}
    with Session(store) as s:
        assert commission.balance(s, salon).payable == D("20.00")
        assert sales.get_sale(s, invoice).paid_total == D("280.00")
        assert len(payouts.payouts_of(s, salon)) == 7
        assert ledger.verify(s) == []
