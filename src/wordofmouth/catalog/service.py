"""Catalog use cases: the product-group tree and products."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from wordofmouth import rows
from wordofmouth.catalog.errors import DuplicateSku, GroupCycle, GroupNotFound, ProductNotFound
from wordofmouth.catalog.models import Product, ProductGroup
from wordofmouth.errors import InvalidInput
from wordofmouth.i18n import gettext
from wordofmouth.scancodes import service as scancodes


def get_group(session: Session, group_id: int) -> ProductGroup:
    return rows.one(session, ProductGroup, group_id, GroupNotFound,
                          gettext("Product group {0} does not exist.").format(group_id))


def create_group(session: Session, *, name: str, parent_id: int | None = None) -> ProductGroup:
    """Add a group under `parent_id` (or at the root)."""
    name = name.strip()
    if not name:
        raise InvalidInput(gettext("A group needs a name."))
    parent = get_group(session, parent_id) if parent_id is not None else None
    group = ProductGroup(name=name, parent_id=parent.id if parent else None)
    session.add(group)
    session.flush()
    group.path = f"{parent.path if parent else '/'}{group.id}/"
    session.flush()
    return group


def move_group(session: Session, group_id: int, *, name: str,
               parent_id: int | None) -> ProductGroup:
    """Rename a group and/or move it (with its whole sub-tree) under another parent."""
    group = get_group(session, group_id)
    if not name.strip():
        raise InvalidInput(gettext("A group needs a name."))
    group.name = name.strip()
    if parent_id != group.parent_id:
        parent = get_group(session, parent_id) if parent_id is not None else None
        if parent is not None and parent.path.startswith(group.path):
            raise GroupCycle()
        old_path = group.path
        new_path = f"{parent.path if parent else '/'}{group.id}/"
        session.execute(
            update(ProductGroup)
            .where(ProductGroup.path.startswith(old_path))
            .values(path=func.replace(ProductGroup.path, old_path, new_path))
            .execution_options(synchronize_session=False)
        )
        group.parent_id = parent.id if parent else None
        session.flush()
        session.expire_all()
    return get_group(session, group_id)


def group_tree(session: Session) -> list[ProductGroup]:
    """All groups in tree order (each parent before its children)."""
    groups = list(session.scalars(select(ProductGroup)))
    by_parent: dict[int | None, list[ProductGroup]] = {}
    for g in groups:
        by_parent.setdefault(g.parent_id, []).append(g)
    ordered: list[ProductGroup] = []

    def walk(parent: int | None) -> None:
        for g in sorted(by_parent.get(parent, []), key=lambda x: x.name.lower()):
            ordered.append(g)
            walk(g.id)

    walk(None)
    return ordered


def subtree_ids(session: Session, group_id: int) -> list[int]:
    group = get_group(session, group_id)
    return list(session.scalars(
        select(ProductGroup.id).where(ProductGroup.path.startswith(group.path))
    ))


def in_group(session: Session, group_id: int | None) -> Callable[[int | None], bool]:
    """Whether goods of a group fall under `group_id` (its subtree); every group does when
    `group_id` is None. For offers limited to a product group."""
    if group_id is None:
        return lambda _group: True
    inside = set(subtree_ids(session, group_id))
    return lambda group: group in inside


def get_product(session: Session, product_id: int) -> Product:
    return rows.one(session, Product, product_id, ProductNotFound,
                          gettext("Product {0} does not exist.").format(product_id))


def products_by_id(session: Session, ids: set[int]) -> dict[int, Product]:
    if not ids:
        return {}
    return {p.id: p for p in session.scalars(select(Product).where(Product.id.in_(ids)))}


def _check_money(label: str, value: Decimal) -> None:
    if value < 0:
        raise InvalidInput(gettext("{0} cannot be negative.").format(label))


def create_product(session: Session, *, sku: str, name: str, group_id: int, price: Decimal,
                   cost_price: Decimal = Decimal("0"), barcode: str | None = None,
                   unit: str = "pcs") -> Product:
    """Add a product; its barcode joins the one registry of scannable codes."""
    sku, name = sku.strip(), name.strip()
    if not sku or not name:
        raise InvalidInput(gettext("A product needs an SKU and a name."))
    _check_money("Price", price)
    _check_money("Cost price", cost_price)
    get_group(session, group_id)
    if session.scalar(select(Product.id).where(Product.sku == sku)) is not None:
        raise DuplicateSku(gettext("SKU {0} is already used.").format(sku))
    product = Product(sku=sku, name=name, group_id=group_id, price=price,
                      cost_price=cost_price, barcode=barcode or None, unit=unit, active=True)
    session.add(product)
    session.flush()
    if product.barcode:
        scancodes.register(session, product.barcode, "product", product.id)
    return product


def update_product(session: Session, product_id: int, *, name: str, group_id: int,
                   price: Decimal, cost_price: Decimal, active: bool) -> Product:
    product = get_product(session, product_id)
    if not name.strip():
        raise InvalidInput(gettext("A product needs a name."))
    _check_money("Price", price)
    _check_money("Cost price", cost_price)
    get_group(session, group_id)
    product.name, product.group_id = name.strip(), group_id
    product.price, product.cost_price, product.active = price, cost_price, active
    session.flush()
    return product


def search_products(session: Session, *, query: str = "", group_id: int | None = None,
                    limit: int = 50, offset: int = 0) -> list[Product]:
    stmt = select(Product).order_by(Product.name).limit(limit).offset(offset)
    if query:
        like = f"%{query.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(Product.name).like(like), Product.sku == query.strip(),
                              Product.barcode == query.strip()))
    if group_id is not None:
        stmt = stmt.where(Product.group_id.in_(subtree_ids(session, group_id)))
    return list(session.scalars(stmt))


def find_product(session: Session, code: str) -> Product | None:
    """A product by barcode or SKU (what a cashier types or scans)."""
    code = code.strip()
    return session.scalars(
        select(Product).where(or_(Product.barcode == code, Product.sku == code))
    ).first()


def product_id_by_sku(session: Session, sku: str) -> int | None:
    found = session.scalar(select(Product.id).where(Product.sku == sku))
    return None if found is None else int(found)


def group_paths(session: Session, group_ids: set[int]) -> dict[int, list[int]]:
    """Each group's path from the root group down to itself (ids)."""
    rows = session.execute(select(ProductGroup.id, ProductGroup.path)
                           .where(ProductGroup.id.in_(group_ids))).all()
    return {gid: [int(p) for p in path.strip("/").split("/") if p] for gid, path in rows}
