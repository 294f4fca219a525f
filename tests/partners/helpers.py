from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from tests.factories import CardFactory, ProductFactory
from tests.sales.helpers import sell
from wordofmouth.db import utcnow
from wordofmouth.partners import codes, commission, milestones, payouts
from wordofmouth.partners import service as partners
from wordofmouth.partners.models import Partner
from wordofmouth.sales import payments, returns, service
from wordofmouth.sales.models import PaymentMethod, SaleKind

D = Decimal


def partner(db: Session, name: str = "Stylist Anna", rate: str = "10",
            months: int | None = None, rates: dict[int, Decimal] | None = None) -> Partner:
    p = partners.create_partner(db, actor="owner", name=name, kind="specialist")
    commission.set_terms(db, p.id, default_rate=D(rate), months=months, rates=rates or {},
                         actor="owner")
    return p


def salon_day(db: Session) -> int:
    """Salon Lily (10 %) with employee Iryna: a linked customer's purchase, a walk-in with
    the salon's promo code, an invoice through the salon, a milestone reward, a return, a
    payout and a one-time payment."""
    salon = partner(db, "Salon Lily", rate="10")
    salon.payment_details = "UA21 3223 1300 0002 6007 2335 6600 1"
    iryna = partners.add_employee(db, salon.id, name="Iryna")
    milestones.set_milestone(db, salon.id, every=1, minimum=D("0"), amount=D("25.00"),
                             actor="owner")
    codes.create_code(db, partner_id=salon.id, code="LILY5", employee_id=iryna.id)
    item = ProductFactory.create(name="Shampoo", price=D("500.00"))
    olena = CardFactory.create()
    partners.link(db, olena.customer_id, salon.id, actor="cashier")
    first = sell(db, [(item, "2")], card_number=olena.number)  # 100.00 + milestone 25.00
    walk_in = service.create_sale(db, service.SaleDraft(
        lines=[service.LineDraft(product_id=item.id)]), actor="cashier", channel="pos")
    service.scan(db, walk_in, "LILY5")
    payments.pay(db, walk_in.id, [payments.PaymentDraft(PaymentMethod.CASH, D("500.00"))])
    invoice = service.create_sale(db, service.SaleDraft(
        lines=[service.LineDraft(product_id=item.id, qty=D("4"))],
        kind=SaleKind.INVOICE), actor="manager", channel="office")
    partners.set_intermediary(db, invoice.id, salon.id)
    payments.pay_invoice(db, invoice.id, [payments.PaymentDraft(PaymentMethod.BANK,
                                                                D("2000.00"))])
    returns.return_items(db, first.id, [returns.ReturnItem(first.lines[0].id, D("1"))],
                         actor="cashier")
    commission.mature(db, now=utcnow() + timedelta(days=15))
    payouts.pay_out(db, salon.id, amount=D("120.00"), method="bank_transfer", actor="owner")
    payouts.pay_one_time(db, salon.id, invoice_id=invoice.id, amount=D("30.00"), method="cash",
                         actor="owner", note="window display")
    return salon.id
