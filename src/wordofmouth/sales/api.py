from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session
from starlette.responses import JSONResponse, Response

from wordofmouth.auth.permissions import Principal
from wordofmouth.partners import service as partners
from wordofmouth.sales import payments, returns, service
from wordofmouth.sales.errors import SaleRepriced
from wordofmouth.sales.models import PaymentMethod, Sale, SaleKind
from wordofmouth.sales.schemas import (
    AttributionOut,
    InvoiceIn,
    LineIn,
    PaymentIn,
    PaymentsIn,
    ReturnIn,
    ReturnOut,
    SaleIn,
    SaleOut,
)
from wordofmouth.schemas import API_ERRORS
from wordofmouth.web.deps import DB, api_permission, document_date
from wordofmouth.web.idempotent import idempotent
from wordofmouth.web.openapi import answers

router = APIRouter(prefix="/api", tags=["sales"], responses=API_ERRORS)
# What creating a sale or an invoice can answer (both create, price and may pay it).
CREATING = (
    "amount_out_of_bounds", "bonus_needs_customer", "bonus_share_exceeded", "card_inactive",
    "card_not_found", "customer_not_found", "empty_sale", "idempotency_key_reused",
    "insufficient_bonus", "invalid_quantity", "payment_exceeds_due", "price_override_forbidden",
    "product_not_found", "product_not_on_sale", "sale_already_paid", "sale_not_open",
    "sale_repriced", "too_many_lines", "unknown_code")
Reader = Annotated[Principal, Depends(api_permission("sales:read"))]
Writer = Annotated[Principal, Depends(api_permission("sales:write"))]


def _lines(lines: list[LineIn]) -> list[service.LineDraft]:
    return [service.LineDraft(product_id=ln.product_id, code=ln.barcode, qty=ln.qty,
                              unit_price=ln.unit_price) for ln in lines]


def _payments(items: list[PaymentIn]) -> list[payments.PaymentDraft]:
    return [payments.PaymentDraft(PaymentMethod(p.method), p.amount) for p in items]


def _create(db: Session, principal: Principal, draft: service.SaleDraft,
            pays: list[PaymentIn]) -> SaleOut:
    channel = "import" if draft.created_at is not None else "api"
    sale = service.create_sale(db, draft, actor=principal.label, channel=channel,
                               may_set_price=principal.can("sales:price"))
    if pays:
        sale = payments.settle(db, sale, _payments(pays))
    return _out(db, sale)


def _out(db: Session, sale: Sale) -> SaleOut:
    """The sale as the API answers it, with why it is credited to a partner once paid."""
    found = partners.attribution_of(db, sale.id)
    return SaleOut.of(sale, AttributionOut(reason=found[0], partner_id=found[1],
                                           partner=found[2], employee=found[3])
                      if found else None)


@router.post("/sales", response_model=SaleOut, status_code=201)
@answers(*CREATING)
def create_sale(body: SaleIn, request: Request, db: DB, principal: Writer) -> Response:
    """Create a sale, open (no payments) or paid (payments covering the total)."""
    draft = service.SaleDraft(lines=_lines(body.lines), customer_id=body.customer_id,
                              card_number=body.card_number, note=body.note,
                              created_at=document_date(principal, body.document_date))
    return idempotent(request, db, principal, body,
                      lambda: _create(db, principal, draft, body.payments), 201)


@router.get("/sales", response_model=list[SaleOut])
def list_sales(db: DB, _: Reader, status: str | None = None, kind: str | None = None,
               customer_id: int | None = None, date_from: date | None = None,
               date_to: date | None = None,
               limit: Annotated[int, Query(ge=1, le=500)] = 50,
               offset: Annotated[int, Query(ge=0)] = 0) -> list[SaleOut]:
    found = service.list_sales(db, status=status, kind=kind, customer_id=customer_id,
                               date_from=date_from, date_to=date_to, limit=limit, offset=offset)
    return [SaleOut.of(s) for s in found]


@router.get("/sales/{sale_id}", response_model=SaleOut)
@answers("sale_not_found")
def get_sale(sale_id: int, db: DB, _: Reader) -> SaleOut:
    return _out(db, service.get_sale(db, sale_id))


