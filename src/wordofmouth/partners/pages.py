"""Back office: referrer partners, their employees, terms and promo codes; the balance with
intermediaries and payouts; linking a customer in the customer card."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from wordofmouth.analysis.exports import dialect, download
from wordofmouth.auth.permissions import Principal
from wordofmouth.calendar import date_of, day_of_date
from wordofmouth.catalog import service as catalog
from wordofmouth.customers import directory as customer_directory
from wordofmouth.customers import service as customers
from wordofmouth.errors import InvalidInput
from wordofmouth.i18n import gettext
from wordofmouth.partners import (
    codes,
    commission,
    importing,
    milestones,
    offers,
    payouts,
    report,
    self_referral,
)
from wordofmouth.partners import service as partners
from wordofmouth.partners.models import PartnerKind
from wordofmouth.settings import service as store_settings
from wordofmouth.storefront import keys as storefront_keys
from wordofmouth.web import forms
from wordofmouth.web.deps import DB, Form, Reads, page_permission
from wordofmouth.web.office import redirect
from wordofmouth.web.templating import render

router = APIRouter(include_in_schema=False)
Manager = Annotated[Principal, Depends(page_permission("analysis"))]
Linker = Annotated[Principal, Depends(page_permission("customers:write"))]
Overrider = Annotated[Principal, Depends(page_permission("partners:override"))]


def _partner_fields(form: forms.FormData) -> dict[str, object]:
    return {"name": forms.text(form, "name"), "kind": forms.text(form, "kind", "other"),
            "phone": forms.text(form, "phone"), "email": forms.text(form, "email"),
            "contacts": forms.text(form, "contacts"),
            "payment_details": forms.text(form, "payment_details"),
            "active": forms.checked(form, "active"),
            "statement_by_email": forms.checked(form, "statement_by_email")}


@router.get("/partners")
def directory(request: Request, db: DB, me: Manager) -> Response:
    rows = [(p, commission.balance(db, p.id)) for p in partners.partners(db)]
    return render(request, "partners/list.html", me, rows=rows,
                  kinds=[k.value for k in PartnerKind])


@router.post("/partners")
def add_partner(db: DB, me: Manager, form: Form) -> Response:
    p = partners.create_partner(db, actor=me.label, **_partner_fields(form))
    return redirect(f"/partners/{p.id}", gettext("Partner {0} added.").format(p.name))


@router.get("/partners/report")
def referrer_report(request: Request, db: Reads, me: Manager, date_from: str = "",
                    date_to: str = "", fmt: str = "") -> Response:
    start, end = forms.period(date_from, date_to, lambda end: end.replace(month=1, day=1),
                              tz=store_settings.zone(db))
    rows = report.referrer_report(db, start, end)
    if fmt in ("csv", "xlsx"):
        return download("referrer-report", fmt, list(report.EXPORT_COLUMNS), (
            ["" if (v := getattr(f, c)) is None else v for c in report.EXPORT_COLUMNS]
            for f in report.flat(rows)), dialect=dialect(store_settings.get(db)))
    series = report.attracted_per_month(db)
    peak = max([1, *(v for values in series.values() for v in values)])
    return render(request, "partners/report.html", me, rows=rows, date_from=start.isoformat(),
                  date_to=end.isoformat(), series=series, peak=peak)


@router.get("/partners/{partner_id}/customers")
def drill_down(partner_id: int, request: Request, db: DB, me: Manager, date_from: str = "",
               date_to: str = "", employee: str = "") -> Response:
    start, end = forms.period(date_from, date_to, lambda end: end.replace(month=1, day=1),
                              tz=store_settings.zone(db))
    partner = partners.get_partner(db, partner_id)
    rows = report.customers(db, partner_id, start, end,
                            employee_id=int(employee) if employee.isdigit() else None)
    return render(request, "partners/customers.html", me, partner=partner, rows=rows,
                  date_from=start.isoformat(), date_to=end.isoformat())


@router.get("/partners/import")
def import_page(request: Request, db: DB, me: Manager) -> Response:
    return render(request, "partners/import.html", me, report=None, what="")


@router.post("/partners/import")
async def import_file(request: Request, db: DB, me: Manager, form: Form) -> Response:
    upload = form.get("file")
    what = forms.text(form, "what")
    if upload is None or isinstance(upload, str):
        raise InvalidInput(gettext("Choose a CSV file."))
    data = await upload.read(importing.MAX_BYTES + 1)
    run = importing.import_partners if what == "partners" else importing.import_customers
    # A long file takes seconds of parsing and writing: off the event loop.
    report_ = await run_in_threadpool(run, db, data, actor=me.label)
    return render(request, "partners/import.html", me, report=report_, what=what)


def _detail(request: Request, db: Session, me: Principal, partner_id: int) -> Response:
    partner = partners.get_partner(db, partner_id)
    terms, rates = commission.terms_of(db, partner_id)
    own = customers.get_customer(db, partner.customer_id) if partner.customer_id else None
    held = self_referral.under_review(db, partner_id)
    employees = partners.employees(db, partner_id)
    return render(request, "partners/detail.html", me, partner=partner, held=held,
                  held_commission=self_referral.commissions(db, held),
                  held_buyers=self_referral.buyers(db, held),
                  review_reasons=self_referral.REASONS,
                  employees=employees, staff_names={e.id: e.name for e in employees},
                  customer_count=customer_directory.count_of_partner(db, partner_id),
                  terms=terms, rates=rates,
                  codes=codes.codes_of(db, partner_id), groups=catalog.group_tree(db),
                  offers=offers.offers_of(db, partner_id), date_of=date_of,
                  kinds=[k.value for k in PartnerKind],
                  balance=commission.balance(db, partner_id), own=own,
                  bonuses=payouts.bonuses(db, partner), payouts=payouts.payouts_of(db, partner_id),
                  payout_methods=payouts.METHODS, links=storefront_keys.links_of(db, partner_id))


@router.get("/partners/{partner_id}")
def detail(partner_id: int, request: Request, db: DB, me: Manager) -> Response:
    return _detail(request, db, me, partner_id)


@router.post("/partners/{partner_id}")
def save_partner(partner_id: int, db: DB, me: Manager, form: Form) -> Response:
    partners.update_partner(db, partner_id, actor=me.label, **_partner_fields(form))
    return redirect(f"/partners/{partner_id}", gettext("Saved."))


@router.post("/partners/{partner_id}/employees")
def add_employee(partner_id: int, db: DB, me: Manager, form: Form) -> Response:
    e = partners.add_employee(db, partner_id, name=forms.text(form, "name"),
                              phone=forms.text(form, "phone"), email=forms.text(form, "email"))
    return redirect(f"/partners/{partner_id}", gettext("Employee {0} added.").format(e.name))


@router.post("/partners/{partner_id}/employees/{employee_id}")
def save_employee(partner_id: int, employee_id: int, db: DB, me: Manager,
                  form: Form) -> Response:
    e = partners.update_employee(db, partner_id, employee_id, name=forms.text(form, "name"),
                                 phone=forms.text(form, "phone"),
                                 email=forms.text(form, "email"),
                                 active=forms.checked(form, "active"), actor=me.label)
    return redirect(f"/partners/{partner_id}#employees", gettext("Employee {0} saved.")
                    .format(e.name))


@router.post("/partners/{partner_id}/terms")
def save_terms(partner_id: int, db: DB, me: Manager, form: Form) -> Response:
    rates: dict[int, Decimal] = {}
    for group in catalog.group_tree(db):
        raw = forms.text(form, f"rate_{group.id}")
        if raw:
            rates[group.id] = forms.decimal(form, f"rate_{group.id}", group.name)
    months = forms.text(form, "months")
    commission.set_terms(db, partner_id,
                         default_rate=forms.decimal(form, "default_rate", "Default rate"),
                         months=forms.integer(form, "months", "Months") if months else None,
                         rates=rates, actor=me.label)
    return redirect(f"/partners/{partner_id}", gettext("Commission terms saved."))


@router.post("/partners/{partner_id}/milestone")
def save_milestone(partner_id: int, db: DB, me: Manager, form: Form) -> Response:
    every = forms.text(form, "every")
    milestones.set_milestone(
        db, partner_id, every=forms.integer(form, "every", "Every") if every else None,
        minimum=forms.money(form, "minimum", "Minimum first purchase", default="0"),
        amount=forms.money(form, "amount", "Reward", default="0"), actor=me.label)
    return redirect(f"/partners/{partner_id}", gettext("Milestone reward saved."))


@router.post("/partners/{partner_id}/own-card")
def save_own_card(partner_id: int, db: DB, me: Manager, form: Form) -> Response:
    partner = payouts.set_own_card(db, partner_id, forms.text(form, "card"), actor=me.label)
    return redirect(f"/partners/{partner_id}", "Own card saved." if partner.customer_id
                    else "The partner has no own card now.")


@router.post("/partners/{partner_id}/cash-out")
def cash_out(partner_id: int, db: DB, me: Manager, form: Form) -> Response:
    payout = payouts.cash_out_bonuses(db, partner_id, amount=forms.money(form, "amount", "Amount"),
                                      method=forms.text(form, "method"), actor=me.label)
    return redirect(f"/partners/{partner_id}", gettext("Cashed out {0} in bonuses.")
                                               .format(payout.amount))


@router.post("/partners/{partner_id}/codes")
def add_code(partner_id: int, db: DB, me: Manager, form: Form) -> Response:
    start, end = forms.parse_date(forms.text(form, "valid_from")), forms.parse_date(
        forms.text(form, "valid_to"))
    pc = codes.create_code(
        db, partner_id=partner_id, code=forms.text(form, "code"),
        employee_id=forms.optional_int(form, "employee_id"),
        discount_percent=forms.decimal(form, "discount_percent", "Discount"),
        group_id=forms.optional_int(form, "group_id"),
        valid_from_day=day_of_date(start) if start else None,
        valid_to_day=day_of_date(end) if end else None)
    return redirect(f"/partners/{partner_id}", gettext("Promo code {0} added.").format(pc.code))


@router.post("/partners/{partner_id}/offers")
def add_offer(partner_id: int, db: DB, me: Manager, form: Form) -> Response:
    start, end = forms.parse_date(forms.text(form, "valid_from")), forms.parse_date(
        forms.text(form, "valid_to"))
    offer = offers.create_offer(
        db, partner_id, name=forms.text(form, "name"), actor=me.label,
        discount_percent=forms.decimal(form, "discount_percent", "Discount"),
        employee_id=forms.optional_int(form, "employee_id"),
        group_id=forms.optional_int(form, "group_id"),
        valid_from_day=day_of_date(start) if start else None,
        valid_to_day=day_of_date(end) if end else None)
    return redirect(f"/partners/{partner_id}#offers",
                    gettext("Offer {0} added.").format(offer.name))


@router.post("/partners/{partner_id}/offers/{offer_id}")
def switch_offer(partner_id: int, offer_id: int, db: DB, me: Manager, form: Form) -> Response:
    offer = offers.set_active(db, partner_id, offer_id, forms.checked(form, "active"),
                              actor=me.label)
    return redirect(f"/partners/{partner_id}#offers",
                    (gettext("Offer {0} switched on.") if offer.active
                     else gettext("Offer {0} switched off.")).format(offer.name))


@router.get("/partners-balance")
def balances(request: Request, db: DB, me: Manager) -> Response:
    rows = [(p, commission.balance(db, p.id), payouts.bonuses(db, p))
            for p in partners.partners(db)]
    return render(request, "partners/balances.html", me, rows=rows)


@router.post("/partners-balance/mature")
def mature_now(db: DB, me: Manager, _: Form) -> Response:
    n = commission.mature(db)
    return redirect("/partners-balance", gettext("{0} sale(s) matured from pending to "
                                                 "payable.").format(n))


@router.post("/partners/{partner_id}/payouts")
def pay_out(partner_id: int, db: DB, me: Manager, form: Form) -> Response:
    payout = payouts.pay_out(
        db, partner_id, amount=forms.money(form, "amount", "Amount"),
        method=forms.text(form, "method"), actor=me.label,
        may_override=me.can("partners:override"),
        override_reason=forms.text(form, "override_reason"))
    return redirect("/partners-balance", gettext("Paid {0} to the partner.").format(payout.amount))


@router.post("/partners/{partner_id}/reviews/{sale_id}")
def review_commission(partner_id: int, sale_id: int, db: DB, me: Overrider,
                      form: Form) -> Response:
    decision = forms.text(form, "decision")
    if decision not in ("approve", "reject"):
        raise InvalidInput(gettext("Approve or reject the commission."))
    self_referral.decide(db, sale_id, approve=decision == "approve", actor=me.label,
                         partner_id=partner_id)
    return redirect(f"/partners/{partner_id}#under-review",
                    gettext("Commission approved: it matures as usual.") if decision == "approve"
                    else gettext("Commission rejected and reversed."))


@router.post("/customers/{customer_id}/partner")
def link_customer(customer_id: int, db: DB, me: Linker, form: Form) -> Response:
    changed = partners.link(
        db, customer_id, forms.integer(form, "partner_id", "Partner"),
        employee_id=forms.optional_int(form, "employee_id"), source="manual",
        actor=me.label, may_relink=me.can("partners:write"), reason=forms.text(form, "reason"))
    return redirect(f"/customers/{customer_id}",
                    gettext("Linked to the partner.") if changed else gettext("No change."))


@router.post("/invoices/{sale_id}/expenses")
def invoice_expense(sale_id: int, db: DB, me: Manager, form: Form) -> Response:
    payout = payouts.pay_one_time(
        db, forms.integer(form, "partner_id", "Partner"), invoice_id=sale_id,
        amount=forms.money(form, "amount", "Amount"), method=forms.text(form, "method"),
        actor=me.label, note=forms.text(form, "note"))
    return redirect(f"/sales/{sale_id}",
                    gettext("Paid {0} to the partner as an expense of this invoice.")
                    .format(payout.amount))
