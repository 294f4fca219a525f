"""Where later capabilities plug into the till.

- Discount providers offer per-line candidates; the sales rules pick the largest.
- Accrual steps run, in order, when a sale becomes paid, and reverse on a return
  (in reverse order); each may also release what it held when an open sale is voided.
- Code handlers take scanned codes that are neither products nor cards (promo codes).
- Payment handlers take the payment methods another capability settles (a set-off of a
  partner's commission) and give the money back on a return or a void.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from wordofmouth.sales.models import Payment, Sale, SaleReturn
    from wordofmouth.sales.rules import DiscountCandidate


class DiscountProvider(Protocol):
    name: str

    def candidates(self, session: Session, sale: Sale) -> dict[int, list[DiscountCandidate]]:
        """Discount candidates per line number."""
        ...


class AccrualStep(Protocol):
    name: str

    def accrue(self, session: Session, sale: Sale) -> None: ...

    def reverse(self, session: Session, sale: Sale, sale_return: SaleReturn,
                returned_before: Decimal) -> None: ...

    def on_void(self, session: Session, sale: Sale) -> None: ...


class CodeHandler(Protocol):
    kind: str

    def apply(self, session: Session, sale: Sale, target_id: int, code: str) -> str:
        """Attach the code to the open sale; returns a message for the cashier."""
        ...

    def describe(self, session: Session, sale: Sale | None, target_id: int,
                 code: str) -> str | None:
        """What the cashier confirms before the code applies at the till (its discount,
        whose it is), or None when it applies at once. Refuses a code that cannot apply
        with its DomainError."""
        ...


class PaymentHandler(Protocol):
    method: str

    def take(self, session: Session, sale: Sale, payment: Payment) -> None:
        """Settle the payment (flushed, so it has its id) or refuse it with a DomainError."""
        ...

    def give_back(self, session: Session, sale: Sale, amount: Decimal, *, source_type: str,
                  source_id: int, at: datetime | None = None) -> None:
        """Return `amount` of what this method paid: a return (source "return") or a void
        (source "payment")."""
        ...


# What the cashier is told after a sale is paid, besides the change ("Rita K. got 25.00
# bonuses for recommending a friend."); None when there is nothing to tell.
TillNote = Callable[["Session", "Sale"], "str | None"]


@dataclass
class Extensions:
    discount_providers: list[DiscountProvider] = field(default_factory=list)
    accrual_steps: list[AccrualStep] = field(default_factory=list)
    code_handlers: dict[str, CodeHandler] = field(default_factory=dict)
    payment_handlers: dict[str, PaymentHandler] = field(default_factory=dict)
    till_notes: dict[str, TillNote] = field(default_factory=dict)

    def add_discount_provider(self, provider: DiscountProvider) -> None:
        if all(p.name != provider.name for p in self.discount_providers):
            self.discount_providers.append(provider)

    def add_accrual_step(self, step: AccrualStep) -> None:
        if all(s.name != step.name for s in self.accrual_steps):
            self.accrual_steps.append(step)

    def add_code_handler(self, handler: CodeHandler) -> None:
        self.code_handlers[handler.kind] = handler

    def add_payment_handler(self, handler: PaymentHandler) -> None:
        self.payment_handlers[handler.method] = handler

    def add_till_note(self, name: str, note: TillNote) -> None:
        self.till_notes[name] = note

    def notes_after_payment(self, session: Session, sale: Sale) -> list[str]:
        return [text for note in self.till_notes.values()
                if (text := note(session, sale)) is not None]


EXTENSIONS = Extensions()
