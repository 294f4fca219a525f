from datetime import datetime
from decimal import Decimal

from pydantic import Field

from wordofmouth.schemas import Out, PercentIn, Strict


class CustomerIn(Strict):
    first_name: str = Field(min_length=1, max_length=80)
    last_name: str = Field(default="", max_length=80)
    phone: str | None = Field(default=None, max_length=32)
    email: str | None = Field(default=None, max_length=254)
    consent_email: bool = False
    consent_sms: bool = False
    consent_viber: bool = False
    note: str = Field(default="", max_length=2000)


class CardIn(Strict):
    number: str | None = Field(default=None, pattern=r"^[0-9A-Za-z-]{4,32}$",
                               description="Leave empty to get a new in-store EAN-13 number")
    discount_percent: PercentIn = Decimal("0")
    bonus_percent: PercentIn = Decimal("0")
    main: bool = True


class CardOut(Out):
    id: int
    number: str
    customer_id: int
    discount_percent: Decimal
    bonus_percent: Decimal
    is_main: bool
    active: bool


class CustomerOut(Out):
    id: int
    first_name: str
    last_name: str
    phone: str | None
    email: str | None
    consent_email: bool
    consent_sms: bool
    consent_viber: bool
    created_at: datetime
    cards: list[CardOut]
