from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from wordofmouth.auth.permissions import Principal
from wordofmouth.catalog import service
from wordofmouth.catalog.schemas import GroupIn, GroupOut, ProductIn, ProductOut
from wordofmouth.schemas import API_ERRORS
from wordofmouth.web.deps import DB, api_permission
from wordofmouth.web.idempotent import idempotent
from wordofmouth.web.openapi import answers

router = APIRouter(prefix="/api", tags=["catalog"], responses=API_ERRORS)
Reader = Annotated[Principal, Depends(api_permission("catalog:read"))]
Writer = Annotated[Principal, Depends(api_permission("catalog:write"))]


@router.get("/groups", response_model=list[GroupOut])
def list_groups(db: DB, _: Reader) -> list[GroupOut]:
    return [GroupOut.model_validate(g) for g in service.group_tree(db)]


@router.post("/groups", response_model=GroupOut, status_code=201)
@answers("group_not_found", "idempotency_key_reused")
def create_group(body: GroupIn, request: Request, db: DB, principal: Writer) -> Response:
    return idempotent(request, db, principal, body, lambda: GroupOut.model_validate(
        service.create_group(db, name=body.name, parent_id=body.parent_id)), 201)


@router.get("/products", response_model=list[ProductOut])
@answers("group_not_found")
def list_products(db: DB, _: Reader, q: str = "", group_id: int | None = None,
                  limit: Annotated[int, Query(ge=1, le=500)] = 50,
                  offset: Annotated[int, Query(ge=0)] = 0) -> list[ProductOut]:
    return [ProductOut.model_validate(p) for p in
            service.search_products(db, query=q, group_id=group_id, limit=limit, offset=offset)]


@router.get("/products/{product_id}", response_model=ProductOut)
@answers("product_not_found")
def get_product(product_id: int, db: DB, _: Reader) -> ProductOut:
    return ProductOut.model_validate(service.get_product(db, product_id))


@router.post("/products", response_model=ProductOut, status_code=201)
@answers("code_taken", "duplicate_sku", "group_not_found", "idempotency_key_reused")
def create_product(body: ProductIn, request: Request, db: DB, principal: Writer) -> Response:
    return idempotent(request, db, principal, body, lambda: ProductOut.model_validate(
        service.create_product(db, **body.model_dump())), 201)