@router.post("/sales/{sale_id}/payments", response_model=SaleOut)
@answers(
    "amount_out_of_bounds", "bonus_needs_customer", "bonus_share_exceeded", "empty_sale",
    "idempotency_key_reused", "insufficient_bonus", "payment_exceeds_due", "sale_already_paid",
    "sale_not_found", "sale_not_open", "sale_repriced", "set_off_not_allowed"
)
def add_payments(sale_id: int, body: PaymentsIn, request: Request, db: DB,
                 principal: Writer) -> Response:
    """Pay an open sale (or part of it); once paid in full its accruals are posted. A sale
    whose promo code stopped applying is priced again and the payment refused (409
    sale_repriced): read the sale for its new total and pay that."""
    try:
        return idempotent(request, db, principal, body, lambda: _out(
            db, payments.pay(db, sale_id, _payments(body.payments))))
    except SaleRepriced as exc:
        db.rollback()  # nothing of the payment stays; the new prices do
        service.reprice(db, sale_id)
        return JSONResponse({"error": exc.code, "detail": exc.detail}, status_code=exc.status)


@router.post("/sales/{sale_id}/void", response_model=SaleOut)
@answers("idempotency_key_reused", "insufficient_bonus", "paid_sale_cannot_be_voided",
         "sale_not_found", "sale_not_open")
def void_sale(sale_id: int, request: Request, db: DB, principal: Writer) -> Response:
    """Cancel an open sale; a paid sale is refused (make a return)."""
    return idempotent(request, db, principal, None,
                      lambda: SaleOut.of(payments.void_sale(db, sale_id, actor=principal.label)))


@router.post("/sales/{sale_id}/returns", response_model=ReturnOut, status_code=201)
@answers(
    "idempotency_key_reused", "insufficient_bonus", "invalid_quantity", "line_not_found",
    "return_exceeds_sold", "sale_not_found", "sale_not_returnable"
)
def create_return(sale_id: int, body: ReturnIn, request: Request, db: DB,
                  principal: Writer) -> Response:
    """Return lines of a paid sale; bonuses and other accruals reverse in proportion."""
    items = [returns.ReturnItem(ln.line_id, ln.qty) for ln in body.lines]
    return idempotent(request, db, principal, body, lambda: ReturnOut.of(
        returns.return_items(db, sale_id, items, actor=principal.label, reason=body.reason,
                             at=document_date(principal, body.document_date))
    ), 201)


@router.post("/invoices", response_model=SaleOut, status_code=201)
@answers(*CREATING, "employee_not_found", "employee_of_another_partner", "partner_inactive",
         "partner_not_found", "sale_not_found")
def issue_invoice(body: InvoiceIn, request: Request, db: DB, principal: Writer) -> Response:
    """Issue an invoice now; it is paid later with /invoices/{id}/pay."""
    draft = service.SaleDraft(lines=_lines(body.lines), customer_id=body.customer_id,
                              kind=SaleKind.INVOICE, due_date=body.due_date, note=body.note,
                              created_at=document_date(principal, body.document_date))

    def issue() -> SaleOut:
        out = _create(db, principal, draft, [])
        partners.issue_through(db, out.id, body.intermediary_id,
                               employee_id=body.intermediary_employee_id,
                               partner_pays=body.paid_by == "intermediary")
        return out

    return idempotent(request, db, principal, body, issue, 201)


@router.post("/invoices/{sale_id}/pay", response_model=SaleOut)
@answers(
    "amount_out_of_bounds", "bonus_needs_customer", "bonus_share_exceeded", "empty_sale",
    "idempotency_key_reused", "insufficient_bonus", "invoice_not_found", "payment_exceeds_due",
    "payout_above_payable", "sale_already_paid", "sale_not_found", "sale_not_open",
    "sale_repriced", "set_off_not_allowed"
)
def pay_invoice(sale_id: int, body: PaymentsIn, request: Request, db: DB,
                principal: Writer) -> Response:
    return idempotent(request, db, principal, body, lambda: _out(
        db, payments.pay_invoice(db, sale_id, _payments(body.payments))))
