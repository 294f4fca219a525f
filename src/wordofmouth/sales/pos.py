"""The POS screen: one scan input, the basket, payment and the printable receipt."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from wordofmouth import i18n
from wordofmouth.auth import service as auth
from wordofmouth.auth.permissions import Principal
from wordofmouth.customers import rules as customer_rules
from wordofmouth.customers import service as customers
from wordofmouth.errors import DomainError, InvalidInput
from wordofmouth.i18n import gettext
from wordofmouth.partners import payouts
from wordofmouth.partners import service as partners
from wordofmouth.sales import payments, service
from wordofmouth.sales.errors import SaleRepriced, UnknownCode
from wordofmouth.sales.extensions import EXTENSIONS
from wordofmouth.sales.models import PaymentMethod, Sale, SaleStatus
from wordofmouth.settings import service as store_settings
from wordofmouth.throttle import code_lookup
from wordofmouth.web import forms
from wordofmouth.web.deps import DB, Form, page_permission
from wordofmouth.web.office import redirect
from wordofmouth.web.templating import render

router = APIRouter(prefix="/pos", include_in_schema=False)
Cashier = Annotated[Principal, Depends(page_permission("pos"))]
Manager = Annotated[Principal, Depends(page_permission("analysis"))]  # pays money out


def _screen(request: Request, db: Session, me: Principal, sale: Sale | None, *,
            message: str = "", error: str = "", status_code: int = 200,
            **found: object) -> Response:
    """The till as it stands; `found`: what a customer look-up found (matches, query)."""
    customer = balance = bonus_limit = own = None
    if sale is not None and sale.customer_id is not None:
        customer = customers.get_customer(db, sale.customer_id)
        balance = customers.bonus_balance(db, customer.id)
        bonus_limit, _spendable = payments.bonus_limit(db, sale)
        own = partners.own_partner(db, customer.id)  # a referrer: may cash out bonuses
    partial = bool(request.headers.get("hx-request"))
    # a cashier resumes their own open receipts; a manager sees every till's
    waiting = [s for s in service.open_receipts(
        db, created_by=None if me.can("analysis") else me.label)
        if sale is None or s.id != sale.id]
    response = render(request, "sales/pos_cart.html" if partial else "sales/pos.html", me,
                      status_code=status_code, sale=sale, customer=customer,
                      balance=balance, bonus_limit=bonus_limit, message=message,
                      error=error, settings=store_settings.get(db), waiting=waiting,
                      own_partner=own,
                      cashiers=auth.names_of(db, {s.created_by for s in waiting}),
                      partners=partners.partners(db, active_only=True),
                      employees=partners.all_employees(db), **found)
    if partial:  # the address follows the sale, so a reload comes back to it
        response.headers["HX-Push-Url"] = (f"/pos?sale={sale.id}" if sale is not None
                                           and sale.status != SaleStatus.VOIDED else "/pos")
    return response


def _act(request: Request, db: Session, me: Principal, sale_id: int | None,
         action: Callable[[], tuple[Sale, str]],
         fallback: Callable[[DomainError], Response | None] | None = None) -> Response:
    """Run one till action; a refused action rolls back and shows why, in place (or what
    `fallback` makes of it)."""
    try:
        sale, message = action()
    except DomainError as exc:
        db.rollback()
        shown = fallback(exc) if fallback is not None else None
        if shown is not None:
            return shown
        if isinstance(exc, SaleRepriced) and sale_id:  # show the price it will take now
            current: Sale | None = service.reprice(db, sale_id)
        else:
            current = service.get_sale(db, sale_id) if sale_id else None
        return _screen(request, db, me, current, error=exc.detail,
                       status_code=200 if request.headers.get("hx-request") else exc.status)
    if not request.headers.get("hx-request"):
        return redirect(f"/pos?sale={sale.id}", message)
    return _screen(request, db, me, sale, message=message)


@router.get("")
def pos(request: Request, db: DB, me: Cashier, sale: int | None = None) -> Response:
    current = service.get_sale(db, sale) if sale else None
    if current is not None and current.status == SaleStatus.VOIDED:
        current = None
    return _screen(request, db, me, current, message=request.query_params.get("ok", ""))


@router.post("/scan")
def scan(request: Request, db: DB, me: Cashier, form: Form) -> Response:
    sale_id = forms.optional_int(form, "sale_id")

    def action() -> tuple[Sale, str]:
        sale = (service.get_sale(db, sale_id, lock=True) if sale_id
                else service.open_sale(db, actor=me.label, channel="pos"))
        if sale.status != SaleStatus.OPEN:  # the last receipt is done: start a new one
            sale = service.open_sale(db, actor=me.label, channel="pos")
        with code_lookup(me.key):
            return sale, service.scan(db, sale, code)

    def look_up(exc: DomainError) -> Response | None:
        """Not a product, a card or a code: a customer's phone or name, maybe."""
        if not isinstance(exc, UnknownCode) or not customer_rules.reads_like_a_person(code):
            return None  # a barcode or a code mistyped: the scan's own answer
        matches = customers.search(db, query=code, limit=8)
        current = service.get_sale(db, sale_id) if sale_id else None
        typed = customer_rules.prefill(code)
        if matches:
            return _screen(request, db, me, current, matches=matches, prefill=typed,
                           message=gettext("Customers matching '{0}':").format(code))
        return _screen(request, db, me, current, prefill=typed, error=gettext(
            "Nothing and nobody matches '{0}'. Register the customer?").format(code))

    code = forms.text(form, "code")
    if not forms.checked(form, "confirm"):  # a friend code is confirmed before it applies
        current = service.get_sale(db, sale_id) if sale_id else None
        try:
            with code_lookup(me.key):
                asked = service.confirmation(
                    db, current if current and current.status == SaleStatus.OPEN else None,
                    code)
        except DomainError as exc:
            db.rollback()
            return _screen(request, db, me, service.get_sale(db, sale_id) if sale_id else None,
                           error=exc.detail,
                           status_code=200 if request.headers.get("hx-request") else exc.status)
        if asked is not None:
            return _screen(request, db, me, current, confirm={"code": code, "text": asked})
    return _act(request, db, me, sale_id, action, look_up)


