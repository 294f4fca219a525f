"""Paying a sale: cash, card, bank transfer and bonuses; a fully paid sale runs its accruals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from wordofmouth.audit import service as audit
from wordofmouth.calendar import day_of
from wordofmouth.db import utcnow
from wordofmouth.errors import InvalidInput
from wordofmouth.i18n import gettext
from wordofmouth.ledger import operations
from wordofmouth.ledger import service as ledger
from wordofmouth.ledger.models import AccountKind
from wordofmouth.ledger.rules import spendable
from wordofmouth.money import ZERO
from wordofmouth.sales import rules
from wordofmouth.sales.errors import (
    BonusNeedsCustomer,
    BonusShareExceeded,
    EmptySale,
    InvoiceNotFound,
    PaidSaleCannotBeVoided,
    PaymentExceedsDue,
    SaleAlreadyPaid,
    SaleRepriced,
)
from wordofmouth.sales.extensions import EXTENSIONS
from wordofmouth.sales.models import (
    PAID_STATUSES,
    Payment,
    PaymentMethod,
    Sale,
    SaleKind,
    SaleStatus,
)
from wordofmouth.sales.service import counts_at, get_sale, recompute, require_open
from wordofmouth.settings import service as store_settings
from wordofmouth.webhooks import service as webhooks

# Bonuses first (they have a cap), then card and bank, cash last (cash may give change).
_ORDER = {PaymentMethod.BONUS: 0, PaymentMethod.SETOFF: 1, PaymentMethod.CARD: 1,
          PaymentMethod.BANK: 2, PaymentMethod.CASH: 3}
_OWN = {PaymentMethod.CASH, PaymentMethod.CARD, PaymentMethod.BANK, PaymentMethod.BONUS}


@dataclass(frozen=True)
class PaymentDraft:
    method: PaymentMethod
    amount: Decimal


def pay(session: Session, sale_id: int, payments: list[PaymentDraft], *,
        paid_at: datetime | None = None) -> Sale:
    """Add payments to an open sale; when they cover the due, the sale is paid and every
    accrual step runs in this same transaction."""
    return settle(session, get_sale(session, sale_id, lock=True), payments, paid_at=paid_at)


def settle(session: Session, sale: Sale, payments: list[PaymentDraft], *,
           paid_at: datetime | None = None) -> Sale:
    """Pay a sale the caller holds: loaded with its row lock, or created in this transaction
    (nobody else can see it yet)."""
    if sale.status != SaleStatus.OPEN and sale.paid_at is not None:
        raise SaleAlreadyPaid(gettext("{0} is already paid.").format(sale.number))
    require_open(sale)
    if not sale.lines:
        raise EmptySale()
    if not payments:
        raise InvalidInput(gettext("Give at least one payment."))
    _still_priced_right(session, sale)
    settings = store_settings.get(session)
    at = paid_at or utcnow()
    for draft in sorted(payments, key=lambda p: _ORDER[p.method]):
        _apply(session, sale, draft, settings.bonus_share_percent, at)
    if sale.paid_total == sale.net_total:
        complete(session, sale, paid_at=paid_at)
    session.flush()
    return sale


def _still_priced_right(session: Session, sale: Sale) -> None:
    """A code held by the sale may have stopped applying since it was scanned (the friend
    was referred by another sale meanwhile, the code expired): the sale is priced again and
    the payment refused if the total moved, so no discount is given that no code backs."""
    if not sale.presented_codes:
        return
    before = sale.net_total
    recompute(session, sale)
    if sale.net_total != before:
        raise SaleRepriced(gettext("{0}: a promo code on it no longer applies; the sale now "
                                   "comes to {1} (was {2}). Take the payment again.")
                           .format(sale.number, sale.net_total, before),
                           sale_id=sale.id)


def _apply(session: Session, sale: Sale, draft: PaymentDraft, share: Decimal,
           at: datetime) -> None:
    if draft.amount <= 0:
        raise InvalidInput(gettext("A payment must be more than zero."))
    due = sale.due
    if draft.method == PaymentMethod.CASH:
        applied = min(draft.amount, due)  # cash may be more than due: the rest is change
    elif draft.amount > due:
        raise PaymentExceedsDue(gettext("{0} payment {1} is more than the {2} due.")
                                .format(draft.method.value.capitalize(), draft.amount, due))
    else:
        applied = draft.amount
    if applied <= 0:
        raise PaymentExceedsDue(gettext("{0} has nothing left to pay.").format(sale.number))
    if draft.method == PaymentMethod.BONUS:
        _check_bonus_limit(session, sale, applied, share)
    handler = EXTENSIONS.payment_handlers.get(draft.method)
    if draft.method not in _OWN and handler is None:
        raise InvalidInput(gettext("Payment by {0} is not taken here.").format(draft.method))
    payment = Payment(method=draft.method, amount=applied, tendered=draft.amount, created_at=at)
    sale.payments.append(payment)
    if draft.method == PaymentMethod.BONUS:
        assert sale.customer_id is not None
        session.flush()  # the payment's id names the movement
        # The conditional update inside post() is what stops two tills spending the same
        # bonus at once: the balance read by the limit check is only for the message.
        operations.spend_bonus(session, customer_id=sale.customer_id, payment_id=payment.id,
                               sale_id=sale.id, amount=payment.amount, at=at)
    elif handler is not None:
        session.flush()
        handler.take(session, sale, payment)
    sale.paid_total += applied


def bonus_limit(session: Session, sale: Sale, share: Decimal | None = None
                ) -> tuple[Decimal, Decimal]:
    """(the most bonuses can still pay of this receipt, the customer's spendable balance)."""
    if sale.customer_id is None:
        raise BonusNeedsCustomer()
    if share is None:
        share = store_settings.get(session).bonus_share_percent
    balance = spendable(ledger.balance(session, AccountKind.CUSTOMER_BONUS, sale.customer_id))
    return rules.bonus_payment_limit(sale.net_total, share, sale.paid_with(PaymentMethod.BONUS),
                                     balance, sale.due), balance


def _check_bonus_limit(session: Session, sale: Sale, amount: Decimal, share: Decimal) -> None:
    limit, balance = bonus_limit(session, sale, share)
    if amount > limit:
        raise BonusShareExceeded(
            gettext("Bonuses can pay at most {0} of this receipt (balance {1}, share {2:f} "
                    "%).").format(limit, balance, share.normalize())
        )


def complete(session: Session, sale: Sale, *, paid_at: datetime | None = None) -> None:
    """Mark the sale paid and run the accrual steps, in order."""
    sale.status = SaleStatus.PAID
    sale.paid_at = paid_at or counts_at(sale)
    tz = store_settings.zone(session)
    sale.paid_day = day_of(sale.paid_at, tz)
    sale.recorded_day = max(sale.paid_day, day_of(utcnow(), tz))
    for step in EXTENSIONS.accrual_steps:
        step.accrue(session, sale)
    if sale.channel != "import":  # a store's past, brought in, is not news to anyone
        webhooks.emit(session, "sale.paid", {
            "sale_id": sale.id, "kind": sale.kind, "customer_id": sale.customer_id,
            "channel": sale.channel, "paid_at": sale.paid_at.isoformat(),
            "gross_total": str(sale.gross_total), "discount_total": str(sale.discount_total),
            "net_total": str(sale.net_total),
            "payments": [{"method": p.method, "amount": str(p.amount)} for p in sale.payments]})


def refund_payments_of_void(session: Session, sale: Sale) -> None:
    """A voided sale gives back bonuses already spent on it (and what another capability's
    payment method took)."""
    for payment in sale.payments:
        handler = EXTENSIONS.payment_handlers.get(payment.method)
        if payment.method == PaymentMethod.BONUS and sale.customer_id is not None:
            operations.refund_bonus_of_void(session, customer_id=sale.customer_id,
                                            sale_id=sale.id, payment_id=payment.id,
                                            amount=payment.amount)
        elif handler is not None:
            handler.give_back(session, sale, payment.amount, source_type="payment",
                              source_id=payment.id)


def void_sale(session: Session, sale_id: int, *, actor: str) -> Sale:
    """Cancel an open sale: whatever it held (bonuses spent on it, codes) is released."""
    sale = get_sale(session, sale_id, lock=True)
    if sale.status in PAID_STATUSES:
        raise PaidSaleCannotBeVoided(gettext("{0} is paid; make a return instead.")
                                     .format(sale.number))
    require_open(sale)
    refund_payments_of_void(session, sale)
    for step in EXTENSIONS.accrual_steps:
        step.on_void(session, sale)
    sale.status = SaleStatus.VOIDED
    sale.voided_at = utcnow()
    audit.record(session, actor=actor, action="sale.void", target_type="sale",
                 target_id=sale.id, net_total=str(sale.net_total),
                 paid=str(sale.paid_total))
    session.flush()
    return sale


def total_paid(sale: Sale) -> Decimal:
    return sum((p.amount for p in sale.payments), ZERO)


def pay_invoice(session: Session, sale_id: int, drafts: list[PaymentDraft]) -> Sale:
    """Pay an invoice issued earlier (in full or in part)."""
    if get_sale(session, sale_id).kind != SaleKind.INVOICE:
        raise InvoiceNotFound(gettext("Sale {0} is not an invoice.").format(sale_id))
    return pay(session, sale_id, drafts)
