from decimal import Decimal

from pydantic import Field

from wordofmouth.schemas import MoneyIn, Out, Strict


class GroupIn(Strict):
    name: str = Field(min_length=1, max_length=120)
    parent_id: int | None = None


class GroupOut(Out):
    id: int
    name: str
    parent_id: int | None
    path: str


class ProductIn(Strict):
    sku: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=200)
    group_id: int
    price: MoneyIn
    cost_price: MoneyIn = Decimal("0")
    barcode: str | None = Field(default=None, pattern=r"^[0-9A-Za-z-]{4,32}$")
    unit: str = Field(default="pcs", max_length=8)


class ProductOut(Out):
    id: int
    sku: str
    name: str
    group_id: int
    price: Decimal
    cost_price: Decimal
    barcode: str | None
    unit: str
    active: bool


class GroupPatch(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=120)
    parent_id: int | None = Field(default=None, description="null moves it to the top")


class ProductPatch(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    group_id: int | None = None
    price: MoneyIn | None = None
    cost_price: MoneyIn | None = None
    active: bool | None = Field(default=None, description="false: no longer sold")
