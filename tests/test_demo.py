"""The demo store: realistic data through the real services, a consistent ledger."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wordofmouth.auth.models import User
from wordofmouth.catalog.models import Product, ProductGroup
from wordofmouth.club import service as club
from wordofmouth.demo import service as demo
from wordofmouth.friends.models import FriendCode
from wordofmouth.ledger import service as ledger
from wordofmouth.sales.models import Sale, SaleReturn


def test_the_demo_store_has_every_role_a_catalog_tree_sales_and_returns(db: Session) -> None:
    logins = demo.seed_store(db, customers_count=30, sales_count=120, days=90)
    assert {role for _, role, _ in logins} == {"owner", "manager", "cashier", "partner"}
    assert db.scalar(select(func.count(User.id))) == 4
    assert (db.scalar(select(func.count(ProductGroup.id)
                             ).where(ProductGroup.parent_id.is_not(None))) or 0) > 5
    assert (db.scalar(select(func.count(Product.id)).where(
        Product.barcode.is_not(None))) or 0) >= 35
    assert db.scalar(select(func.count(Sale.id)).where(Sale.kind == "receipt",
                                                       Sale.channel != "storefront")) == 120
    assert (db.scalar(select(func.count(SaleReturn.id))) or 0) > 0
    assert ledger.verify(db) == []
    assert not demo.is_empty(db)
    assert club.settings(db).enabled and sum(club.counts(db).values()) > 0
    used = db.scalar(select(func.count(FriendCode.id)).where(FriendCode.status == "used"))
    assert used and used > 0
    from wordofmouth.partners import commission
    from wordofmouth.partners import service as partners

    earned = [commission.balance(db, p.id) for p in partners.partners(db)]
    assert len(earned) == 3 and sum(b.pending + b.payable for b in earned) > 0
    from wordofmouth.customers.models import CustomerContact
    from wordofmouth.partners import invoices, payouts
    from wordofmouth.partners.models import PartnerOffer

    # the salon was paid: the customers whose reward it paid were told so on their cards
    assert db.query(payouts.Payout).filter_by(kind="commission").count() == 1
    assert db.query(CustomerContact).filter_by(kind="reward_paid").count() > 0
    assert db.query(PartnerOffer).count() == 1
    expense = db.query(payouts.Payout).filter_by(kind="one_time").one()
    assert expense.invoice_id is not None
    assert invoices.profit(db, expense.invoice_id).expenses == expense.amount
    blogger = next(p for p in partners.partners(db) if p.kind == "blogger")
    assert blogger.customer_id is not None
    from wordofmouth.mailing import service as mailing
    from wordofmouth.storefront.models import StorefrontOrder

    decisions = sorted(o.decision for o in db.query(StorefrontOrder))
    assert decisions == ["attributed", "attributed", "no_token"]
    demo_mailing = mailing.mailings(db)[0]
    assert mailing.counts(db, demo_mailing.id)["queued"] > 0