@router.post("/{sale_id}/qty")
def set_qty(sale_id: int, request: Request, db: DB, me: Cashier, form: Form) -> Response:
    def action() -> tuple[Sale, str]:
        sale = service.get_sale(db, sale_id, lock=True)
        qty = forms.decimal(form, "qty", "Quantity")
        service.set_line_qty(db, sale, forms.integer(form, "line_no", "Line"), qty)
        return sale, gettext("Line removed.") if qty == 0 else gettext("Quantity changed.")

    return _act(request, db, me, sale_id, action)


@router.post("/{sale_id}/pay")
def pay(sale_id: int, request: Request, db: DB, me: Cashier, form: Form) -> Response:
    def action() -> tuple[Sale, str]:
        drafts = []
        for method in (PaymentMethod.BONUS, PaymentMethod.CARD, PaymentMethod.CASH):
            amount = forms.money(form, method.value, method.value.capitalize(), default="0")
            if amount:  # the payment rules (no negative amounts, …) are the service's
                drafts.append(payments.PaymentDraft(method, amount))
        sale = payments.pay(db, sale_id, drafts)
        if sale.status == SaleStatus.PAID:
            change = sum((p.tendered - p.amount for p in sale.payments), Decimal("0"))
            said = (gettext("Paid. Change: {0}.").format(i18n.money(change)) if change
                    else gettext("Paid."))
            return sale, " ".join([said, *EXTENSIONS.notes_after_payment(db, sale)])
        return sale, gettext("{0} still due.").format(i18n.money(sale.due))

    return _act(request, db, me, sale_id, action)


