"""A small store for the activity analysis: a partner's customers who buy, one who went
dormant, and customers of nobody."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from tests.factories import CardFactory, CustomerFactory
from tests.partners.helpers import partner
from tests.sales.helpers import give_bonus, product
from wordofmouth.partners import service as partners
from wordofmouth.sales import payments, service
from wordofmouth.sales.models import PaymentMethod

D = Decimal


def bought(db: Session, customer_id: int, price: str, days_ago: int) -> None:
    at = datetime.now(UTC) - timedelta(days=days_ago)
    sale = service.create_sale(db, service.SaleDraft(
        lines=[service.LineDraft(product_id=product(price).id)], customer_id=customer_id,
        created_at=at), actor="t", channel="import")
    payments.pay(db, sale.id, [payments.PaymentDraft(PaymentMethod.CASH, sale.net_total)],
                 paid_at=at)


def store(db: Session) -> dict[str, int]:
    anna = partner(db, "Stylist Anna", rate="0")
    iryna = partners.add_employee(db, anna.id, name="Iryna")
    people = {}
    for key, first, email_ok in (("olena", "Olena", True), ("taras", "Taras", True),
                                 ("mariia", "Mariia", True), ("oleh", "Oleh", False)):
        c = CustomerFactory.create(first_name=first, last_name="Koval", consent_email=email_ok,
                            email=f"{key}@example.com", phone="+380501112233")
        CardFactory.create(customer_id=c.id, discount_percent=D("5") if key == "olena" else D("0"))
        people[key] = c.id
    partners.link(db, people["olena"], anna.id, employee_id=iryna.id, actor="c")
    partners.link(db, people["taras"], anna.id, actor="c")
    bought(db, people["olena"], "100.00", 3)
    bought(db, people["olena"], "200.00", 10)
    bought(db, people["taras"], "80.00", 60)  # dormant for the last 30 days
    bought(db, people["mariia"], "50.00", 5)
    give_bonus(db, people["olena"], "12.50")
    return people | {"anna": anna.id, "iryna": iryna.id}
