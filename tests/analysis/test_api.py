"""Customer activity through the API: the page's filter and sort keys, rows whose fields
are the export's columns, the export itself, and the actions on chosen customers."""

import csv
import io

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.analysis.helpers import store
from tests.club.helpers import switch_on
from tests.conftest import make_token
from wordofmouth.club import service as club
from wordofmouth.customers import service as customers


def test_a_crm_reads_the_analysis_as_the_page_shows_it(client: TestClient,
                                                       db: Session) -> None:
    ids = store(db)
    h = make_token(db, "analysis:read")
    r = client.get(f"/api/analysis/activity?partner={ids['anna']}", headers=h)
    assert r.status_code == 200, r.text
    found = r.json()
    assert found["customers"] == 2 and found["revenue"] == "365.00"
    assert [row["customer"] for row in found["rows"]] == ["Olena Koval", "Taras Koval"]
    olena = found["rows"][0]
    assert olena["partner"] == "Stylist Anna" and olena["employee"] == "Iryna"
    assert olena["average_check"] == "142.50" and olena["bonus_balance"] == "12.50"
    cheap_first = client.get("/api/analysis/activity?sort=average_check&dir=asc&min_purchases=1",
                             headers=h).json()["rows"]
    assert [row["customer"] for row in cheap_first] == ["Mariia Koval", "Taras Koval",
                                                        "Olena Koval"]
    exported = client.get("/api/analysis/activity?format=csv&min_purchases=1", headers=h)
    assert exported.headers["content-type"].startswith("text/csv")
    text = exported.content.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text), delimiter=";" if ";" in text.split("\n")[0]
                            else ",")
    assert reader.fieldnames == list(olena)  # one name per column, in the API and the file
    assert next(row["customer"] for row in reader) == "Olena Koval"
    bad = client.get("/api/analysis/activity?sort=nonsense", headers=h)
    assert bad.status_code == 422 and bad.json()["error"] == "invalid_input"
    assert client.get("/api/analysis/activity",
                      headers=make_token(db, "customers:read")).status_code == 403


def test_personal_discount_and_club_invitation_for_chosen_customers(
        client: TestClient, db: Session) -> None:
    ids = store(db)
    chosen = [ids["taras"], ids["mariia"]]
    r = client.post("/api/analysis/activity/discount", json={
        "customer_ids": chosen, "discount_percent": "8"},
        headers=make_token(db, "customers:write"))
    assert r.json() == {"cards_changed": 2, "without_card": 0}
    assert customers.get_customer(db, ids["taras"]).cards[0].discount_percent == 8
    h = make_token(db, "club:write")
    off = client.post("/api/analysis/activity/club", json={"customer_ids": chosen}, headers=h)
    assert off.status_code == 409 and off.json()["error"] == "club_disabled"
    switch_on(db)
    r = client.post("/api/analysis/activity/club", json={"customer_ids": chosen}, headers=h)
    assert r.json() == {"invited": 2, "members_already": 0}
    assert getattr(club.membership(db, ids["mariia"]), "status", None) == "member"