@router.post("/{sale_id}/void")
def void(sale_id: int, request: Request, db: DB, me: Cashier, _: Form) -> Response:
    def action() -> tuple[Sale, str]:
        return payments.void_sale(db, sale_id, actor=me.label), gettext("Sale voided.")

    return _act(request, db, me, sale_id, action)


@router.post("/find-receipt")
def find_receipt(db: DB, me: Cashier, form: Form) -> Response:
    """Open a receipt for a return by its number (R-000123) or id."""
    raw = forms.text(form, "receipt").upper().removeprefix("R-").removeprefix("INV-")
    if not raw.isdigit():
        raise InvalidInput(gettext("'{0}' is not a receipt number.").format(raw))
    sale = service.get_sale(db, int(raw))
    return RedirectResponse(f"/sales/{sale.id}#return-form", status_code=303)


def _sale_for(db: Session, me: Principal, sale_id: int | None) -> Sale:
    sale = service.get_sale(db, sale_id, lock=True) if sale_id else None
    if sale is None or sale.status != SaleStatus.OPEN:
        sale = service.open_sale(db, actor=me.label, channel="pos")
    return sale


@router.post("/customer")
def attach_customer(request: Request, db: DB, me: Cashier, form: Form) -> Response:
    """Put a customer the look-up found on the sale (with their main card)."""
    sale_id = forms.optional_int(form, "sale_id")

    def action() -> tuple[Sale, str]:
        sale = _sale_for(db, me, sale_id)
        customer = customers.get_customer(db, forms.integer(form, "customer_id", "Customer"))
        service.attach_customer(db, sale, customer.id)
        return sale, customer.full_name

    return _act(request, db, me, sale_id, action)


@router.post("/register")
def register(request: Request, db: DB, me: Cashier, form: Form) -> Response:
    """A new customer at the till: their card (scanned or numbered by the store), the
    partner who sent them (seed 000: "create a customer card, issue a discount card, and link
    the customer to the referrer"), on the sale at once."""
    sale_id = forms.optional_int(form, "sale_id")

    def action() -> tuple[Sale, str]:
        sale = _sale_for(db, me, sale_id)
        customer = customers.create_customer(
            db, first_name=forms.text(form, "first_name"),
            last_name=forms.text(form, "last_name"), phone=forms.text(form, "phone") or None,
            consent_sms=forms.checked(form, "consent"),
            consent_email=forms.checked(form, "consent"))
        card = customers.issue_card(db, customer.id,
                                    number=forms.text(form, "card_number") or None)
        said = gettext("{0} registered with card {1}.").format(customer.full_name,
                                                               card.number)
        referrer = forms.text(form, "referrer")  # "p:ID" a partner, "e:ID" their employee
        if referrer:
            partner_id, employee_id = partners.referrer_choice(db, referrer)
            partners.link(db, customer.id, partner_id, employee_id=employee_id,
                          source="manual", actor=me.label)
            said += " " + gettext("Linked to {0}.").format(
                partners.get_partner(db, partner_id).name)
        service.attach_card(db, sale, card)
        return sale, said

    return _act(request, db, me, sale_id, action)


@router.post("/cash-out")
def cash_out(request: Request, db: DB, me: Manager, form: Form) -> Response:
    """Cash out a referrer's bonuses at the till (seed 000: "Sales mode → Customer → select
    the referrer → Additional actions → Cash out bonuses"): the payout it is on the partner
    page, in cash from the till."""
    sale_id = forms.integer(form, "sale_id", "Sale")

    def action() -> tuple[Sale, str]:
        sale = service.get_sale(db, sale_id)  # the screen it was asked from, as it is
        payout = payouts.cash_out_bonuses(
            db, forms.integer(form, "partner_id", "Partner"),
            amount=forms.money(form, "amount", "Amount"), method="cash", actor=me.label)
        partner = partners.get_partner(db, payout.partner_id)
        return sale, gettext("Hand {0} in cash to {1}: their bonuses cashed out (payout "
                             "#{2}).").format(i18n.money(payout.amount), partner.name,
                                              payout.id)

    return _act(request, db, me, sale_id, action)
