"""Test data built through the real services, so codes, cards and the ledger stay consistent."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypeVar

import factory
from sqlalchemy.orm import Session

from wordofmouth.auth import service as auth
from wordofmouth.auth.models import User
from wordofmouth.catalog import service as catalog
from wordofmouth.catalog.models import Product, ProductGroup
from wordofmouth.customers import service as customers
from wordofmouth.customers.models import Customer, DiscountCard
from wordofmouth.scancodes.rules import ean13_check_digit

T = TypeVar("T")
_session: Session | None = None


def bind(session: Session) -> None:
    global _session
    _session = session


def session() -> Session:
    assert _session is not None, "the db fixture binds a session"
    return _session


class _ServiceFactory(factory.Factory[T]):
    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Any:
        return cls.build_with_service(session(), **kwargs)

    @classmethod
    def build_with_service(cls, db: Session, **kwargs: Any) -> Any:
        raise NotImplementedError


class GroupFactory(_ServiceFactory[ProductGroup]):
    class Meta:
        model = ProductGroup

    name = factory.Sequence(lambda n: f"Group {n}")
    parent_id = None

    @classmethod
    def build_with_service(cls, db: Session, **kwargs: Any) -> ProductGroup:
        return catalog.create_group(db, **kwargs)


def _barcode(n: int) -> str:
    body = f"4829{n:08d}"
    return body + ean13_check_digit(body)


class ProductFactory(_ServiceFactory[Product]):
    class Meta:
        model = Product

    sku = factory.Sequence(lambda n: f"T-{n:05d}")
    name = factory.Sequence(lambda n: f"Product {n}")
    group_id = factory.LazyFunction(lambda: GroupFactory.create().id)
    price = Decimal("100.00")
    cost_price = Decimal("60.00")
    barcode = factory.Sequence(_barcode)

    @classmethod
    def build_with_service(cls, db: Session, **kwargs: Any) -> Product:
        return catalog.create_product(db, **kwargs)


class CustomerFactory(_ServiceFactory[Customer]):
    class Meta:
        model = Customer

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"buyer{n}@example.com")
    consent_email = True

    @classmethod
    def build_with_service(cls, db: Session, **kwargs: Any) -> Customer:
        return customers.create_customer(db, **kwargs)


class CardFactory(_ServiceFactory[DiscountCard]):
    class Meta:
        model = DiscountCard

    customer_id = factory.LazyFunction(lambda: CustomerFactory.create().id)
    discount_percent = Decimal("0")
    bonus_percent = Decimal("0")

    @classmethod
    def build_with_service(cls, db: Session, **kwargs: Any) -> DiscountCard:
        customer_id = kwargs.pop("customer_id")
        return customers.issue_card(db, customer_id, **kwargs)


class UserFactory(_ServiceFactory[User]):
    class Meta:
        model = User

    login = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"User {n}")
    role = "cashier"
    password = "correct-horse-1"

    @classmethod
    def build_with_service(cls, db: Session, **kwargs: Any) -> User:
        return auth.create_user(db, **kwargs)
