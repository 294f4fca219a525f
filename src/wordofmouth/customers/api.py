from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from wordofmouth.auth.permissions import Principal
from wordofmouth.customers import service
from wordofmouth.customers.schemas import CardIn, CardOut, CustomerIn, CustomerOut
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
