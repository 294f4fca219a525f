from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from wordofmouth.auth.permissions import Principal
from wordofmouth.customers import service as customers
from wordofmouth.ledger import operations, service
from wordofmouth.ledger.errors import OpeningBalanceExists
from wordofmouth.ledger.models import AccountKind
from wordofmouth.ledger.rules import spendable
from wordofmouth.ledger.schemas import BalanceOut, EntryOut, OpeningIn
from wordofmouth.schemas import API_ERRORS
from wordofmouth.web.deps import DB, api_permission, document_date
from wordofmouth.web.idempotent import idempotent
from wordofmouth.web.openapi import answers

router = APIRouter(prefix="/api", tags=["ledger"], responses=API_ERRORS)
Reader = Annotated[Principal, Depends(api_permission("ledger:read"))]
Importer = Annotated[Principal, Depends(api_permission("history:import"))]


@router.post("/customers/{customer_id}/bonus/opening", response_model=EntryOut,
             status_code=201)
@answers("customer_not_found", "idempotency_key_reused", "insufficient_bonus",
         "opening_balance_exists")
def opening_balance(customer_id: int, body: OpeningIn, request: Request, db: DB,
                    principal: Importer) -> Response:
    """The bonus balance the customer had in the store's previous program: an opening
    entry of its own kind, once per customer."""
    def run() -> EntryOut:
        customers.get_customer(db, customer_id)
        entry = operations.open_bonus_balance(
            db, customer_id=customer_id, amount=body.amount,
            at=document_date(principal, body.document_date))
        if entry is None:
            raise OpeningBalanceExists()
        db.flush()
        return EntryOut.model_validate(entry)

    return idempotent(request, db, principal, body, run, 201)


@router.get("/customers/{customer_id}/bonus", response_model=BalanceOut)
@answers("customer_not_found")
def customer_bonus(customer_id: int, db: DB, _: Reader,
                   limit: Annotated[int, Query(ge=1, le=500)] = 50,
                   offset: Annotated[int, Query(ge=0)] = 0) -> BalanceOut:
    """The customer's bonus balance and its ledger entries, newest first."""
    customers.get_customer(db, customer_id)
    balance = service.balance(db, AccountKind.CUSTOMER_BONUS, customer_id)
    entries = service.entries(db, AccountKind.CUSTOMER_BONUS, customer_id, limit=limit,
                              offset=offset)
    return BalanceOut(account=AccountKind.CUSTOMER_BONUS, owner_id=customer_id, balance=balance,
                      spendable=spendable(balance),
                      entries=[EntryOut.model_validate(e) for e in entries])
