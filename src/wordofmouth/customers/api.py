from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from wordofmouth.auth.permissions import Principal
from wordofmouth.customers import contact_history, contacts, service
from wordofmouth.customers.errors import CardNotFound
from wordofmouth.customers.schemas import (
    CardIn,
    CardOut,
    CardPatch,
    ContactOut,
    CustomerIn,
    CustomerOut,
    CustomerPatch,
    NoteIn,
)
from wordofmouth.i18n import gettext
from wordofmouth.schemas import API_ERRORS
from wordofmouth.web.deps import DB, api_permission
from wordofmouth.web.idempotent import idempotent
from wordofmouth.web.openapi import answers

router = APIRouter(prefix="/api", tags=["customers"], responses=API_ERRORS)
Reader = Annotated[Principal, Depends(api_permission("customers:read"))]
Writer = Annotated[Principal, Depends(api_permission("customers:write"))]


@router.get("/customers", response_model=list[CustomerOut])
def list_customers(db: DB, _: Reader, q: str = "",
                   limit: Annotated[int, Query(ge=1, le=500)] = 50,
                   offset: Annotated[int, Query(ge=0)] = 0) -> list[CustomerOut]:
    return [CustomerOut.model_validate(c)
            for c in service.search(db, query=q, limit=limit, offset=offset)]


@router.get("/customers/{customer_id}", response_model=CustomerOut)
@answers("customer_not_found")
def get_customer(customer_id: int, db: DB, _: Reader) -> CustomerOut:
    return CustomerOut.model_validate(service.get_customer(db, customer_id))


@router.post("/customers", response_model=CustomerOut, status_code=201)
@answers("customer_not_found", "idempotency_key_reused")
def create_customer(body: CustomerIn, request: Request, db: DB, principal: Writer) -> Response:
    def run() -> CustomerOut:
        customer = service.create_customer(db, **body.model_dump())
        return CustomerOut.model_validate(service.get_customer(db, customer.id))

    return idempotent(request, db, principal, body, run, 201)


@router.patch("/customers/{customer_id}", response_model=CustomerOut)
@answers("customer_not_found", "idempotency_key_reused")
def update_customer(customer_id: int, body: CustomerPatch, request: Request, db: DB,
                    principal: Writer) -> Response:
    """Change the fields given (contacts, consents, the note)."""
    def run() -> CustomerOut:
        c = service.get_customer(db, customer_id)
        current = {"first_name": c.first_name, "last_name": c.last_name, "phone": c.phone,
                   "email": c.email, "consent_email": c.consent_email,
                   "consent_sms": c.consent_sms, "consent_viber": c.consent_viber,
                   "note": c.note}
        service.update_customer(db, customer_id, **(current | body.model_dump(exclude_none=True)))
        return CustomerOut.model_validate(service.get_customer(db, customer_id))

    return idempotent(request, db, principal, body, run)


@router.get("/customers/{customer_id}/contacts", response_model=list[ContactOut])
@answers("customer_not_found")
def list_contacts(customer_id: int, db: DB, _: Reader,
                  limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[ContactOut]:
    """The customer's contact history, newest first: notes, rewards paid, mailings."""
    service.get_customer(db, customer_id)
    return [ContactOut(at=c.at, kind=c.kind, text=c.text, actor=c.actor)
            for c in contact_history.history(db, customer_id, limit=limit)]


@router.post("/customers/{customer_id}/notes", response_model=ContactOut, status_code=201)
@answers("customer_not_found", "idempotency_key_reused")
def add_note(customer_id: int, body: NoteIn, request: Request, db: DB,
             principal: Writer) -> Response:
    """A note on the customer's record (a call, a wish, a complaint)."""
    def run() -> ContactOut:
        note = contacts.add_note(db, customer_id, body.text, actor=principal.label)
        return ContactOut(at=note.at, kind=note.kind, text=note.text, actor=note.actor)

    return idempotent(request, db, principal, body, run, 201)


@router.post("/customers/{customer_id}/cards", response_model=CardOut, status_code=201)
@answers("code_taken", "customer_not_found", "idempotency_key_reused")
def issue_card(customer_id: int, body: CardIn, request: Request, db: DB,
               principal: Writer) -> Response:
    return idempotent(request, db, principal, body, lambda: CardOut.model_validate(
        service.issue_card(db, customer_id, **body.model_dump())), 201)


@router.get("/cards/{number}", response_model=CardOut)
@answers("card_inactive", "card_not_found")
def get_card(number: str, db: DB, _: Reader) -> CardOut:
    return CardOut.model_validate(service.card_by_number(db, number, active_only=False))


@router.patch("/customers/{customer_id}/cards/{card_id}", response_model=CardOut)
@answers("card_not_found", "idempotency_key_reused")
def update_card(customer_id: int, card_id: int, body: CardPatch, request: Request, db: DB,
                principal: Writer) -> Response:
    """Change a card's discount or bonus %, or switch it off."""
    def run() -> CardOut:
        card = service.get_card(db, card_id)
        if card.customer_id != customer_id:
            raise CardNotFound(gettext("Discount card {0} does not exist.").format(card_id))
        return CardOut.model_validate(service.update_card(
            db, card_id, active=card.active if body.active is None else body.active,
            discount_percent=_or(body.discount_percent, card.discount_percent),
            bonus_percent=_or(body.bonus_percent, card.bonus_percent)))

    return idempotent(request, db, principal, body, run)


def _or(given: Decimal | None, current: Decimal) -> Decimal:
    return current if given is None else given
