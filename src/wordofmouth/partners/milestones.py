"""Milestone rewards: a fixed amount each time a partner's count of new customers whose first
purchase reached a minimum becomes a multiple of N (N = 1 is a bounty per customer)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import update
from sqlalchemy.orm import Session

from wordofmouth.audit import service as audit
from wordofmouth.errors import InvalidInput
from wordofmouth.i18n import gettext
from wordofmouth.ledger import operations
from wordofmouth.money import ZERO
from wordofmouth.partners import rules
from wordofmouth.partners.models import CommissionTerms, MilestoneCustomer
from wordofmouth.partners.service import get_partner
from wordofmouth.sales import service as sales

if TYPE_CHECKING:  # another capability's tables, named in type hints only
    from wordofmouth.sales.models import Sale

KIND = "milestone_reward"


def set_milestone(session: Session, partner_id: int, *, every: int | None, minimum: Decimal,
                  amount: Decimal, actor: str) -> CommissionTerms:
    """Set (or, with `every` empty, switch off) the partner's milestone reward. The count of
    customers already counted carries on."""
    get_partner(session, partner_id)
    if every is not None and not 1 <= every <= 100_000:
        raise InvalidInput(gettext("A milestone is every 1–100 000 new customers."))
    for value, what in ((minimum, "The minimum first purchase"), (amount, "The reward")):
        if value < 0 or value != value.quantize(Decimal("0.01")):
            raise InvalidInput(gettext("{0} is an amount of 0 or more with at most two "
                                       "decimals.").format(what))
    if every is not None and amount == ZERO:
        raise InvalidInput(gettext("A milestone reward needs an amount above 0."))
    terms = session.get(CommissionTerms, partner_id) or CommissionTerms(
        partner_id=partner_id, default_rate=ZERO, milestone_count=0)
    terms.milestone_every = every
    terms.milestone_minimum, terms.milestone_amount = minimum, amount
    session.add(terms)
    audit.record(session, actor=actor, action="partner.milestone", target_type="partner",
                 target_id=partner_id, every=every, minimum=str(minimum), amount=str(amount))
    session.flush()
    return terms


def _first_purchase(session: Session, sale: Sale) -> bool:
    return sale.customer_id is not None and not sales.has_paid_purchase(
        session, sale.customer_id, besides=sale.id)


def count_first_purchase(session: Session, sale: Sale,
                         partner_id: int) -> MilestoneCustomer | None:
    """Count the sale's customer towards the partner's milestones if this is the customer's
    first purchase and it reaches the minimum; post the reward when a milestone is reached.
    The per-partner counter moves in one UPDATE, so two tills cannot share a number."""
    if sale.customer_id is None:
        return None
    terms = session.get(CommissionTerms, partner_id)
    if terms is None or not terms.milestone_every or sale.net_total < terms.milestone_minimum:
        return None
    if session.get(MilestoneCustomer, sale.customer_id) is not None \
            or not _first_purchase(session, sale):
        return None
    number = session.execute(
        update(CommissionTerms).where(CommissionTerms.partner_id == partner_id)
        .values(milestone_count=CommissionTerms.milestone_count + 1)
        .returning(CommissionTerms.milestone_count)
        .execution_options(synchronize_session=False)).scalar_one()
    session.expire(terms, ["milestone_count"])
    reward = terms.milestone_amount * rules.milestones(number - 1, number, terms.milestone_every)
    counted = MilestoneCustomer(customer_id=sale.customer_id, partner_id=partner_id,
                                sale_id=sale.id, number=number, rewarded=reward)
    session.add(counted)
    operations.reward_milestone(session, partner_id=partner_id, sale_id=sale.id, number=number,
                                amount=reward, kind=KIND, at=sale.paid_at)
    return counted
