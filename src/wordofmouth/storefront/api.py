"""Storefront API: orders and refunds reported by the storefront's backend; partner keys."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from wordofmouth.auth.permissions import Principal
from wordofmouth.db import utcnow
from wordofmouth.partners.service import get_partner
from wordofmouth.schemas import API_ERRORS
from wordofmouth.storefront import keys, orders
from wordofmouth.storefront import settings as storefront_settings
from wordofmouth.storefront.models import PartnerKey, StorefrontOrder
from wordofmouth.storefront.schemas import (
    KeyIn,
    KeyOut,
    KeySwitch,
    OrderIn,
    OrderOut,
    RefundIn,
    StorefrontSettingsIn,
    StorefrontSettingsOut,
)
from wordofmouth.web.deps import DB, api_permission
from wordofmouth.web.idempotent import idempotent
from wordofmouth.web.openapi import answers

router = APIRouter(prefix="/api", tags=["storefront"], responses=API_ERRORS)
Storefront = Annotated[Principal, Depends(api_permission("storefront:orders"))]
Reader = Annotated[Principal, Depends(api_permission("partners:read"))]
Writer = Annotated[Principal, Depends(api_permission("partners:write"))]
SettingsReader = Annotated[Principal, Depends(api_permission("settings:read"))]
SettingsWriter = Annotated[Principal, Depends(api_permission("settings:write"))]


def _out(db: Session, order: StorefrontOrder) -> OrderOut:
    return OrderOut.model_validate(asdict(orders.summary(db, order)))


@router.post("/storefront/orders", response_model=OrderOut, status_code=201)
@answers(
    "amount_out_of_bounds", "bonus_needs_customer", "bonus_share_exceeded", "card_inactive",
    "card_not_found", "code_taken", "customer_already_linked", "customer_not_found",
    "duplicate_sku", "employee_not_found", "employee_of_another_partner", "empty_sale",
    "group_not_found", "idempotency_key_reused", "insufficient_bonus", "invalid_quantity",
    "order_exists", "partner_inactive", "partner_not_found", "payment_exceeds_due",
    "price_override_forbidden", "product_not_found", "product_not_on_sale", "relink_needs_reason",
    "sale_already_paid", "sale_not_found", "sale_not_open", "sale_repriced", "too_many_lines",
    "unknown_code"
)
def report_order(body: OrderIn, request: Request, db: DB, principal: Storefront) -> Response:
    """An order from the storefront: the account is linked to the partner of the referral
    token when it is genuine, inside the window, the partner is active and the account is
    new or unlinked; the answer says which decision was taken. Commission accrues through
    the ledger with the hold period, like a sale in the shop."""
    def run() -> OrderOut:
        order = orders.report(
            db, external_id=body.external_id, account_external_id=body.account.external_id,
            email=str(body.account.email) if body.account.email else None,
            lines=[orders.OrderLine(amount=ln.amount, kind=ln.kind, product_id=ln.product_id,
                                    group_id=ln.group_id) for ln in body.lines],
            token=body.referral_token, ordered_at=body.ordered_at or utcnow(),
            actor=principal.label)
        return _out(db, order)

    return idempotent(request, db, principal, body, run, 201)


@router.get("/storefront/orders/{external_id}", response_model=OrderOut)
@answers("order_not_found", "sale_not_found")
def get_order(external_id: str, db: DB, _: Storefront) -> OrderOut:
    return _out(db, orders.get(db, external_id))


@router.post("/storefront/orders/{external_id}/refunds", response_model=OrderOut)
@answers(
    "already_refunded", "idempotency_key_reused", "insufficient_bonus", "invalid_quantity",
    "line_not_found", "order_line_not_found", "order_not_found", "return_exceeds_sold",
    "sale_not_found", "sale_not_returnable"
)
def refund(external_id: str, body: RefundIn, request: Request, db: DB,
           principal: Storefront) -> Response:
    """Refund whole lines of an order; the partner's commission is reversed in proportion."""
    def run() -> OrderOut:
        orders.refund(db, external_id, body.lines, actor=principal.label)
        return _out(db, orders.get(db, external_id))

    return idempotent(request, db, principal, body, run)


def _key_out(db: Session, k: PartnerKey) -> KeyOut:
    s = storefront_settings.get(db)
    return KeyOut(id=k.id, key=k.key, partner_id=k.partner_id, active=k.active,
                  storefront_link=keys.storefront_link(s, k.key),
                  short_link=keys.short_link(s, k.key))


@router.get("/partners/{partner_id}/keys", response_model=list[KeyOut])
@answers("partner_not_found")
def list_keys(partner_id: int, db: DB, _: Reader) -> list[KeyOut]:
    get_partner(db, partner_id)
    return [_key_out(db, k) for k in keys.keys_of(db, partner_id)]


@router.post("/partners/{partner_id}/keys", response_model=KeyOut, status_code=201)
@answers(
    "duplicate_partner_key", "idempotency_key_reused", "malformed_partner_key",
    "partner_not_found"
)
def add_key(partner_id: int, body: KeyIn, request: Request, db: DB,
            principal: Writer) -> Response:
    """A referral key: 1–64 of A–Z a–z 0–9 _ . - (case-sensitive, unique)."""
    return idempotent(request, db, principal, body, lambda: _key_out(
        db, keys.add_key(db, partner_id, body.key, actor=principal.label)), 201)



@router.patch("/partners/{partner_id}/keys/{key_id}", response_model=KeyOut)
@answers("idempotency_key_reused", "partner_key_not_found")
def switch_key(partner_id: int, key_id: int, body: KeySwitch, request: Request, db: DB,
               principal: Writer) -> Response:
    """Switch a key off or on; every server process's `/r/KEY` follows at once."""
    return idempotent(request, db, principal, body, lambda: _key_out(
        db, keys.set_active(db, partner_id, key_id, body.active, actor=principal.label)))


@router.get("/storefront/settings", response_model=StorefrontSettingsOut)
def get_settings(db: DB, _: SettingsReader) -> StorefrontSettingsOut:
    return StorefrontSettingsOut.model_validate(asdict(storefront_settings.get(db)))


@router.patch("/storefront/settings", response_model=StorefrontSettingsOut)
@answers("idempotency_key_reused")
def update_settings(body: StorefrontSettingsIn, request: Request, db: DB,
                    principal: SettingsWriter) -> Response:
    """Change the storefront settings (the fields given); `/r/KEY` follows at once."""
    return idempotent(request, db, principal, body, lambda: StorefrontSettingsOut.model_validate(
        asdict(storefront_settings.update(db, actor=principal.label,
                                          **body.model_dump(exclude_none=True)))))
