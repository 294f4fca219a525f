"""Shared request/response field types: money and percentages are exact decimals."""

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from wordofmouth.i18n import gettext
from wordofmouth.money import MAX_AMOUNT


def _plain_number(value: object) -> object:
    """Amounts are written as plain decimals: no exponents, no NaN or infinity."""
    text = value if isinstance(value, str) else repr(value) if isinstance(value, float) else ""
    if any(mark in text.lower() for mark in ("e", "nan", "inf")):
        raise ValueError(gettext("write the number as a plain decimal, like 12.50"))
    return value


Plain = BeforeValidator(_plain_number)
MoneyIn = Annotated[Decimal, Plain, Field(
    ge=0, le=MAX_AMOUNT, max_digits=10, decimal_places=2,
    description="An amount with at most two decimals, at most 10 000 000")]
PositiveMoney = Annotated[Decimal, Plain, Field(gt=0, le=MAX_AMOUNT, max_digits=10,
                                                decimal_places=2)]
PercentIn = Annotated[Decimal, Plain, Field(ge=0, le=100, max_digits=5, decimal_places=2)]
QtyIn = Annotated[Decimal, Plain, Field(gt=0, le=100000, max_digits=12, decimal_places=3)]


class Strict(BaseModel):
    """Request bodies refuse unknown fields, so a typo is an error and not a silent no-op."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ErrorOut(BaseModel):
    error: str = Field(description="A stable machine-readable code")
    detail: str = Field(description="A human message")


class FieldProblem(BaseModel):
    field: str
    problem: str


class ValidationErrorOut(ErrorOut):
    fields: list[FieldProblem] = Field(default_factory=list,
                                       description="Which inputs were wrong, and how")


API_ERRORS: dict[int | str, dict[str, object]] = {
    code: {"model": ErrorOut} for code in (401, 403, 404, 409, 413, 422, 429, 503)}


class Page(BaseModel):
    limit: int
    offset: int
