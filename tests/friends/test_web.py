"""Refer a Friend through the API and the pages: validate, attach, issue, labels, analysis."""

import io
from decimal import Decimal

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy.orm import Session

from tests.factories import CardFactory
from tests.friends.helpers import campaign, codes, new_friend
from tests.sales.helpers import product
from tests.web.pages import login
from wordofmouth.customers.models import Customer
from wordofmouth.friends import service as friends
from wordofmouth.friends.models import CodeStatus, FriendCode

D = Decimal


def test_validate_checks_a_basket_without_changing_anything(
        client: TestClient, db: Session, writer: dict[str, str]) -> None:
    c = campaign(db, min_purchase=D("150.00"))
    _, (code,) = codes(db, c)
    p = product("100.00")
    ok = client.post("/api/friend-codes/validate", headers=writer, json={
        "code": code.code, "card_number": new_friend(), "lines": [{"product_id": p.id,
                                                                   "qty": 2}]})
    assert ok.status_code == 200, ok.text
    assert (ok.json()["discount_percent"], ok.json()["qualifying_amount"]) == ("10.00",
                                                                               "200.00")
    short = client.post("/api/friend-codes/validate", headers=writer, json={
        "code": code.code, "lines": [{"product_id": p.id}]})
    assert (short.status_code, short.json()["error"]) == (422, "friend_below_minimum")
    unknown = client.post("/api/friend-codes/validate", headers=writer, json={
        "code": "2900000000000", "lines": [{"product_id": p.id}]})
    assert (unknown.status_code, unknown.json()["error"]) == (404, "friend_code_unknown")
    db.refresh(code)
    assert code.status == CodeStatus.ISSUED


def test_attach_then_pay_through_the_api(client: TestClient, db: Session,
                                         writer: dict[str, str]) -> None:
    c = campaign(db)
    referrer, (code,) = codes(db, c)
    p = product("80.00")
    sale = client.post("/api/sales", headers=writer, json={
        "card_number": new_friend(), "lines": [{"product_id": p.id}]}).json()
    attached = client.post(f"/api/sales/{sale['id']}/codes", headers=writer,
                           json={"code": code.code})
    assert attached.status_code == 200 and attached.json()["net_total"] == "72.00"
    again = client.post(f"/api/sales/{sale['id']}/codes", headers=writer,
                        json={"code": code.code})
    assert again.status_code == 200  # the same sale may present its code again
    paid = client.post(f"/api/sales/{sale['id']}/payments", headers=writer,
                       json={"payments": [{"method": "card", "amount": "72.00"}]})
    assert paid.json()["status"] == "paid"
    other = client.post("/api/sales", headers=writer, json={
        "card_number": new_friend(), "lines": [{"product_id": p.id}]}).json()
    used = client.post(f"/api/sales/{other['id']}/codes", headers=writer,
                       json={"code": code.code})
    assert (used.status_code, used.json()["error"]) == (409, "friend_code_used")
    balance = client.get(f"/api/customers/{referrer}/bonus", headers=writer).json()
    assert balance["balance"] == "50.00"


def test_a_cashier_issues_codes_and_downloads_the_labels(client: TestClient,
                                                         db: Session) -> None:
    c = campaign(db)
    referrer = CardFactory.create().customer_id
    csrf = login(client, "cashier")
    r = client.post(f"/customers/{referrer}/friend-codes",
                    data={"csrf_token": csrf, "campaign_id": str(c.id), "count": "3"})
    assert r.status_code == 200 and "3 codes issued" in r.text
    issued = db.query(FriendCode).filter_by(referrer_id=referrer).all()
    assert len(issued) == 3 and all(fc.code in r.text for fc in issued)
    pdf = client.get(f"/friends/labels/{issued[0].batch}.pdf?layout=a4")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert text.count("знижки на першу покупку") == 3  # labels speak the store's language
    single = client.get(f"/friends/labels/{issued[0].batch}.pdf?layout=single")
    assert single.content.count(b"/Type /Page\n") + single.content.count(b"/Type /Page ") >= 3


