"""Import every capability's tables so the metadata (and Alembic) sees all of them."""

from wordofmouth.audit.models import AuditEvent
from wordofmouth.auth.models import ApiToken, LoginAttempt, User, UserSession
from wordofmouth.catalog.models import Product, ProductGroup
from wordofmouth.club.models import ClubDecision, ClubMembership, ClubReview
from wordofmouth.customers.models import Customer, DiscountCard
from wordofmouth.db import Base
from wordofmouth.friends.models import FriendCampaign, FriendCode, FriendReferral
from wordofmouth.history.models import ImportJob
from wordofmouth.idempotency.models import IdempotencyRecord
from wordofmouth.ledger.models import LedgerAccount, LedgerEntry
from wordofmouth.mailing.models import Mailing, Message, OptOut
from wordofmouth.partners.models import (
    CommissionRate,
    CommissionTerms,
    CustomerLink,
    CustomerLinkChange,
    MilestoneCustomer,
    Partner,
    PartnerCode,
    PartnerEmployee,
    Payout,
    SaleAttribution,
)
from wordofmouth.sales.models import Payment, ReturnLine, Sale, SaleLine, SaleReturn
from wordofmouth.scancodes.models import ScanCode
from wordofmouth.settings.models import StoreSetting
from wordofmouth.storefront.models import (
    CacheVersion,
    Click,
    PartnerKey,
    StorefrontAccount,
    StorefrontOrder,
)
from wordofmouth.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Base",
    "CacheVersion",
    "Click",
    "ClubDecision",
    "ClubMembership",
    "ClubReview",
    "CommissionRate",
    "CommissionTerms",
    "Customer",
    "CustomerLink",
    "CustomerLinkChange",
    "DiscountCard",
    "FriendCampaign",
    "FriendCode",
    "FriendReferral",
    "IdempotencyRecord",
    "ImportJob",
    "LedgerAccount",
    "LedgerEntry",
    "LoginAttempt",
    "Mailing",
    "Message",
    "MilestoneCustomer",
    "OptOut",
    "Partner",
    "PartnerCode",
    "PartnerEmployee",
    "PartnerKey",
    "Payment",
    "Payout",
    "Product",
    "ProductGroup",
    "ReturnLine",
    "Sale",
    "SaleAttribution",
    "SaleLine",
    "SaleReturn",
    "ScanCode",
    "StoreSetting",
    "StorefrontAccount",
    "StorefrontOrder",
    "User",
    "UserSession",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
]
