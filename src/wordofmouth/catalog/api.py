from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from wordofmouth.auth.permissions import Principal
from wordofmouth.catalog import service
from wordofmouth.catalog.schemas import (
    GroupIn,
    GroupOut,
    GroupPatch,
    ProductIn,
    ProductOut,
    ProductPatch,
)
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


@router.patch("/groups/{group_id}", response_model=GroupOut)
@answers("group_cycle", "group_not_found", "idempotency_key_reused")
def update_group(group_id: int, body: GroupPatch, request: Request, db: DB,
                 principal: Writer) -> Response:
    """Rename a group, or move it with its sub-groups under another (parent_id)."""
    def run() -> GroupOut:
        group = service.get_group(db, group_id)
        parent = body.parent_id if "parent_id" in body.model_fields_set else group.parent_id
        return GroupOut.model_validate(service.move_group(
            db, group_id, name=body.name or group.name, parent_id=parent))

    return idempotent(request, db, principal, body, run)


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


@router.patch("/products/{product_id}", response_model=ProductOut)
@answers("group_not_found", "idempotency_key_reused", "product_not_found")
def update_product(product_id: int, body: ProductPatch, request: Request, db: DB,
                   principal: Writer) -> Response:
    """Change the fields given: name, group, price, cost price, whether it is sold."""
    def run() -> ProductOut:
        p = service.get_product(db, product_id)
        return ProductOut.model_validate(service.update_product(
            db, product_id, name=body.name or p.name, group_id=body.group_id or p.group_id,
            price=p.price if body.price is None else body.price,
            cost_price=p.cost_price if body.cost_price is None else body.cost_price,
            active=p.active if body.active is None else body.active))

    return idempotent(request, db, principal, body, run)
