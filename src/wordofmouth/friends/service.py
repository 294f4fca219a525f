"""Refer a Friend use cases: campaigns, issuing codes, holding and using them at the till."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from wordofmouth import i18n, rows
from wordofmouth.calendar import date_of
from wordofmouth.catalog import service as catalog
from wordofmouth.customers import service as customers
from wordofmouth.customers.rules import masked_name
from wordofmouth.errors import InvalidInput
from wordofmouth.friends import errors, repository, rules
from wordofmouth.friends.models import CodeStatus, FriendCampaign, FriendCode, FriendReferral
from wordofmouth.friends.rules import BonusRule
from wordofmouth.i18n import gettext
from wordofmouth.money import ZERO
from wordofmouth.sales import service as sales
from wordofmouth.scancodes import service as scancodes
from wordofmouth.scancodes.rules import random_instore_ean13
from wordofmouth.settings import service as store_settings
from wordofmouth.webhooks import service as webhooks

if TYPE_CHECKING:  # another capability's tables, named in type hints only
    from wordofmouth.customers.models import Customer
    from wordofmouth.sales.models import Sale, SaleLine

CODE_PREFIX = "29"
KIND = "friend_code"


# ---- campaigns --------------------------------------------------------------------------

def _check_campaign(values: dict[str, Any]) -> None:
    if not str(values.get("name", "")).strip():
        raise InvalidInput(gettext("A campaign needs a name."))
    if not 1 <= int(values["validity_days"]) <= 3660:
        raise InvalidInput(gettext("Validity is 1–3660 days."))
    if not Decimal(0) < values["friend_discount_percent"] <= Decimal(100):
        raise InvalidInput(gettext("The friend's discount must be more than 0 and at most "
                                   "100 %."))
    rule = values["bonus_rule"]
    if rule not in {r.value for r in BonusRule}:
        raise InvalidInput(gettext("Unknown bonus rule '{0}'.").format(rule))
    if rule == BonusRule.FIXED and values.get("bonus_amount", ZERO) <= 0:
        raise InvalidInput(gettext("A fixed bonus needs an amount above zero."))
    if rule != BonusRule.FIXED and not Decimal(0) < values.get("bonus_percent", ZERO) <= 100:
        raise InvalidInput(gettext("A percentage bonus needs a percentage above 0 and at "
                                   "most 100."))
    if rule == BonusRule.PERCENT_MAX and not values.get("bonus_max"):
        raise InvalidInput(gettext("A percentage with a maximum needs the maximum."))
    for name in ("bonus_amount", "bonus_max", "min_purchase"):
        value = values.get(name)
        if value is not None and value < 0:
            raise InvalidInput(gettext("{0} cannot be negative.")
                               .format(name.replace('_', ' ').capitalize()))


def create_campaign(session: Session, **values: Any) -> FriendCampaign:
    """A campaign: start (issue) date, validity, friend's discount, bonus rule, minimum,
    product group, active."""
    values.setdefault("start_day", store_settings.today(session))
    values.setdefault("bonus_amount", ZERO)
    values.setdefault("bonus_percent", ZERO)
    _check_campaign(values)
    if values.get("group_id") is not None:
        catalog.get_group(session, values["group_id"])
    campaign = FriendCampaign(**values)
    session.add(campaign)
    session.flush()
    return campaign


def update_campaign(session: Session, campaign_id: int, **values: Any) -> FriendCampaign:
    campaign = get_campaign(session, campaign_id)
    merged = {c: getattr(campaign, c) for c in (
        "name", "start_day", "validity_days", "friend_discount_percent", "bonus_rule",
        "bonus_amount", "bonus_percent", "bonus_max", "min_purchase", "group_id", "active")}
    merged.update(values)
    _check_campaign(merged)
    if merged.get("group_id") is not None:
        catalog.get_group(session, merged["group_id"])
    for key, value in merged.items():
        setattr(campaign, key, value)
    session.flush()
    return campaign


def get_campaign(session: Session, campaign_id: int) -> FriendCampaign:
    return rows.one(session, FriendCampaign, campaign_id, errors.CampaignNotFound,
                          gettext("Campaign {0} does not exist.").format(campaign_id))


def campaign_named(session: Session, name: str) -> FriendCampaign:
    """The one campaign called `name` (as the back office shows it)."""
    found = list(session.scalars(select(FriendCampaign).where(
        FriendCampaign.name == name.strip()).limit(2)))
    if not found:
        raise errors.CampaignNotFound(
            gettext("There is no Refer a Friend campaign named “{0}”.").format(name))
    if len(found) > 1:
        raise InvalidInput(gettext("Several campaigns are named “{0}”: rename one of them "
                                   "first.").format(name))
    return found[0]


def terms(c: FriendCampaign) -> rules.CampaignTerms:
    return rules.CampaignTerms(
        start_day=c.start_day, validity_days=c.validity_days,
        friend_discount_percent=c.friend_discount_percent, bonus_rule=BonusRule(c.bonus_rule),
        bonus_amount=c.bonus_amount, bonus_percent=c.bonus_percent, bonus_max=c.bonus_max,
        min_purchase=c.min_purchase)


# ---- issuing codes ----------------------------------------------------------------------

MAX_CODES = 100


def check_issuing(session: Session, *, customer_id: int,
                  campaign_id: int) -> tuple[Customer, FriendCampaign]:
    """The holder and the campaign of new codes: a holder with a card, a campaign on."""
    customer = customers.get_customer(session, customer_id)
    if customer.main_card is None:
        raise errors.NeedsMainCard()
    campaign = get_campaign(session, campaign_id)
    if not campaign.active:
        raise errors.CampaignInactive()
    return customer, campaign


def issue_codes(session: Session, *, customer_id: int, campaign_id: int, count: int,
                actor: str) -> list[FriendCode]:
    """N (1–100) one-time codes for a customer to hand to friends: scannable in-store EAN-13
    numbers that no card, product or other code uses."""
    if not 1 <= count <= MAX_CODES:
        raise InvalidInput(gettext("Issue 1–{0} codes at a time.").format(MAX_CODES))
    customer, campaign = check_issuing(session, customer_id=customer_id,
                                       campaign_id=campaign_id)
    batch = secrets.token_hex(8)
    issued: list[FriendCode] = []
    while len(issued) < count:
        wanted = {random_instore_ean13(CODE_PREFIX) for _ in range(count - len(issued))}
        for code in sorted(wanted - scancodes.taken(session, sorted(wanted))):
            fc = FriendCode(code=code, campaign_id=campaign.id, referrer_id=customer.id,
                            batch=batch, issued_by=actor, status=CodeStatus.ISSUED)
            session.add(fc)
            session.flush()
            scancodes.register(session, code, KIND, fc.id)
            issued.append(fc)
    return issued


# ---- checking a code against a buyer and a basket ---------------------------------------

@dataclass(frozen=True)
class Basket:
    """What a code is checked against: the buyer and the lines (group, gross, net)."""

    customer_id: int | None
    day: int
    lines: list[tuple[int, int, Decimal, Decimal]]  # (line_no, group_id, gross, net)
    sale_id: int | None = None


@dataclass(frozen=True)
class Fit:
    code: FriendCode
    campaign: FriendCampaign
    qualifying: frozenset[int]  # line numbers
    qualifying_gross: Decimal
    qualifying_net: Decimal


def find(session: Session, code: str) -> FriendCode:
    fc = repository.by_code(session, code.strip())
    if fc is None:
        raise errors.FriendCodeUnknown(gettext("There is no friend code {0}.").format(code.strip()))
    return fc


def check(session: Session, fc: FriendCode, basket: Basket, *, basket_rules: bool = True,
          holding_sale: int | None = None) -> Fit:
    """Every rejection of PRODUCT.md, each with its own error; returns the qualifying lines."""
    if fc.status == CodeStatus.USED:
        raise errors.FriendCodeUsed(gettext("Friend code {0} has already been used.")
                                    .format(fc.code))
    if fc.status == CodeStatus.HELD and fc.held_sale_id != holding_sale:
        raise errors.FriendCodeHeld(gettext("Friend code {0} is on another open sale.")
                                    .format(fc.code))
    campaign = get_campaign(session, fc.campaign_id)
    if not campaign.active:
        raise errors.CampaignInactive(gettext("Campaign '{0}' is switched off.")
                                      .format(campaign.name))
    t = terms(campaign)
    if rules.is_expired(t, basket.day):
        raise errors.FriendCodeExpired(gettext("Friend code {0} was valid until {1}.")
                                       .format(fc.code, _date(rules.last_valid_day(t))))
    if basket.customer_id is not None:
        _check_buyer(session, fc, basket)
    qualifies = catalog.in_group(session, campaign.group_id)
    chosen = [ln for ln in basket.lines if qualifies(ln[1])]
    gross = sum((ln[2] for ln in chosen), ZERO)
    net = sum((ln[3] for ln in chosen), ZERO)
    if basket_rules and basket.lines:
        if not chosen:
            raise errors.NoQualifyingGoods()
        if rules.below_minimum(t, gross):
            raise errors.BelowMinimum(gettext("The campaign's goods come to {0}; the minimum "
                                              "is {1}.").format(gross, t.min_purchase))
    return Fit(fc, campaign, frozenset(ln[0] for ln in chosen), gross, net)


def _check_buyer(session: Session, fc: FriendCode, basket: Basket) -> None:
    buyer = basket.customer_id
    if buyer == fc.referrer_id:
        raise errors.OwnCode()
    if repository.is_referred(session, buyer):
        raise errors.AlreadyReferred()
    if buyer is not None and sales.has_paid_purchase(session, buyer, besides=basket.sale_id):
        raise errors.NotANewBuyer()


def _date(day: int) -> str:

    return date_of(day).isoformat()


def basket_of(session: Session, sale: Sale, *, day: int | None = None) -> Basket:
    return Basket(customer_id=sale.customer_id,
                  day=day if day is not None else sales.day_of_sale(session, sale),
                  lines=[(ln.line_no, ln.group_id, ln.gross, ln.net) for ln in sale.lines],
                  sale_id=sale.id)


def validate(session: Session, *, code: str, customer_id: int | None,
             lines: list[SaleLine], day: int | None = None) -> Fit:
    """Check a code against a basket without changing anything (the API's validate)."""
    fc = find(session, code)
    day = store_settings.today(session) if day is None else day
    basket = Basket(customer_id=customer_id, day=day,
                    lines=[(ln.line_no, ln.group_id, ln.gross, ln.gross) for ln in lines])
    if not lines:
        raise errors.NoQualifyingGoods()
    return check(session, fc, basket)


# ---- holding, using and releasing -------------------------------------------------------

def attach(session: Session, sale: Sale, code: str) -> str:
    """Put a friend code on an open sale. It is held for this sale, so no other till can use
    it until this sale is paid (used) or voided (released)."""
    fc = find(session, code)
    fit = check(session, fc, basket_of(session, sale), holding_sale=sale.id)
    held = session.execute(
        update(FriendCode)
        .where(FriendCode.id == fc.id,
               (FriendCode.status == CodeStatus.ISSUED)
               | ((FriendCode.status == CodeStatus.HELD) & (FriendCode.held_sale_id == sale.id)))
        .values(status=CodeStatus.HELD, held_sale_id=sale.id)
        .execution_options(synchronize_session=False)).rowcount  # type: ignore[attr-defined]
    if held != 1:  # another till took it between the check and now
        session.refresh(fc)
        raise (errors.FriendCodeUsed() if fc.status == CodeStatus.USED
               else errors.FriendCodeHeld())
    session.refresh(fc)
    if fc.code not in sale.presented_codes:
        sale.presented_codes = [*sale.presented_codes, fc.code]

    sales.recompute(session, sale)
    pct = f"{fit.campaign.friend_discount_percent.normalize():f} %"
    if not sale.lines:
        said = gettext("Friend code {0} held: {1} off the campaign's goods.").format(
            fc.code, pct)
    else:
        said = gettext("Friend code {0}: {1} off {2} line(s).").format(
            fc.code, pct, len(fit.qualifying))
    if sale.customer_id is None:
        said += " " + gettext("The friend becomes a customer when the sale is paid.")
    return said


def describe(session: Session, sale: Sale | None, code: str) -> str:
    """What the cashier confirms before a friend code applies: its discount, whose it is and
    what the referrer gets (PRODUCT.md: "the cashier confirms a code's use before it
    applies"). A code that cannot apply is refused here already, with its reason."""
    fc = find(session, code)
    basket = basket_of(session, sale) if sale is not None else Basket(
        customer_id=None, day=store_settings.today(session), lines=[], sale_id=None)
    fit = check(session, fc, basket, basket_rules=False,
                holding_sale=sale.id if sale is not None else None)
    referrer = customers.get_customer(session, fc.referrer_id)
    t = terms(fit.campaign)
    reward = (gettext("{0} bonuses").format(i18n.money(t.bonus_amount))
              if t.bonus_rule == BonusRule.FIXED
              else gettext("{0} of the friend's purchase").format(
                  f"{t.bonus_percent.normalize():f} %"))
    return gettext("Friend code {code} of {referrer} ({campaign}): {discount} off the "
                   "campaign's goods; {referrer} gets {reward} when the sale is paid. "
                   "Use it?").format(
        code=fc.code, referrer=masked_name(referrer.first_name, referrer.last_name),
        campaign=fit.campaign.name, reward=reward,
        discount=f"{fit.campaign.friend_discount_percent.normalize():f} %")


def register_friend(session: Session, sale: Sale, fit: Fit) -> int:
    """A friend who bought with a code and no card becomes a customer at payment, named
    after who sent them until the cashier or the friend says more; a card can be issued then
    or later (PRODUCT.md). Returns the new customer's id."""
    referrer = customers.get_customer(session, fit.code.referrer_id)
    with i18n.use(store_settings.get(session).language):
        name = gettext("Friend of {0}").format(
            masked_name(referrer.first_name, referrer.last_name))
        note = gettext("Came with friend code {0}.").format(fit.code.code)
    friend = customers.create_customer(session, first_name=name, note=note)
    sale.customer_id = friend.id
    return friend.id


def held_by(session: Session, sale: Sale) -> FriendCode | None:
    return repository.held_by(session, sale.presented_codes, sale.id)


def used_by(session: Session, sale: Sale) -> FriendCode | None:
    return repository.used_by(session, sale.presented_codes, sale.id)


def release(session: Session, sale: Sale) -> None:
    repository.release(session, sale.id)


campaigns = repository.campaigns
codes_of = repository.codes_of


def fit_for_sale(session: Session, sale: Sale) -> Fit | None:
    """The held code's fit for this sale as it stands, or None if it no longer applies."""
    fc = held_by(session, sale)
    if fc is None:  # a friend with no card yet still gets the discount (PRODUCT.md)
        return None
    try:
        return check(session, fc, basket_of(session, sale), holding_sale=sale.id)
    except (errors.NoQualifyingGoods, errors.BelowMinimum, errors.FriendCodeExpired,
            errors.CampaignInactive, errors.OwnCode, errors.NotANewBuyer,
            errors.AlreadyReferred):
        return None


def use(session: Session, sale: Sale, fit: Fit) -> Decimal:
    """Mark the code used exactly once (a conditional update), make the friend referred by
    the code's owner; returns the referrer's bonus."""
    if not repository.mark_used(session, fit.code.id, sale_id=sale.id,
                                friend_id=sale.customer_id, at=sale.paid_at,
                                purchase=fit.qualifying_net):
        raise errors.FriendCodeUsed()
    session.expire(fit.code)
    assert sale.customer_id is not None
    session.add(FriendReferral(friend_id=sale.customer_id, referrer_id=fit.code.referrer_id,
                               code_id=fit.code.id, sale_id=sale.id, at=sale.paid_at))
    bonus = rules.referrer_bonus(terms(fit.campaign), fit.qualifying_net)
    webhooks.emit(session, "friend_code.used", {
        "code": fit.code.code, "campaign_id": fit.campaign.id, "sale_id": sale.id,
        "referrer_id": fit.code.referrer_id, "friend_id": sale.customer_id,
        "qualifying_net": str(fit.qualifying_net), "referrer_bonus": str(bonus)})
    return bonus
