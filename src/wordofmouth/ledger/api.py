from typing import Annotated

from fastapi import APIRouter, Depends, Query

from wordofmouth.auth.permissions import Principal
from wordofmouth.customers import service as customers
from wordofmouth.ledger import service
from wordofmouth.ledger.models import AccountKind
from wordofmouth.ledger.rules import spendable
from wordofmouth.ledger.schemas import BalanceOut, EntryOut
from wordofmouth.schemas import API_ERRORS
from wordofmouth.web.deps import DB, api_permission
from wordofmouth.web.openapi import answers

router = APIRouter(prefix="/api", tags=["ledger"], responses=API_ERRORS)
Reader = Annotated[Principal, Depends(api_permission("ledger:read"))]


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
