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


class CustomerPatch(Strict):
    first_name: str | None = Field(default=None, min_length=1, max_length=80)
    last_name: str | None = Field(default=None, max_length=80)
    phone: str | None = Field(default=None, max_length=32, description="'' removes it")
    email: str | None = Field(default=None, max_length=254, description="'' removes it")
    consent_email: bool | None = None
    consent_sms: bool | None = None
    consent_viber: bool | None = None
    note: str | None = Field(default=None, max_length=2000)


class CardPatch(Strict):
    discount_percent: PercentIn | None = None
    bonus_percent: PercentIn | None = None
    active: bool | None = Field(default=None, description="false: the card no longer works")


class NoteIn(Strict):
    text: str = Field(min_length=1, max_length=2000)


class ContactOut(Out):
    at: datetime | None
    kind: str = Field(description="note, reward_paid or mailing")
    text: str
    actor: str = Field(description="Who wrote it or paid it ('' for a mailing)")