def test_a_manager_reads_the_campaigns_and_the_codes_page_names_the_customer(
        client: TestClient, db: Session) -> None:
    c = campaign(db, name="Bring a friend")
    owner = CardFactory.create()
    owner_customer = db.get(Customer, owner.customer_id)
    assert owner_customer is not None
    issued = friends.issue_codes(db, customer_id=owner.customer_id, campaign_id=c.id,
                                 count=2, actor="test")
    login(client, "manager")
    page = client.get("/friends")
    assert page.status_code == 200 and "Bring a friend" in page.text
    assert 'id="new-campaign"' not in page.text  # the owner runs campaigns
    batch = client.get(f"/friends/batch/{issued[0].batch}")
    assert f"Friend codes of {owner_customer.full_name}" in batch.text
    assert 'data-copy="codes-text"' in batch.text
    login(client, "cashier")
    assert client.get("/friends").status_code == 403


def test_the_owner_creates_a_campaign_and_bad_input_is_explained(client: TestClient) -> None:
    csrf = login(client, "owner")
    form = {"csrf_token": csrf, "name": "Autumn", "start_date": "2026-11-01",
            "validity_days": "45", "friend_discount_percent": "15", "bonus_rule": "percent_max",
            "bonus_value": "10", "bonus_max": "200", "min_purchase": "", "group_id": "",
            "active": "on"}
    r = client.post("/friends", data=form)
    assert r.status_code == 200 and "Campaign Autumn created" in r.text
    assert "codes valid until 2026-12-16" in r.text
    r = client.post("/friends", data={**form, "bonus_max": ""})
    assert r.status_code == 422 and "needs the maximum" in r.text


def test_the_refer_a_friend_view_counts_new_buyers_and_exports(
        client: TestClient, db: Session, writer: dict[str, str]) -> None:
    c = campaign(db)
    _, (code,) = codes(db, c)
    p = product("100.00")
    sale = client.post("/api/sales", headers=writer, json={
        "card_number": new_friend(), "lines": [{"product_id": p.id}]}).json()
    client.post(f"/api/sales/{sale['id']}/codes", headers=writer, json={"code": code.code})
    client.post(f"/api/sales/{sale['id']}/payments", headers=writer,
                json={"payments": [{"method": "cash", "amount": "90.00"}]})
    login(client, "manager")
    page = client.get("/analysis/friends")
    assert page.status_code == 200
    assert 'id="total-new-buyers">1<' in page.text and "50.00" in page.text
    xlsx = client.get("/analysis/friends?fmt=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "code" and rows[1][0] == code.code and rows[1][8] == D("90")
    csv_text = client.get("/analysis/bonus?fmt=csv&kind=friend_bonus").text
    assert "friend_bonus" in csv_text and "50.00" in csv_text


def test_the_owner_issues_a_printed_batch_and_downloads_it_for_the_print_shop(
        client: TestClient, db: Session) -> None:
    c = campaign(db, name="Flyers")
    holder = CardFactory.create()
    holder_name = db.get_one(Customer, holder.customer_id).full_name
    csrf = login(client, "owner")
    assert f'id="printed-{c.id}"' in client.get("/friends").text
    too_many = client.post(f"/friends/{c.id}/printed", data={
        "csrf_token": csrf, "card": holder.number, "count": "100001"})
    assert too_many.status_code == 422 and "wom friends issue" in too_many.text
    unknown = client.post(f"/friends/{c.id}/printed", data={
        "csrf_token": csrf, "card": "2100000000000", "count": "5"})
    assert unknown.status_code == 404
    assert db.query(FriendCode).count() == 0
    r = client.post(f"/friends/{c.id}/printed", data={
        "csrf_token": csrf, "card": holder.number, "count": "1500"})
    assert r.status_code == 200 and "1,500 codes issued" in r.text, r.text
    assert "Printed batch of “Flyers”" in r.text and holder_name in r.text
    issued = db.query(FriendCode).filter_by(referrer_id=holder.customer_id).all()
    assert len(issued) == 1500
    got = client.get(f"/friends/printed/{issued[0].batch}.csv")
    assert got.headers["content-type"].startswith("text/csv")
    assert "attachment" in got.headers["content-disposition"]
    rows = got.text.splitlines()
    assert rows[0] == "code" and sorted(rows[1:]) == sorted(fc.code for fc in issued)
    assert client.get("/friends/printed/0000000000000000").status_code == 404
