"""Back office: customers, their discount cards and bonus history."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from wordofmouth.auth.permissions import Principal
from wordofmouth.calendar import date_of
from wordofmouth.club import service as club
from wordofmouth.customers import contact_history, contacts, directory, service
from wordofmouth.errors import InvalidInput
from wordofmouth.friends import service as friends
from wordofmouth.i18n import gettext
from wordofmouth.ledger import service as ledger
from wordofmouth.ledger.models import AccountKind
from wordofmouth.partners import service as partners
from wordofmouth.sales import service as sales
from wordofmouth.web import forms
from wordofmouth.web.deps import DB, Form, page_permission
from wordofmouth.web.office import redirect
from wordofmouth.web.templating import render

router = APIRouter(prefix="/customers", include_in_schema=False)
Reader = Annotated[Principal, Depends(page_permission("customers:read"))]
Writer = Annotated[Principal, Depends(page_permission("customers:write"))]
PAGE = 50


def _contact_fields(form: forms.FormData) -> dict[str, object]:
    return {
        "first_name": forms.text(form, "first_name"), "last_name": forms.text(form, "last_name"),
        "phone": forms.text(form, "phone") or None, "email": forms.text(form, "email") or None,
        "consent_email": forms.checked(form, "consent_email"),
        "consent_sms": forms.checked(form, "consent_sms"),
        "consent_viber": forms.checked(form, "consent_viber"), "note": forms.text(form, "note"),
    }


@router.get("")
def customers(request: Request, db: DB, me: Reader, q: str = "", page: int = 1,
              referrer: str = "", sort: str = "name") -> Response:
    """Search, filter by who brought the customer ("p:ID" a partner, "e:ID" an employee),
    sort by name or by referrer."""
    page = max(page, 1)
    partner_id = employee_id = None
    if referrer:
        partner_id, employee_id = partners.referrer_choice(db, referrer)
    if sort not in directory.SORTS:
        raise InvalidInput(gettext("Sort by name or by referrer."))
    found = directory.rows(db, query=q, partner_id=partner_id, employee_id=employee_id,
                           sort=sort, limit=PAGE, offset=(page - 1) * PAGE)
    return render(request, "customers/list.html", me, rows=found, q=q, page=page,
                  page_size=PAGE, referrer=referrer, sort=sort,
                  partner_list=partners.partners(db), partner_staff=partners.all_employees(db))


@router.post("")
def add_customer(db: DB, me: Writer, form: Form) -> Response:
    customer = service.create_customer(db, **_contact_fields(form))  # type: ignore[arg-type]
    if forms.checked(form, "issue_card"):
        service.issue_card(db, customer.id, number=forms.text(form, "card_number") or None)
    return redirect(f"/customers/{customer.id}", gettext("Customer {0} added.")
                                                 .format(customer.full_name))


@router.get("/{customer_id}")
def customer_page(customer_id: int, request: Request, db: DB, me: Reader) -> Response:
    customer = service.get_customer(db, customer_id)
    return render(
        request, "customers/detail.html", me, customer=customer,
        balance=service.bonus_balance(db, customer_id),
        entries=ledger.entries(db, AccountKind.CUSTOMER_BONUS, customer_id, limit=30),
        sales=sales.list_sales(db, customer_id=customer_id, limit=20),
        club=club.membership(db, customer_id), club_history=club.history(db, customer_id),
        friend_codes=friends.codes_of(db, referrer_id=customer_id, limit=100),
        friend_campaigns=friends.campaigns(db, active_only=True),
        link=partners.link_of(db, customer_id), link_history=partners.link_history(db, customer_id),
        partner_list=partners.partners(db, active_only=True),
        partner_staff=partners.all_employees(db),
        partner_names={p.id: p.name for p in partners.partners(db)},
        date_of=date_of, contact_list=contact_history.history(db, customer_id, limit=50),
    )


@router.post("/{customer_id}/notes")
def add_note(customer_id: int, db: DB, me: Writer, form: Form) -> Response:
    contacts.add_note(db, customer_id, forms.text(form, "text"), actor=me.label)
    return redirect(f"/customers/{customer_id}#contacts", gettext("Note added."))


@router.post("/{customer_id}")
def save_customer(customer_id: int, db: DB, me: Writer, form: Form) -> Response:
    service.update_customer(db, customer_id, **_contact_fields(form))
    return redirect(f"/customers/{customer_id}", gettext("Saved."))


@router.post("/{customer_id}/cards")
def issue_card(customer_id: int, db: DB, me: Writer, form: Form) -> Response:
    card = service.issue_card(
        db, customer_id, number=forms.text(form, "number") or None,
        discount_percent=forms.decimal(form, "discount_percent", "Discount"),
        bonus_percent=forms.decimal(form, "bonus_percent", "Bonus"),
        main=forms.checked(form, "main"))
    return redirect(f"/customers/{customer_id}", gettext("Card {0} issued.").format(card.number))


@router.post("/{customer_id}/cards/{card_id}")
def save_card(customer_id: int, card_id: int, db: DB, me: Writer, form: Form) -> Response:
    service.update_card(db, card_id, discount_percent=forms.decimal(form, "discount_percent",
                                                                     "Discount"),
                        bonus_percent=forms.decimal(form, "bonus_percent", "Bonus"),
                        active=forms.checked(form, "active"))
    return redirect(f"/customers/{customer_id}", gettext("Card saved."))
