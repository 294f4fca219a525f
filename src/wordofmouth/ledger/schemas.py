from datetime import datetime
from decimal import Decimal

from pydantic import Field

from wordofmouth.schemas import MoneyIn, Out, Strict


class EntryOut(Out):
    id: int
    amount: Decimal
    kind: str
    source_type: str
    source_id: int
    source_key: str
    sale_id: int | None
    memo: str
    created_at: datetime


class BalanceOut(Out):
    account: str
    owner_id: int
    balance: Decimal
    spendable: Decimal
    entries: list[EntryOut]


class OpeningIn(Strict):
    amount: MoneyIn = Field(description="The bonus balance in the previous program")
    document_date: datetime | None = Field(default=None, description="As of when")
