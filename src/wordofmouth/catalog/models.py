"""Catalog tables: the product-group tree and products with prices, cost and barcodes."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wordofmouth.db import Base, Money


class ProductGroup(Base):
    __tablename__ = "product_groups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("product_groups.id"), index=True)
    # Materialised path "/1/4/9/": ancestors and sub-trees in one indexed look-up.
    path: Mapped[str] = mapped_column(String(400), default="/", index=True)

    parent: Mapped[ProductGroup | None] = relationship(remote_side=[id])

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to this group itself."""
        return [int(part) for part in self.path.strip("/").split("/") if part]

    @property
    def depth(self) -> int:
        return len(self.ancestor_ids) - 1


class Product(Base):
    __tablename__ = "products"
    __table_args__ = (Index("ix_products_name_lower", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sku: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    group_id: Mapped[int] = mapped_column(ForeignKey("product_groups.id"), index=True)
    price: Mapped[Decimal] = mapped_column(Money)
    cost_price: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    barcode: Mapped[str | None] = mapped_column(String(32), unique=True)
    unit: Mapped[str] = mapped_column(String(8), default="pcs")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    group: Mapped[ProductGroup] = relationship()
