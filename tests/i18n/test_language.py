"""The reader's language: Accept-Language for anyone, a user's own choice once logged in;
the API keeps its codes and speaks the request's language in `detail`; plural forms."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.conftest import make_token
from tests.factories import UserFactory
from wordofmouth import i18n
from wordofmouth.auth.models import User
from wordofmouth.i18n import catalogs


def test_every_message_has_its_ukrainian_translation() -> None:
    """`wom messages update` adds new messages; this fails until they are translated."""
    assert catalogs.missing("uk") == []


def test_plural_forms_follow_ukrainian_grammar() -> None:
    with i18n.use("uk"):
        said = [f'{n} {i18n.ngettext("customer", "customers", n)}' for n in (1, 2, 5, 21)]
    assert said == ["1 клієнт", "2 клієнти", "5 клієнтів", "21 клієнт"]


def test_anonymous_pages_follow_accept_language(client: TestClient) -> None:
    uk = client.get("/login", headers={"Accept-Language": "uk-UA,uk;q=0.9,en;q=0.5"})
    assert "Увійти" in uk.text and '<html lang="uk">' in uk.text
    assert uk.headers["content-language"] == "uk"
    en = client.get("/login", headers={"Accept-Language": "en-GB"})
    assert "Log in" in en.text and "Увійти" not in en.text
    assert "Увійти" in client.get("/login", headers={"Accept-Language": "de"}).text


def test_a_user_chooses_their_language_and_keeps_it_at_the_next_login(
        client: TestClient, db: Session) -> None:
    UserFactory.create(login="olena", name="Олена Бондар", role="owner",
                       password="owner-password-1")

    def log_in() -> str:
        page = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token is not None
        client.post("/login", data={"login": "olena", "password": "owner-password-1",
                                    "csrf_token": token.group(1)})
        found = re.search(r'data-csrf="([^"]+)"', client.get("/customers").text)
        assert found is not None
        return found.group(1)

    csrf = log_in()
    home = client.get("/")
    assert "Sales today" in home.text and "Олена Бондар · owner" in home.text
    r = client.post("/language", data={"csrf_token": csrf, "language": "uk", "next": "/"})
    assert "Продажі сьогодні" in r.text and "Олена Бондар · власник" in r.text
    user = db.query(User).filter_by(login="olena").one()
    assert user.language == "uk"
    client.cookies.clear()  # another browser, set to English
    log_in()
    assert "Продажі сьогодні" in client.get("/").text


def test_the_api_keeps_its_codes_and_speaks_the_request_language(client: TestClient,
                                                                db: Session) -> None:
    headers = make_token(db, "customers:read")
    uk = client.get("/api/customers/999999", headers={**headers, "Accept-Language": "uk"})
    en = client.get("/api/customers/999999", headers={**headers, "Accept-Language": "en"})
    assert uk.status_code == en.status_code == 404
    assert uk.json()["error"] == en.json()["error"]
    assert uk.json()["detail"] != en.json()["detail"]
    assert re.search("[а-яіїєґ]", uk.json()["detail"])


def test_the_owner_sets_the_time_zone_and_the_customers_language(client: TestClient,
                                                                 db: Session) -> None:
    from tests.web.pages import login
    from wordofmouth.settings import service as store_settings

    csrf = login(client, "owner")
    page = client.get("/settings")
    assert '<option selected>Europe/Kyiv</option>' in page.text
    form = {"csrf_token": csrf, "store_name": "Краса Корнер", "currency": "UAH",
            "bonus_share_percent": "50", "default_bonus_percent": "0", "hold_days": "14",
            "time_zone": "Europe/Warsaw", "country": "pl", "language": "en",
            "csv_separator": ";"}
    r = client.post("/settings", data=form)
    assert r.status_code == 200 and "Settings saved" in r.text
    s = store_settings.get(db)
    assert (s.time_zone, s.country, s.language, s.csv_separator) == (
        "Europe/Warsaw", "PL", "en", ";")
    bad = client.post("/settings", data={**form, "time_zone": "Kyiv"})
    assert bad.status_code == 422 and "IANA" in bad.text


def test_csv_opens_in_excel_set_to_ukrainian(client: TestClient, db: Session) -> None:
    from tests.web.pages import login

    login(client, "owner")
    uk = client.get("/analysis/activity?fmt=csv", headers={"Accept-Language": "uk"})
    assert uk.content.startswith("\ufeff".encode())  # UTF-8 with a BOM
    first = uk.content.decode("utf-8-sig").splitlines()[0]
    assert first.startswith("№ клієнта;Клієнт;Картка;Партнер;")
    en = client.get("/analysis/activity?fmt=csv", headers={"Accept-Language": "en"})
    assert en.content.decode("utf-8-sig").splitlines()[0].startswith(
        "customer_id,customer,card,partner,")


def test_a_form_error_names_the_field_in_the_readers_language(client: TestClient,
                                                             db: Session) -> None:
    from tests.factories import CardFactory
    from tests.friends.helpers import campaign
    from tests.web.pages import login

    c = campaign(db)
    referrer = CardFactory.create().customer_id
    csrf = login(client, "cashier")
    r = client.post(f"/customers/{referrer}/friend-codes",
                    data={"csrf_token": csrf, "campaign_id": str(c.id), "count": "багато"},
                    headers={"Accept-Language": "uk"})
    assert r.status_code == 422
    assert "Кількість кодів: «багато» — не ціле число." in r.text


def test_exported_times_are_on_the_stores_clock(client: TestClient, db: Session) -> None:
    from datetime import UTC, datetime

    from tests.sales.helpers import card, give_bonus
    from tests.web.pages import login
    from wordofmouth.ledger.models import LedgerEntry

    holder = card()
    give_bonus(db, holder.customer_id, "10.00")
    entry = db.query(LedgerEntry).order_by(LedgerEntry.id.desc()).first()
    assert entry is not None
    entry.created_at = datetime(2026, 12, 1, 22, 30, tzinfo=UTC)  # 00:30 on 2 December, Kyiv
    db.flush()
    login(client, "owner")
    text = client.get("/analysis/bonus?fmt=csv").content.decode("utf-8-sig")
    assert "2026-12-02 00:30" in text and "2026-12-01 22:30" not in text
