"""Analysis → Customer activity and mailings, through the pages."""

import csv
import io
import re
from urllib.parse import urlencode

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from tests.analysis.helpers import store
from tests.web.pages import login
from wordofmouth.mailing import service
from wordofmouth.mailing.models import Mailing


def test_the_owner_filters_sorts_and_exports_customer_activity(client: TestClient,
                                                               db: Session) -> None:
    ids = store(db)
    login(client, "owner")
    page = client.get("/analysis/activity?" + urlencode({"partner": ids["anna"]}))
    assert page.status_code == 200
    assert page.text.index("Olena") < page.text.index("Taras")  # revenue, highest first
    assert "2 customers" in page.text and "285.00" in page.text and "Mariia" not in page.text
    up = client.get("/analysis/activity?" + urlencode({"partner": ids["anna"],
                                                       "sort": "revenue", "dir": "asc"}))
    assert up.text.index("Taras") < up.text.index("Olena")
    r = client.get("/analysis/activity?" + urlencode({"fmt": "csv", "min_purchases": 1}))
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [(x["customer"], x["revenue"]) for x in rows] == [  # the last 90 days
        ("Olena Koval", "285.00"), ("Taras Koval", "80.00"), ("Mariia Koval", "50.00")]
    r = client.get("/analysis/activity?fmt=xlsx")
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert sheet is not None and sheet.max_row == 5  # the header and four customers
    bad = client.get("/analysis/activity?min_purchases=many")
    assert bad.status_code == 422 and "not a whole number" in bad.text


def test_a_cashier_cannot_open_the_analysis(client: TestClient, db: Session) -> None:
    login(client, "cashier")
    assert client.get("/analysis/activity").status_code == 403
    assert client.get("/mailings").status_code == 403


def test_a_mailing_from_all_matching_with_preview_test_and_follow_up(
        client: TestClient, db: Session, tmp_path: object) -> None:
    ids = store(db)
    csrf = login(client, "owner")
    query = urlencode({"partner": ids["anna"]})
    page = client.get("/mailings/new?" + urlencode({"audience": "all", "q": query}))
    assert 'id="audience-size">2<' in page.text
    key = re.search(r'name="client_key" value="([^"]+)"', page.text)
    assert key is not None
    form = {"csrf_token": csrf, "audience": "all", "q": query, "channel": "email",
            "subject": "{first_name}, we miss you", "body": "You have {bonus_balance} bonuses",
            "client_key": key.group(1)}
    preview = client.post("/mailings/preview", data=form)
    assert "Olena, we miss you" in preview.text or "Taras, we miss you" in preview.text
    broken = client.post("/mailings/preview", data=form | {"body": "Hi {nickname}"})
    assert "Unknown placeholder {nickname}" in broken.text
    for hostile in ("{first_name:d}", "{bonus_balance:{card}}", "{first_name:>100000000}"):
        for path in ("/mailings/preview", "/mailings"):
            r = client.post(path, data=form | {"body": hostile})
            assert r.status_code in (200, 422) and "without a format" in r.text, r.text[:300]
            assert len(r.content) < 100_000
    assert db.query(Mailing).count() == 0
    bad_test = client.post("/mailings/test", data=form | {"test_to": "not-mail"})
    assert "not a valid e-mail address" in bad_test.text
    r = client.post("/mailings", data=form)
    assert r.status_code == 200 and "Mailing created: 2 to send, 0 skipped" in r.text
    again = client.post("/mailings", data=form)  # the same form twice: one mailing
    assert again.status_code == 200 and db.query(Mailing).count() == 1
    mailing = db.query(Mailing).one()
    page = client.get(f"/mailings/{mailing.id}")
    assert 'id="count-queued">2<' in page.text and "olena@example.com" in page.text
    assert "all matching" in page.text and "Stylist Anna" in page.text


def test_an_empty_selection_is_refused(client: TestClient, db: Session) -> None:
    csrf = login(client, "owner")
    r = client.post("/mailings", data={"csrf_token": csrf, "audience": "selected",
                                       "channel": "email", "subject": "S", "body": "B"})
    assert r.status_code == 422 and "no customers" in r.text


def test_the_unsubscribe_link_works_without_a_login(client: TestClient, db: Session) -> None:
    ids = store(db)
    token = service.unsubscribe_token(ids["olena"], "email", 0)
    page = client.get(f"/unsubscribe/{token}")
    assert page.status_code == 200 and "Stop receiving e-mail messages" in page.text
    done = client.post(f"/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "You are unsubscribed" in done.text
    from wordofmouth.customers.models import Customer

    customer = db.get(Customer, ids["olena"])
    assert customer is not None and customer.consent_email is False
    assert client.get(f"/unsubscribe/{token}x").status_code == 400


def test_the_owner_sets_up_the_providers(client: TestClient, db: Session) -> None:
    csrf = login(client, "owner")
    r = client.post("/settings/mailing", data={
        "csrf_token": csrf, "email_transport": "smtp", "smtp_host": "mail.example.com",
        "smtp_port": "465", "smtp_security": "ssl", "smtp_user": "shop",
        "smtp_password": "s3cret"})
    assert "Mailing settings saved" in r.text and "mail.example.com" in r.text
    assert "s3cret" not in r.text
    r = client.post("/settings/mailing", data={"csrf_token": csrf, "smtp_port": "99999"})
    assert r.status_code == 422
    r = client.post("/settings/mailing", data={"csrf_token": csrf, "sms_provider": "pigeon"})
    assert r.status_code == 422
    audit = client.get("/audit").text
    assert "s3cret" not in audit
