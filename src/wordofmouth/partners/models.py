"""Referrer partners, their employees, who brought each customer, partner promo codes,
commission terms and payouts."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from wordofmouth.db import Base, Money, Percent, UTCDateTime, utcnow


class PartnerKind(StrEnum):
    BLOGGER = "blogger"
    SPECIALIST = "specialist"
    MEDIA = "media"
    COMPANY = "company"
    STORE = "store"
    OTHER = "other"


class Partner(Base):
    __tablename__ = "partners"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    kind: Mapped[str] = mapped_column(String(20), default=PartnerKind.OTHER)
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    contacts: Mapped[str] = mapped_column(Text, default="")
    payment_details: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The statement of each month e-mailed to the partner early in the next (with its PDF).
    statement_by_email: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The partner's own customer card, when the partner is rewarded in bonuses (Refer a
    # Friend): those bonuses can be cashed out as a payout.
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))


class PartnerEmployee(Base):
    __tablename__ = "partner_employees"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class CustomerLink(Base):
    """Who brought the customer: one partner (and maybe one of its employees) per customer."""

    __tablename__ = "customer_links"
    __table_args__ = (Index("ix_customer_links_partner", "partner_id", "employee_id"),)

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("partner_employees.id"))
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    source: Mapped[str] = mapped_column(String(20))  # manual | partner_code | storefront | import


class CustomerLinkChange(Base):
    """The history of links: every link, and every re-link with who did it and why."""

    __tablename__ = "customer_link_changes"
    __table_args__ = (Index("ix_customer_link_changes_customer", "customer_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    partner_id: Mapped[int] = mapped_column(Integer)
    employee_id: Mapped[int | None] = mapped_column(Integer)
    previous_partner_id: Mapped[int | None] = mapped_column(Integer)
    previous_employee_id: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(120))
    reason: Mapped[str] = mapped_column(String(300), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PartnerCode(Base):
    """A promo code for a blogger's followers: matched case-insensitively (stored upper)."""

    __tablename__ = "partner_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("partner_employees.id"))
    discount_percent: Mapped[Decimal] = mapped_column(Percent, default=Decimal("0"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("product_groups.id"))
    valid_from_day: Mapped[int | None] = mapped_column(Integer)
    valid_to_day: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class CommissionTerms(Base):
    __tablename__ = "commission_terms"

    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), primary_key=True)
    default_rate: Mapped[Decimal] = mapped_column(Percent, default=Decimal("0"))
    months: Mapped[int | None] = mapped_column(Integer)  # None: for the customer's lifetime
    # Milestone reward: `milestone_amount` each time the count of new customers whose first
    # purchase is at least `milestone_minimum` reaches a multiple of `milestone_every`.
    milestone_every: Mapped[int | None] = mapped_column(Integer)
    milestone_minimum: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    milestone_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    milestone_count: Mapped[int] = mapped_column(Integer, default=0)


class CommissionRate(Base):
    """A partner's rate for a product group (the most specific group of the tree wins)."""

    __tablename__ = "commission_rates"

    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("product_groups.id"), primary_key=True)
    rate: Mapped[Decimal] = mapped_column(Percent)


class SaleAttribution(Base):
    """Why a sale was (or was not) credited to a partner."""

    __tablename__ = "sale_attributions"
    __table_args__ = (Index("ix_sale_attributions_partner", "partner_id", "sale_id"),)

    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), primary_key=True)
    partner_id: Mapped[int | None] = mapped_column(Integer)
    employee_id: Mapped[int | None] = mapped_column(Integer)
    # linked_customer | partner_code | invoice_intermediary | none
    reason: Mapped[str] = mapped_column(String(30))
    code: Mapped[str] = mapped_column(String(32), default="")
    commission: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    # An invoice through an intermediary that the intermediary pays (not the customer): it
    # may be paid by setting off the partner's payable commission.
    partner_pays: Mapped[bool] = mapped_column(Boolean, default=False)


class CommissionLine(Base):
    """The rate a sale's line earned commission at, kept with the accrual: a return takes
    back what that line earned, at that rate, whatever the terms say later."""

    __tablename__ = "partner_commission_lines"

    sale_line_id: Mapped[int] = mapped_column(ForeignKey("sale_lines.id"), primary_key=True)
    sale_id: Mapped[int] = mapped_column(Integer, index=True)
    rate: Mapped[Decimal] = mapped_column(Percent)


class MilestoneCustomer(Base):
    """A new customer counted towards the partner's milestones: once, on the first purchase,
    whatever returns and re-purchases follow."""

    __tablename__ = "partner_milestone_customers"
    __table_args__ = (Index("ix_partner_milestone_customers_partner", "partner_id", "number"),)

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    sale_id: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)  # the partner's count with this customer
    rewarded: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Payout(Base):
    """Money handed to a partner: commission from payable, a one-time payment linked to an
    invoice as an expense, or the partner's bonuses cashed out."""

    __tablename__ = "partner_payouts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    method: Mapped[str] = mapped_column(String(20))  # cash | bank_transfer
    # commission | one_time | bonus_cash_out
    kind: Mapped[str] = mapped_column(String(20), default="commission")
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("sales.id"), index=True)
    note: Mapped[str] = mapped_column(String(300), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))
    override_reason: Mapped[str] = mapped_column(String(300), default="")


class CommissionReview(Base):
    """A commission held for the owner's review: the buyer looks like the partner themselves
    (their phone, e-mail or own card, or an employee's) or shares a phone with other
    customers of the partner. It does not mature while under review; approved, it matures
    as usual; rejected, it is reversed."""

    __tablename__ = "partner_commission_reviews"
    __table_args__ = (Index("ix_partner_commission_reviews_status", "status", "partner_id"),)

    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    reason: Mapped[str] = mapped_column(String(40))  # partner_phone | employee_email | …
    status: Mapped[str] = mapped_column(String(20), default="under_review")
    flagged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by: Mapped[str] = mapped_column(String(120), default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PartnerOffer(Base):
    """A special offer for a partner's customers (seeds 000, 001: "create special offers for
    the partner's customers, joint marketing campaigns"): a discount % for the customers
    linked to the partner (or to one of its employees), on a product group, for dates. It
    competes in the one-discount-per-line resolution like any other discount."""

    __tablename__ = "partner_offers"
    __table_args__ = (Index("ix_partner_offers_partner", "partner_id", "active"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("partner_employees.id"))
    name: Mapped[str] = mapped_column(String(120))
    discount_percent: Mapped[Decimal] = mapped_column(Percent)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("product_groups.id"))
    valid_from_day: Mapped[int | None] = mapped_column(Integer)
    valid_to_day: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
