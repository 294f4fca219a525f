"""What a message says to one customer: the placeholder values, read set-wise for a batch of
customers (name, card, discount, bonus balance, club status, deadline and amount left,
unused friend codes, the partner and employee who brought them); and a
mailing's messages with the names of their customers. A read model over the customers',
club's, friends' and ledger's tables, for mailings and their pages."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from wordofmouth import i18n
from wordofmouth.calendar import date_of
from wordofmouth.club.models import ClubMembership
from wordofmouth.customers.models import Customer, DiscountCard
from wordofmouth.friends.models import CodeStatus, FriendCode
from wordofmouth.i18n import N_, gettext
from wordofmouth.ledger.models import AccountKind, LedgerAccount
from wordofmouth.mailing.models import Message
from wordofmouth.partners.models import CustomerLink, Partner, PartnerEmployee
from wordofmouth.settings import service as store_settings

CLUB_WORDS = {"member": N_("club member"), "candidate_join": N_("candidate to join the club"),
              "candidate_extend": N_("club member (to be extended)"),
              "candidate_exclude": N_("club member (to be reviewed)"),
              "regular": N_("regular customer")}


@dataclass(frozen=True)
class Person:
    customer: Customer
    values: dict[str, object]


def people(session: Session, ids: Sequence[int]) -> list[Person]:
    """The customers with their placeholder values, in the order of `ids`, written in the
    language the store's customers receive ('учасник клубу', '1 250,00')."""
    if not ids:
        return []
    found = {c.id: c for c in session.scalars(select(Customer).where(Customer.id.in_(ids)))}
    cards = {cid: (number, discount) for cid, number, discount in session.execute(
        select(DiscountCard.customer_id, DiscountCard.number, DiscountCard.discount_percent)
        .where(DiscountCard.customer_id.in_(ids), DiscountCard.is_main.is_(True),
               DiscountCard.active.is_(True)))}
    bonus = dict(session.execute(select(LedgerAccount.owner_id, LedgerAccount.balance).where(
        LedgerAccount.kind == AccountKind.CUSTOMER_BONUS, LedgerAccount.owner_id.in_(ids))).all())
    club = {cid: Club(status, end, left) for cid, status, end, left in session.execute(
        select(ClubMembership.customer_id, ClubMembership.status, ClubMembership.period_end_day,
               ClubMembership.required_amount - ClubMembership.reached_amount)
        .where(ClubMembership.customer_id.in_(ids)))}
    brought = {cid: (partner, employee or "") for cid, partner, employee in session.execute(
        select(CustomerLink.customer_id, Partner.name, PartnerEmployee.name)
        .join(Partner, Partner.id == CustomerLink.partner_id)
        .outerjoin(PartnerEmployee, PartnerEmployee.id == CustomerLink.employee_id)
        .where(CustomerLink.customer_id.in_(ids)))}
    codes: dict[int, list[str]] = defaultdict(list)
    for referrer, code in session.execute(
            select(FriendCode.referrer_id, FriendCode.code)
            .where(FriendCode.referrer_id.in_(ids), FriendCode.status == CodeStatus.ISSUED)
            .order_by(FriendCode.id)):
        codes[referrer].append(code)
    store = store_settings.get(session)
    with i18n.use(store.language):
        return _values(ids, found, cards, bonus, club, codes, brought, store.store_name)


@dataclass(frozen=True)
class Club:
    status: str
    period_end_day: int | None
    left: Decimal | None  # required − reached in the running period


def _club_values(m: Club | None) -> dict[str, object]:
    """{club_status}, and {club_deadline} / {club_amount_left} of a running period (to join
    or to stay), empty without one."""
    status = gettext(CLUB_WORDS.get(m.status if m else "regular", CLUB_WORDS["regular"]))
    if m is None or m.period_end_day is None or m.left is None:
        return {"club_status": status, "club_deadline": "", "club_amount_left": ""}
    return {"club_status": status, "club_deadline": i18n.day(date_of(m.period_end_day)),
            "club_amount_left": i18n.money(max(m.left, Decimal("0.00")))}


def _values(ids: Sequence[int], found: dict[int, Customer],
            cards: dict[int, tuple[str, Decimal]], bonus: dict[int, Decimal],
            club: dict[int, Club], codes: dict[int, list[str]],
            brought: dict[int, tuple[str, str]], store: str) -> list[Person]:
    out = []
    for cid in ids:
        c = found.get(cid)
        if c is None:
            continue
        number, discount = cards.get(cid, ("", Decimal("0")))
        partner, employee = brought.get(cid, ("", ""))
        out.append(Person(c, {
            "first_name": c.first_name, "last_name": c.last_name, "full_name": c.full_name,
            "card": number, "discount": f"{i18n.number(discount.normalize())} %",
            "bonus_balance": i18n.money(bonus.get(cid, Decimal("0.00"))),
            **_club_values(club.get(cid)), "partner": partner, "employee": employee,
            "codes": ", ".join(codes.get(cid, [])[:10]), "store_name": store}))
    return out


def messages(session: Session, mailing_id: int, *, status: str | None = None,
             limit: int = 100, offset: int = 0) -> list[tuple[Message, str]]:
    """A mailing's messages with the names of whom they go to (a customer or a partner),
    for its page."""
    stmt = (select(Message, Customer.first_name + " " + Customer.last_name, Partner.name)
            .outerjoin(Customer, Customer.id == Message.customer_id)
            .outerjoin(Partner, Partner.id == Message.partner_id)
            .where(Message.mailing_id == mailing_id).order_by(Message.id)
            .limit(limit).offset(offset))
    if status:
        stmt = stmt.where(Message.status == status)
    return [(m, customer or partner or "") for m, customer, partner in session.execute(stmt)]
