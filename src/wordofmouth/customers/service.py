"""Customers and discount cards."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.elements import ColumnElement

from wordofmouth import rows
from wordofmouth.audit import service as audit
from wordofmouth.customers import rules
from wordofmouth.customers.errors import CardInactive, CardNotFound, CustomerNotFound
from wordofmouth.customers.models import Customer, DiscountCard
from wordofmouth.errors import InvalidInput
from wordofmouth.i18n import gettext
from wordofmouth.ledger import service as ledger
from wordofmouth.ledger.models import AccountKind
from wordofmouth.scancodes import service as scancodes
from wordofmouth.scancodes.rules import random_instore_ean13
from wordofmouth.settings import service as store_settings

CARD_PREFIX = "21"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _clean_contacts(session: Session, phone: str | None,
                    email: str | None) -> tuple[str | None, str | None]:
    """The phone in E.164 (typed without a country code: the store's country) and the
    e-mail in lower case; either may be empty."""
    phone = (phone or "").strip() or None
    email = (email or "").strip().lower() or None
    if phone:
        try:
            phone = rules.phone_e164(phone, store_settings.get(session).country)
        except ValueError:
            raise InvalidInput(gettext("'{0}' is not a phone number.").format(phone),
                               field="phone") from None
    if email and not _EMAIL.match(email):
        raise InvalidInput(gettext("'{0}' is not an e-mail address.").format(email),
                           field="email")
    return phone, email


def find_customer(session: Session, customer_id: int) -> Customer | None:
    return session.get(Customer, customer_id)


def get_customer(session: Session, customer_id: int) -> Customer:
    return rows.one(session, Customer, customer_id, CustomerNotFound,
                          gettext("Customer {0} does not exist.").format(customer_id),
                          options=[selectinload(Customer.cards)])


def create_customer(session: Session, *, first_name: str, last_name: str = "",
                    phone: str | None = None, email: str | None = None,
                    consent_email: bool = False, consent_sms: bool = False,
                    consent_viber: bool = False, note: str = "") -> Customer:
    """Register a customer (a card is issued separately)."""
    if not first_name.strip():
        raise InvalidInput(gettext("A customer needs a first name."))
    phone, email = _clean_contacts(session, phone, email)
    customer = Customer(first_name=first_name.strip(), last_name=last_name.strip(), phone=phone,
                        email=email, consent_email=consent_email, consent_sms=consent_sms,
                        consent_viber=consent_viber, note=note)
    session.add(customer)
    session.flush()
    return customer


def update_customer(session: Session, customer_id: int, **fields: object) -> Customer:
    customer = get_customer(session, customer_id)
    phone, email = _clean_contacts(
        session, str(fields.get("phone") or "") or None, str(fields.get("email") or "") or None
    )
    if not str(fields.get("first_name", customer.first_name)).strip():
        raise InvalidInput(gettext("A customer needs a first name."))
    for name in ("first_name", "last_name", "note", "consent_email", "consent_sms",
                 "consent_viber"):
        if name in fields:
            value = fields[name]
            setattr(customer, name, value.strip() if isinstance(value, str) else value)
    customer.phone, customer.email = phone, email
    session.flush()
    return customer


def _check_percent(label: str, value: Decimal) -> None:
    if not Decimal(0) <= value <= Decimal(100):
        raise InvalidInput(gettext("{0} must be between 0 and 100.").format(label))


def issue_card(session: Session, customer_id: int, *, number: str | None = None,
               discount_percent: Decimal = Decimal("0"),
               bonus_percent: Decimal = Decimal("0"), main: bool = True) -> DiscountCard:
    """Issue a discount card; a new main card demotes the previous one."""
    customer = get_customer(session, customer_id)
    _check_percent("Discount", discount_percent)
    _check_percent("Bonus", bonus_percent)
    if number is not None:
        number = number.strip()
        if not re.fullmatch(r"[0-9A-Za-z-]{4,32}", number):
            raise InvalidInput(gettext("A card number is 4–32 letters, digits or '-'."))
    candidate = number or _free_card_number(session)
    taken = scancodes.resolve(session, candidate)
    if taken is not None:
        raise scancodes.CodeTaken(gettext("Number {0} is already used by a {1}.")
                                  .format(candidate, taken.kind.replace('_', ' ')))
    if main:
        for other in customer.cards:
            other.is_main = False
    card = DiscountCard(number=candidate, customer_id=customer.id,
                        discount_percent=discount_percent, bonus_percent=bonus_percent,
                        is_main=main, active=True)
    session.add(card)
    session.flush()
    scancodes.register(session, candidate, "card", card.id)
    session.expire(customer, ["cards"])
    return card


def _free_card_number(session: Session) -> str:
    while True:
        candidate = random_instore_ean13(CARD_PREFIX)
        if scancodes.resolve(session, candidate) is None:
            return candidate


def update_card(session: Session, card_id: int, *, discount_percent: Decimal,
                bonus_percent: Decimal, active: bool) -> DiscountCard:
    card = get_card(session, card_id)
    _check_percent("Discount", discount_percent)
    _check_percent("Bonus", bonus_percent)
    card.discount_percent, card.bonus_percent, card.active = (
        discount_percent, bonus_percent, active)
    session.flush()
    return card


def set_personal_discount(session: Session, customer_ids: Iterable[int], percent: Decimal, *,
                          actor: str) -> tuple[int, int]:
    """A personal discount % on the main active card of each customer (seeds 000, 001:
    "assign individual discounts"), in one UPDATE; audited once. Returns (cards changed,
    customers without a card)."""
    _check_percent(gettext("Discount"), percent)
    if percent != percent.quantize(Decimal("0.01")):
        raise InvalidInput(gettext("A discount has at most two decimals."))
    ids = sorted(set(customer_ids))
    if not ids:
        raise InvalidInput(gettext("Choose at least one customer."))
    with_card = set(session.scalars(select(DiscountCard.customer_id).where(
        DiscountCard.customer_id.in_(ids), DiscountCard.is_main.is_(True),
        DiscountCard.active.is_(True))))
    session.execute(update(DiscountCard).where(
        DiscountCard.customer_id.in_(ids), DiscountCard.is_main.is_(True),
        DiscountCard.active.is_(True)).values(discount_percent=percent)
        .execution_options(synchronize_session=False))
    session.expire_all()
    audit.record(session, actor=actor, action="customers.discount", target_type="customers",
                 target_id=len(with_card), discount=str(percent),
                 customers=ids[:1000], without_card=len(ids) - len(with_card))
    return len(with_card), len(ids) - len(with_card)


def get_card(session: Session, card_id: int) -> DiscountCard:
    return rows.one(session, DiscountCard, card_id, CardNotFound,
                          gettext("Discount card {0} does not exist.").format(card_id))


def card_by_number(session: Session, number: str, *, active_only: bool = True) -> DiscountCard:
    card = session.scalars(
        select(DiscountCard).where(DiscountCard.number == number.strip())
    ).one_or_none()
    if card is None:
        raise CardNotFound(gettext("No discount card {0}.").format(number))
    if active_only and not card.active:
        raise CardInactive(gettext("Card {0} is blocked.").format(number))
    return card


def search(session: Session, *, query: str = "", limit: int = 50,
           offset: int = 0) -> list[Customer]:
    stmt = (select(Customer).options(selectinload(Customer.cards))
            .order_by(Customer.sort_key, Customer.id)
            .limit(limit).offset(offset))
    if query.strip():
        stmt = stmt.where(matching(query))
    return list(session.scalars(stmt))


def matching(query: str) -> ColumnElement[bool]:
    """Customers a search finds: every word in the name, e-mail or phone — or the card
    number exactly."""
    q = query.strip()
    card_owner = select(DiscountCard.customer_id).where(DiscountCard.number == q)
    words = [Customer.search_text.like(p, escape="\\") for p in rules.query_patterns(q)]
    return or_(and_(*words), Customer.id.in_(card_owner))


def bonus_balance(session: Session, customer_id: int) -> Decimal:
    return ledger.balance(session, AccountKind.CUSTOMER_BONUS, customer_id)


def names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    """Customers' full names by id, in one query (what a list of sales shows)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(Customer.id, Customer.first_name, Customer.last_name)
                           .where(Customer.id.in_(wanted)))
    return {cid: f"{first} {last}".strip() for cid, first, last in rows}


def ids_with_phone(session: Session, phone: str, *, limit: int = 50) -> list[int]:
    """The customers with this phone (E.164), for checks such as self-referral."""
    return list(session.scalars(select(Customer.id).where(Customer.phone == phone)
                                .order_by(Customer.id).limit(limit)))


def count(session: Session) -> int:
    """How many customers the store has."""
    return session.scalar(select(func.count(Customer.id))) or 0


def withdraw_consent(session: Session, customer_id: int, channel: str) -> bool:
    """The customer no longer agrees to messages by `channel` (email, sms, viber); whether
    they had agreed until now."""
    customer = session.get(Customer, customer_id)
    if customer is None or not getattr(customer, f"consent_{channel}"):
        return False
    setattr(customer, f"consent_{channel}", False)
    return True
