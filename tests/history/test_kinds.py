"""Friend codes handed out in the old program keep working at the till (and one it saw used
stays used, with the friend it brought); club members come over as members since their day,
with the club discount at the till and a confirmation period that runs from that day."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.club.helpers import switch_on
from tests.factories import ProductFactory
from tests.friends.helpers import campaign
from wordofmouth.calendar import DEFAULT_ZONE, day_of_date, today, zone
from wordofmouth.club import service as club
from wordofmouth.club.rules import ClubStatus
from wordofmouth.customers import service as customers
from wordofmouth.friends import repository
from wordofmouth.friends.models import CodeStatus, FriendReferral
from wordofmouth.history import importer

D = Decimal
PEOPLE = ("card;first_name;last_name\n2000000000017;Olena;Koval\n"
          "2000000000024;Taras;Bondar\n2000000000031;Iryna;Tkach\n")


def _import(db: Session, kind: str, text: str) -> importer.Report:
    return importer.run(db, kind, text.encode(), f"{kind}.csv", actor="import")


def _customer(db: Session, card: str) -> int:
    return customers.card_by_number(db, card).customer_id


def test_friend_codes_keep_working_and_a_used_one_stays_used(client: TestClient,
                                                             db: Session,
                                                             writer: dict[str, str]) -> None:
    ProductFactory.create(sku="A1", price=D("200.00"))
    campaign(db, name="Spring friends", start_day=today(zone(DEFAULT_ZONE)) - 20)
    assert _import(db, "customers", PEOPLE).imported == 3
    day = (date.today() - timedelta(days=10)).isoformat()
    assert _import(db, "sales", f"receipt,date,card,sku,qty\nR1,{day},2000000000024,A1,1\n"
                   ).imported == 1
    done = _import(db, "friend_codes", (
        "code;card;campaign;date;used_receipt\n"
        f"2900000000013;2000000000017;spring friends;{day};\n"
        f"FR1002;2000000000017;Spring friends;{day};R1\n"
        f"FR1003;2000000000017;Autumn;{day};\n"
        f"2000000000024;2000000000017;Spring friends;{day};\n"
        f"FR1004;2000000000024;Spring friends;{day};R1\n"
        f"FR1002;2000000000017;Spring friends;{day};\n"))
    assert done.imported == 2
    assert [line for line, _ in done.errors] == [4, 5, 6, 7]
    assert "recorded already" in done.errors[3][1]  # a number twice: that row, not the file
    assert "Autumn" in done.errors[0][1]  # no such campaign
    assert "card" in done.errors[1][1]  # the number is a card's
    olena, taras = _customer(db, "2000000000017"), _customer(db, "2000000000024")
    used = repository.by_code(db, "FR1002")
    assert used is not None and (used.status, used.friend_id) == (CodeStatus.USED, taras)
    referral = db.get(FriendReferral, taras)
    assert referral is not None and referral.referrer_id == olena
    assert repository.by_code(db, "FR1004") is None  # its own code on its own receipt

    iryna = client.post("/api/sales", headers=writer, json={
        "card_number": "2000000000031", "lines": [{"barcode": "A1"}]}).json()
    attached = client.post(f"/api/sales/{iryna['id']}/codes", headers=writer,
                           json={"code": "2900000000013"})
    assert attached.status_code == 200, attached.text
    assert attached.json()["net_total"] == "180.00"  # the campaign's 10 % for a friend
    again = client.post("/api/sales", headers=writer, json={
        "card_number": "2000000000031", "lines": [{"barcode": "A1"}]}).json()
    refused = client.post(f"/api/sales/{again['id']}/codes", headers=writer,
                          json={"code": "FR1002"})
    assert (refused.status_code, refused.json()["error"]) == (409, "friend_code_used")


def test_club_members_come_over_since_their_day(client: TestClient, db: Session,
                                                writer: dict[str, str]) -> None:
    ProductFactory.create(sku="A1", price=D("100.00"))
    assert _import(db, "customers", PEOPLE).imported == 3
    off = _import(db, "club_members", "card,since\n2000000000017,2026-01-15\n")
    assert off.imported == 0 and "club" in off.errors[0][1].lower()  # switched off
    switch_on(db, discount_percent=D("7"), started_day=0)
    since = date.today() - timedelta(days=30)
    done = _import(db, "club_members", (
        f"card,since\n2000000000017,{since.isoformat()}\n"
        f"2000000000017,{since.isoformat()}\n"
        f"2000000000099,{since.isoformat()}\n"
        f"2000000000024,{(date.today() + timedelta(days=2)).isoformat()}\n"))
    assert done.imported == 1 and [line for line, _ in done.errors] == [3, 4, 5]
    olena = _customer(db, "2000000000017")
    m = club.membership(db, olena)
    assert m is not None and m.status == ClubStatus.MEMBER
    assert m.member_since_day == day_of_date(since) == m.period_start_day
    assert m.discount_percent == D("7")
    assert club.history(db, olena)[0].action == "carried_over"
    sale = client.post("/api/sales", headers=writer, json={
        "card_number": "2000000000017", "lines": [{"barcode": "A1"}]}).json()
    assert sale["net_total"] == "93.00"
