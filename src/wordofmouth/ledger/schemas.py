from datetime import datetime
from decimal import Decimal

from wordofmouth.schemas import Out


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
