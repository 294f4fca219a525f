"""Finding people in any script, by any part of the name, by phone however it is typed,
and lists in Ukrainian alphabetical order — on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from wordofmouth.customers import service as customers
from wordofmouth.errors import InvalidInput


@pytest.fixture
def people(db: Session) -> dict[str, int]:
    rows = [("Богдан", "Аврамчук", "0679757631"), ("Тарас", "Пацієнт", "+380501234567"),
            ("Їжак", "Їжакевич", None), ("Ілля", "Ільченко", None), ("Ганна", "Ґудзь", None),
            ("Оксана", "Гнатюк", None), ("Євген", "Єременко", None), ("Йосип", "Йосипенко", None),
            ("Мар'яна", "Шевченко", "050 111 22 33"), ("Anna", "Abbott", None)]
    out = {}
    for first, last, phone in rows:
        out[last] = customers.create_customer(db, first_name=first, last_name=last,
                                              phone=phone).id
    return out


def _found(db: Session, query: str) -> list[str]:
    return [c.last_name for c in customers.search(db, query=query)]


def test_cyrillic_names_are_found_whatever_the_case(db: Session,
                                                   people: dict[str, int]) -> None:
    assert _found(db, "Богдан") == ["Аврамчук"]
    assert _found(db, "аврамчук") == ["Аврамчук"]
    assert _found(db, "АВРАМ") == ["Аврамчук"]
    assert _found(db, "Тарас Пацієнт") == ["Пацієнт"]  # the full name
    assert _found(db, "пацієнт тарас") == ["Пацієнт"]  # in either order
    assert _found(db, "мар’яна") == ["Шевченко"]  # any apostrophe


def test_a_phone_is_found_however_the_cashier_types_it(db: Session,
                                                      people: dict[str, int]) -> None:
    for typed in ("067 975 76 31", "0679757631", "+380679757631", "(067) 975-76-31", "9757631"):
        assert _found(db, typed) == ["Аврамчук"], typed
    for typed in ("0501234567", "+380 50 123 45 67", "380501234567"):
        assert _found(db, typed) == ["Пацієнт"], typed


def test_phones_are_stored_in_e164_with_the_store_country(db: Session,
                                                         people: dict[str, int]) -> None:
    assert customers.get_customer(db, people["Аврамчук"]).phone == "+380679757631"
    assert customers.get_customer(db, people["Шевченко"]).phone == "+380501112233"
    with pytest.raises(InvalidInput):
        customers.create_customer(db, first_name="Х", phone="12")


def test_customers_sort_in_ukrainian_alphabetical_order(db: Session,
                                                       people: dict[str, int]) -> None:
    assert _found(db, "") == ["Abbott", "Аврамчук", "Гнатюк", "Ґудзь", "Єременко", "Ільченко",
                              "Їжакевич", "Йосипенко", "Пацієнт", "Шевченко"]


def test_a_renamed_customer_is_found_by_the_new_name(db: Session,
                                                    people: dict[str, int]) -> None:
    customers.update_customer(db, people["Гнатюк"], first_name="Оксана", last_name="Коваль")
    assert _found(db, "коваль") == ["Коваль"]
    assert _found(db, "гнатюк") == []


def test_the_bulk_generator_writes_the_search_text_the_model_keeps() -> None:
    """demo/bulk.py writes rows without the ORM; its search column must match the model's."""
    import random
    from datetime import UTC, datetime

    from wordofmouth.customers import rules
    from wordofmouth.demo.bulk import _customer_row

    for cid in (1, 5, 987_654):
        row = _customer_row(cid, random.Random(cid), datetime.now(UTC))
        first, last, phone, email, search, key = row[1], row[2], row[3], row[4], row[10], row[11]
        assert search == rules.search_text(str(first), str(last), str(email), str(phone))
        assert key == rules.sort_key(str(last), str(first))
