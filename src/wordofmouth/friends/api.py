from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from wordofmouth.auth.permissions import Principal
from wordofmouth.calendar import date_of, day_of_date
from wordofmouth.customers import service as customers
from wordofmouth.friends import rules, service
from wordofmouth.friends.models import FriendCampaign
from wordofmouth.friends.schemas import (
    CampaignIn,
    CampaignOut,
    CampaignPatch,
    CodeIn,
    FriendCodeOut,
    IssueIn,
    ValidateIn,
    ValidateOut,
)
from wordofmouth.partners import steps as partner_steps
from wordofmouth.sales import service as sales
from wordofmouth.sales.models import SaleLine
from wordofmouth.sales.schemas import SaleOut
from wordofmouth.schemas import API_ERRORS
from wordofmouth.throttle import code_lookup
from wordofmouth.web.deps import DB, api_permission
from wordofmouth.web.idempotent import idempotent
from wordofmouth.web.openapi import answers

router = APIRouter(prefix="/api", tags=["refer a friend"], responses=API_ERRORS)
Till = Annotated[Principal, Depends(api_permission("sales:write"))]
Issuer = Annotated[Principal, Depends(api_permission("customers:write"))]
Owner = Annotated[Principal, Depends(api_permission("settings:write"))]


def _campaign_out(campaign: FriendCampaign) -> CampaignOut:
    return CampaignOut.model_validate({**{k: getattr(campaign, k) for k in CampaignOut.model_fields
                                          if k != "start_date"},
                                       "start_date": date_of(campaign.start_day)})


def _campaign_values(body: CampaignIn | CampaignPatch) -> dict[str, object]:
    values = body.model_dump(exclude_unset=True, exclude={"start_date"})
    if body.start_date is not None:
        values["start_day"] = day_of_date(body.start_date)
    return values


@router.get("/friend-campaigns", response_model=list[CampaignOut])
def list_campaigns(db: DB, _: Till) -> list[CampaignOut]:
    return [_campaign_out(c) for c in service.campaigns(db)]


@router.post("/friend-campaigns", response_model=CampaignOut, status_code=201)
@answers("group_not_found", "idempotency_key_reused")
def create_campaign(body: CampaignIn, request: Request, db: DB,
                    principal: Owner) -> Response:
    """A Refer a Friend campaign: its friend's discount, the referrer's bonus rule, the
    validity of its codes, a minimum purchase and a product group."""
    return idempotent(request, db, principal, body, lambda: _campaign_out(
        service.create_campaign(db, **_campaign_values(body))), 201)


@router.patch("/friend-campaigns/{campaign_id}", response_model=CampaignOut)
@answers("friend_campaign_not_found", "group_not_found", "idempotency_key_reused")
def update_campaign(campaign_id: int, body: CampaignPatch, request: Request, db: DB,
                    principal: Owner) -> Response:
    """Change the fields given (switch a campaign off with active: false)."""
    return idempotent(request, db, principal, body, lambda: _campaign_out(
        service.update_campaign(db, campaign_id, **_campaign_values(body))))


@router.post("/friend-codes/validate", response_model=ValidateOut)
@answers(
    "card_inactive", "card_not_found", "friend_already_referred", "friend_below_minimum",
    "friend_campaign_inactive", "friend_campaign_not_found", "friend_code_expired",
    "friend_code_held", "friend_code_own", "friend_code_unknown", "friend_code_used",
    "friend_no_qualifying_goods", "friend_not_new_buyer", "group_not_found", "product_not_found",
    "too_many_attempts", "unknown_code"
)
def validate(body: ValidateIn, db: DB, principal: Till) -> ValidateOut:
    """Check a friend code against a buyer and a basket, without changing anything. Each
    reason for refusal has its own error code (friend_code_used, friend_code_expired, …)."""
    buyer = body.customer_id
    if body.card_number:
        buyer = customers.card_by_number(db, body.card_number).customer_id
    drafts = [sales.LineDraft(product_id=ln.product_id, code=ln.barcode, qty=ln.qty,
                              unit_price=ln.unit_price) for ln in body.lines]
    lines = []
    for n, (draft, product) in enumerate(zip(drafts, sales.products_for(db, drafts),
                                             strict=True), start=1):
        price = product.price if draft.unit_price is None else draft.unit_price
        gross = (price * draft.qty).quantize(Decimal("0.01"))
        lines.append(SaleLine(line_no=n, group_id=product.group_id, gross=gross, net=gross))
    with code_lookup(principal.key):
        fit = service.validate(db, code=body.code, customer_id=buyer, lines=lines)
    return ValidateOut(code=fit.code.code, campaign_id=fit.campaign.id,
                       discount_percent=fit.campaign.friend_discount_percent,
                       qualifying_lines=sorted(fit.qualifying),
                       qualifying_amount=fit.qualifying_gross,
                       valid_until=date_of(rules.last_valid_day(service.terms(fit.campaign)))
                       .isoformat())


@router.post("/sales/{sale_id}/codes", response_model=SaleOut)
@answers(
    "amount_out_of_bounds", "friend_already_referred", "friend_below_minimum",
    "friend_campaign_inactive", "friend_campaign_not_found", "friend_code_expired",
    "friend_code_held", "friend_code_own",
    "friend_code_unknown", "friend_code_used", "friend_no_qualifying_goods",
    "friend_not_new_buyer", "group_not_found", "idempotency_key_reused",
    "partner_code_not_usable", "partner_inactive", "partner_not_found", "sale_not_found",
    "sale_not_open", "too_many_attempts"
)
def attach_code(sale_id: int, body: CodeIn, request: Request, db: DB,
                principal: Till) -> Response:
    """Put a code on an open sale, whichever it is: a partner's promo code (its discount,
    and the sale is credited to the partner when paid) or a friend code (held for this sale
    until it is paid — the code is used — or voided — released). A code that is neither
    answers friend_code_unknown."""
    def attach() -> SaleOut:
        sale = sales.get_sale(db, sale_id, lock=True)
        sales.require_open(sale)
        with code_lookup(principal.key):
            if partner_steps.apply_promo_code(db, sale, body.code) is None:
                service.attach(db, sale, body.code)
        return SaleOut.of(sale)

    return idempotent(request, db, principal, body, attach)


@router.post("/customers/{customer_id}/friend-codes", response_model=list[FriendCodeOut],
             status_code=201)
@answers(
    "code_taken", "customer_not_found", "friend_campaign_inactive", "friend_campaign_not_found",
    "friend_codes_need_main_card", "idempotency_key_reused"
)
def issue(customer_id: int, body: IssueIn, request: Request, db: DB,
          principal: Issuer) -> Response:
    """Issue 1–100 friend codes to a customer who has a main card."""
    from pydantic import RootModel

    def run() -> RootModel[list[FriendCodeOut]]:
        issued = service.issue_codes(db, customer_id=customer_id, campaign_id=body.campaign_id,
                                     count=body.count, actor=principal.label)
        return RootModel[list[FriendCodeOut]]([FriendCodeOut.model_validate(c) for c in issued])

    return idempotent(request, db, principal, body, run, 201)
