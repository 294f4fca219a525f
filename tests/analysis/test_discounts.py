"""Analysis of discount usage: who got which discount, by kind, cashier, customer, partner,
product group and day, with the share of revenue; CSV and XLSX."""

import csv
import io
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import CardFactory, GroupFactory, ProductFactory
from tests.partners.helpers import partner
from tests.sales.helpers import product, sell
from tests.web.pages import login
from wordofmouth.analysis import discounts
from wordofmouth.calendar import today_date
from wordofmouth.partners import codes
from wordofmouth.sales import payments, service
from wordofmouth.sales.models import PaymentMethod
from wordofmouth.settings import service as store_settings

D = Decimal


def discount_day(db: Session) -> None:
    """A 10 % card on 1 000.00 of hair care, a partner code's 5 % on 400.00 of make-up, and
    600.00 sold at full price: revenue 1 880.00 after 120.00 of discounts."""
    hair, makeup = GroupFactory.create(name="Hair"), GroupFactory.create(name="Make-up")
    card = CardFactory.create(discount_percent=D("10"))
    sell(db, [(ProductFactory.create(price=D("1000.00"), group_id=hair.id), "1")],
         card_number=card.number)
    blogger = partner(db, "Blogger Sofia", rate="5")
    codes.create_code(db, partner_id=blogger.id, code="SOFIA5", discount_percent=D("5"))
    sale = service.create_sale(db, service.SaleDraft(lines=[service.LineDraft(
        product_id=ProductFactory.create(price=D("400.00"), group_id=makeup.id).id)]),
        actor="iryna", channel="pos")
    service.scan(db, sale, "SOFIA5")
    payments.pay(db, sale.id, [payments.PaymentDraft(PaymentMethod.CASH, sale.net_total)])
    sell(db, [(product("600.00"), "1")])


def test_discounts_by_kind_partner_group_and_cashier(db: Session) -> None:
    discount_day(db)
    today = today_date(store_settings.zone(db))
    u = discounts.usage(db, today, today, by="kind")
    assert (u.revenue, u.discount, u.share) == (D("1880.00"), D("120.00"), D("6.38"))
    assert [(r.key, r.lines, r.gross, r.discount, r.share) for r in u.rows] == [
        ("card", 1, D("1000.00"), D("100.00"), D("5.32")),
        ("partner_code", 1, D("400.00"), D("20.00"), D("1.06"))]
    by_partner = discounts.usage(db, today, today, by="partner")
    assert [(r.label, r.discount) for r in by_partner.rows] == [("", D("100.00")),
                                                              ("Blogger Sofia", D("20.00"))]
    by_group = discounts.usage(db, today, today, by="group", kind="partner_code")
    assert [(r.label, r.discount) for r in by_group.rows] == [("Make-up", D("20.00"))]
    by_cashier = discounts.usage(db, today, today, by="cashier")
    assert {r.label: r.discount for r in by_cashier.rows} == {"test": D("100.00"),
                                                              "iryna": D("20.00")}


def test_the_page_and_its_export(client: TestClient, db: Session) -> None:
    discount_day(db)
    login(client, "manager")
    page = client.get("/analysis/discounts?by=kind")
    assert page.status_code == 200 and 'id="du-discount">120.00<' in page.text
    assert "discount card" in page.text and "partner&#39;s promo code" in page.text
    rows = list(csv.DictReader(io.StringIO(
        client.get("/analysis/discounts?by=kind&fmt=csv").text)))
    assert [(r["label"], r["discount"], r["share_percent"]) for r in rows] == [
        ("discount card", "100.00", "5.32"), ("partner's promo code", "20.00", "1.06")]
    xlsx = client.get("/analysis/discounts?by=group&fmt=xlsx")
    assert xlsx.content[:2] == b"PK"
    login(client, "cashier")
    assert client.get("/analysis/discounts").status_code == 403
