"""Back office: the sales list, receipts, returns and invoices."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from wordofmouth.auth import service as auth
from wordofmouth.auth.permissions import Principal
from wordofmouth.customers import service as customers
from wordofmouth.errors import InvalidInput
from wordofmouth.i18n import gettext
from wordofmouth.ledger import service as ledger
from wordofmouth.partners import invoices as invoices_profit
from wordofmouth.partners import payouts, set_off
from wordofmouth.partners import service as partners
from wordofmouth.sales import payments, returns, service
from wordofmouth.sales.models import PaymentMethod, SaleKind
from wordofmouth.settings import service as store_settings
from wordofmouth.web import forms
from wordofmouth.web.deps import DB, Form, page_permission
from wordofmouth.web.office import redirect
from wordofmouth.web.templating import render

router = APIRouter(include_in_schema=False)
Reader = Annotated[Principal, Depends(page_permission("sales:read"))]
Writer = Annotated[Principal, Depends(page_permission("sales:write"))]
PAGE = 50


@router.get("/sales")
def sales_list(request: Request, db: DB, me: Reader, status: str = "", kind: str = "",
               date_from: str = "", date_to: str = "", customer: str = "",
               page: int = 1) -> Response:
    page = max(page, 1)
    found = service.list_sales(db, status=status or None, kind=kind or None,
                               customer_id=int(customer) if customer.isdigit() else None,
                               date_from=forms.parse_date(date_from),
                               date_to=forms.parse_date(date_to), limit=PAGE,
                               offset=(page - 1) * PAGE)
    return render(request, "sales/list.html", me, recent=found, status=status, kind=kind,
                  customer_names=customers.names(db, [s.customer_id for s in found]),
                  date_from=date_from, date_to=date_to, customer=customer, page=page,
                  page_size=PAGE, title="Sales")


@router.get("/sales/{sale_id}")
def receipt(sale_id: int, request: Request, db: DB, me: Reader) -> Response:
    sale = service.get_sale(db, sale_id)
    customer = customers.get_customer(db, sale.customer_id) if sale.customer_id else None
    invoice = sale.kind == SaleKind.INVOICE and me.can("analysis")
    intermediaries = partners.partners(db) if invoice else []
    parties = set_off.parties(db, sale)
    methods = [m for m in PaymentMethod if m != PaymentMethod.SETOFF or parties.partner_pays]
    bonuses = None
    if customer is not None:
        bonuses = (ledger.sale_total(db, sale_id=sale.id, kinds=["card_bonus"]),
                   customers.bonus_balance(db, customer.id))
    return render(request, "sales/receipt.html", me, sale=sale, customer=customer,
                  store=store_settings.get(db), cashier=auth.name_of(db, sale.created_by),
                  attribution=partners.attribution_of(db, sale.id),
                  bonuses=bonuses,
                  returnable=returns.returnable(sale), methods=methods, parties=parties,
                  profit=invoices_profit.profit(db, sale.id) if invoice else None,
                  expenses=payouts.expenses_of(db, sale.id) if invoice else [],
                  partners=intermediaries,
                  partner_names={p.id: p.name for p in intermediaries},
                  payout_methods=payouts.METHODS)


@router.post("/sales/{sale_id}/returns")
def make_return(sale_id: int, db: DB, me: Writer, form: Form) -> Response:
    sale = service.get_sale(db, sale_id)
    items = []
    for line in sale.lines:
        qty = forms.decimal(form, f"qty_{line.id}", f"Line {line.line_no}")
        if qty:
            items.append(returns.ReturnItem(line.id, qty))
    ret = returns.return_items(db, sale_id, items, actor=me.label,
                               reason=forms.text(form, "reason"))
    return redirect(f"/sales/{sale_id}", gettext("Return {0}: {1} given back.")
                                         .format(ret.number, ret.net_amount))


@router.post("/sales/{sale_id}/void")
def void(sale_id: int, db: DB, me: Writer, _: Form) -> Response:
    sale = payments.void_sale(db, sale_id, actor=me.label)
    return redirect(f"/sales/{sale_id}", gettext("{0} voided.").format(sale.number))


@router.get("/invoices")
def invoices(request: Request, db: DB, me: Reader, status: str = "", page: int = 1) -> Response:
    page = max(page, 1)
    found = service.list_sales(db, kind=SaleKind.INVOICE, status=status or None, limit=PAGE,
                               offset=(page - 1) * PAGE)
    return render(request, "sales/invoices.html", me, recent=found, status=status, page=page,
                  customer_names=customers.names(db, [s.customer_id for s in found]),
                  page_size=PAGE, intermediaries=partners.partners(db, active_only=True),
                  profits=invoices_profit.profits(db, [s.id for s in found])
                  if me.can("analysis") else None)


def _invoice_lines(raw: str) -> list[service.LineDraft]:
    """One line per product: 'barcode-or-SKU [quantity]'."""
    drafts = []
    for n, row in enumerate(raw.splitlines(), start=1):
        parts = row.split()
        if not parts:
            continue
        qty = Decimal("1")
        if len(parts) > 1:
            try:
                qty = Decimal(parts[1].replace(",", "."))
            except ArithmeticError as exc:
                raise InvalidInput(gettext("Line {0}: '{1}' is not a quantity.")
                                   .format(n, parts[1])) from exc
        drafts.append(service.LineDraft(code=parts[0], qty=qty))
    return drafts


@router.post("/invoices")
def issue_invoice(db: DB, me: Writer, form: Form) -> Response:
    card_or_id = forms.text(form, "customer")
    customer_id = (int(card_or_id) if card_or_id.isdigit() and len(card_or_id) < 10
                   else customers.card_by_number(db, card_or_id).customer_id)
    draft = service.SaleDraft(lines=_invoice_lines(forms.text(form, "lines")),
                              customer_id=customer_id, kind=SaleKind.INVOICE,
                              due_date=forms.parse_date(forms.text(form, "due_date")),
                              note=forms.text(form, "note"))
    sale = service.create_sale(db, draft, actor=me.label, channel="office")
    partners.issue_through(db, sale.id, forms.optional_int(form, "intermediary_id"),
                           partner_pays=forms.text(form, "payer") == "intermediary")
    return redirect(f"/sales/{sale.id}", gettext("Invoice {0} issued for {1}.")
                                         .format(sale.number, sale.net_total))


@router.post("/invoices/{sale_id}/codes")
def scan_on_invoice(sale_id: int, db: DB, me: Writer, form: Form) -> Response:
    """Scan a code on an open invoice (invoice trade's "scan control barcode"): a friend
    code, a partner's promo code, a card or one more product, as at the till."""
    sale = service.get_sale(db, sale_id, lock=True)
    if sale.kind != SaleKind.INVOICE:
        raise InvalidInput(gettext("{0} is not an invoice.").format(sale.number))
    said = service.scan(db, sale, forms.text(form, "code"))
    return redirect(f"/sales/{sale_id}", said)


@router.post("/invoices/{sale_id}/pay")
def pay_invoice(sale_id: int, db: DB, me: Writer, form: Form) -> Response:
    method = forms.text(form, "method")
    if method not in {m.value for m in PaymentMethod}:
        raise InvalidInput(gettext("Unknown payment method '{0}'.").format(method))
    sale = payments.pay_invoice(db, sale_id, [payments.PaymentDraft(
        PaymentMethod(method), forms.money(form, "amount", "Amount"))])
    return redirect(f"/sales/{sale_id}", gettext("{0}: {1} still due.").format(
        sale.number, sale.due) if sale.due else gettext("{0} is paid.").format(sale.number))
