"""An invoice the intermediary pays (seed 000: "conditions of who pays for the goods — the
intermediary or the customer"), paid in part or in full by setting off the partner's
payable commission. The set-off is a commission payout linked to the invoice (it counts as
paid to the partner and leaves the reward contacts a payout leaves); a return of the invoice
or a void of it unpaid gives the set-off part back to payable, in the ledger."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from wordofmouth.ledger import operations
from wordofmouth.ledger import service as ledger
from wordofmouth.money import ZERO
from wordofmouth.partners import payouts
from wordofmouth.partners.commission import PAYABLE
from wordofmouth.partners.errors import SetOffNotAllowed
from wordofmouth.partners.models import Partner, SaleAttribution
from wordofmouth.sales.extensions import EXTENSIONS
from wordofmouth.sales.models import PaymentMethod, SaleKind

if TYPE_CHECKING:  # another capability's tables, named in type hints only
    from wordofmouth.sales.models import Payment, Sale


def payer(session: Session, sale: Sale) -> int | None:
    """The partner who pays this invoice, or None when the customer pays."""
    row = session.get(SaleAttribution, sale.id)
    if (sale.kind != SaleKind.INVOICE or row is None or row.partner_id is None
            or row.reason != "invoice_intermediary" or not row.partner_pays):
        return None
    return row.partner_id


@dataclass(frozen=True)
class Parties:
    """Who an invoice goes through and who pays it, as its page shows them."""

    intermediary: Partner | None
    partner_pays: bool
    payable: Decimal  # what the paying intermediary could set off now


def parties(session: Session, sale: Sale) -> Parties:
    row = session.get(SaleAttribution, sale.id)
    if row is None or row.reason != "invoice_intermediary" or row.partner_id is None:
        return Parties(None, False, ZERO)
    partner = session.get(Partner, row.partner_id)
    payable = (ledger.balance(session, PAYABLE, row.partner_id) if row.partner_pays
               else ZERO)
    return Parties(partner, row.partner_pays, max(payable, ZERO))


class SetOffPayment:
    method = PaymentMethod.SETOFF.value

    def take(self, session: Session, sale: Sale, payment: Payment) -> None:
        partner_id = payer(session, sale)
        if partner_id is None:
            raise SetOffNotAllowed()
        payouts.set_off(session, partner_id, invoice_id=sale.id, invoice_number=sale.number,
                        amount=payment.amount,
                        actor=sale.created_by or "till")

    def give_back(self, session: Session, sale: Sale, amount: Decimal, *, source_type: str,
                  source_id: int, at: datetime | None = None) -> None:
        partner_id = payer(session, sale)
        assert partner_id is not None, "a set-off payment was taken for this invoice"
        operations.give_back_set_off(session, partner_id=partner_id, sale_id=sale.id,
                                     source_type=source_type, source_id=source_id,
                                     amount=amount, at=at)


def install() -> None:
    EXTENSIONS.add_payment_handler(SetOffPayment())
