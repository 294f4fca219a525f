"""Back office: products and the product-group tree."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from wordofmouth.auth.permissions import Principal
from wordofmouth.catalog import service
from wordofmouth.i18n import gettext
from wordofmouth.web import forms
from wordofmouth.web.deps import DB, Form, page_permission
from wordofmouth.web.office import redirect
from wordofmouth.web.templating import render

router = APIRouter(prefix="/catalog", include_in_schema=False)
Reader = Annotated[Principal, Depends(page_permission("catalog:read"))]
Writer = Annotated[Principal, Depends(page_permission("catalog:write"))]
PAGE = 50


@router.get("/products")
def products(request: Request, db: DB, me: Reader, q: str = "", group: str = "",
             page: int = 1) -> Response:
    page = max(page, 1)
    group_id = int(group) if group.isdigit() else None
    found = service.search_products(db, query=q, group_id=group_id, limit=PAGE,
                                    offset=(page - 1) * PAGE)
    return render(request, "catalog/products.html", me, products=found, q=q, group=group_id,
                  groups=service.group_tree(db), page=page, page_size=PAGE)


@router.post("/products")
def add_product(db: DB, me: Writer, form: Form) -> Response:
    product = service.create_product(
        db, sku=forms.text(form, "sku"), name=forms.text(form, "name"),
        group_id=forms.integer(form, "group_id", "Group"),
        price=forms.money(form, "price", "Price"),
        cost_price=forms.money(form, "cost_price", "Cost price", default="0"),
        barcode=forms.text(form, "barcode") or None, unit=forms.text(form, "unit", "pcs"))
    return redirect("/catalog/products", gettext("Product {0} added.").format(product.name))


@router.get("/products/{product_id}")
def product_page(product_id: int, request: Request, db: DB, me: Reader) -> Response:
    return render(request, "catalog/product.html", me,
                  product=service.get_product(db, product_id), groups=service.group_tree(db))


@router.post("/products/{product_id}")
def save_product(product_id: int, db: DB, me: Writer, form: Form) -> Response:
    service.update_product(db, product_id, name=forms.text(form, "name"),
                           group_id=forms.integer(form, "group_id", "Group"),
                           price=forms.money(form, "price", "Price"),
                           cost_price=forms.money(form, "cost_price", "Cost price"),
                           active=forms.checked(form, "active"))
    return redirect(f"/catalog/products/{product_id}", gettext("Saved."))


@router.get("/groups")
def groups(request: Request, db: DB, me: Writer) -> Response:
    return render(request, "catalog/groups.html", me, groups=service.group_tree(db))


@router.post("/groups")
def add_group(db: DB, me: Writer, form: Form) -> Response:
    group = service.create_group(db, name=forms.text(form, "name"),
                                 parent_id=forms.optional_int(form, "parent_id"))
    return redirect("/catalog/groups", gettext("Group {0} added.").format(group.name))


@router.post("/groups/{group_id}")
def save_group(group_id: int, db: DB, me: Writer, form: Form) -> Response:
    service.move_group(db, group_id, name=forms.text(form, "name"),
                       parent_id=forms.optional_int(form, "parent_id"))
    return redirect("/catalog/groups", gettext("Group saved."))
