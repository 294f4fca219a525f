"""Club pages: settings, the three lists, decisions from the browser form, CSV export."""

from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.club.helpers import BASE, buy, member_card, switch_on
from tests.web.pages import login
from wordofmouth.club import service as club
from wordofmouth.club.models import ClubDecision
from wordofmouth.club.rules import ClubStatus as S

D = Decimal


def test_the_owner_sets_up_the_club(client: TestClient, db: Session) -> None:
    csrf = login(client, "owner")
    r = client.post("/club/settings", data={
        "csrf_token": csrf, "enabled": "on", "discount_percent": "7,5",
        "accumulation_amount": "5000", "accumulation_days": "30",
        "confirmation_amount": "3000", "confirmation_days": "60"})
    assert r.status_code == 200 and "Club settings saved" in r.text
    s = club.settings(db)
    assert (s.enabled, s.discount_percent, s.confirmation_days) == (True, D("7.5"), 60)
    assert s.started_day > 0


def test_a_store_switching_the_club_on_counts_the_purchases_it_already_has(
        client: TestClient, db: Session) -> None:
    from wordofmouth.calendar import date_of
    from wordofmouth.settings import service as store_settings

    today = store_settings.today(db)
    card = member_card()
    buy(db, card, "5200.00", today - 20)  # bought before the club existed
    csrf = login(client, "owner")
    form = {"csrf_token": csrf, "enabled": "on", "discount_percent": "5",
            "accumulation_amount": "5000", "accumulation_days": "30",
            "confirmation_amount": "3000", "confirmation_days": "60",
            "started_on": date_of(today - 25).isoformat()}
    future = client.post("/club/settings", data=form | {
        "started_on": date_of(today + 1).isoformat()})
    assert future.status_code == 422 and "future" in future.text
    r = client.post("/club/settings", data=form)
    assert r.status_code == 200 and "Club settings saved" in r.text
    store_settings.forget(db)  # this test's transaction read them before the page saved them
    assert club.settings(db).started_day == today - 25
    club.run_review(db, day=today)
    assert club.counts(db).get("candidate_join") == 1
    moved = client.post("/club/settings", data=form | {
        "started_on": date_of(today - 40).isoformat()})
    assert moved.status_code == 422 and "reviewed already" in moved.text
    assert club.settings(db).started_day == today - 25


def test_bad_club_settings_get_a_readable_message(client: TestClient) -> None:
    csrf = login(client, "owner")
    r = client.post("/club/settings", data={
        "csrf_token": csrf, "enabled": "on", "discount_percent": "120",
        "accumulation_amount": "5000", "accumulation_days": "30",
        "confirmation_amount": "3000", "confirmation_days": "60"})
    assert r.status_code == 422 and "at most 100" in r.text


def test_a_manager_grants_candidates_from_the_list(client: TestClient, db: Session) -> None:
    switch_on(db)
    a, b = member_card(), member_card()
    buy(db, a, "5000.00", BASE + 1)
    buy(db, b, "7000.00", BASE + 2)
    club.run_review(db, day=BASE + 2)
    csrf = login(client, "manager")
    page = client.get("/club")
    assert page.status_code == 200 and "7,000.00" in page.text
    r = client.post("/club/decide", data={"csrf_token": csrf, "action": "grant",
                                          "customer_id": [str(a.customer_id)]})
    assert r.status_code == 200 and "Grant: 1 customer." in r.text
    assert club.membership(db, a.customer_id).status == S.MEMBER  # type: ignore[union-attr]
    r = client.post("/club/decide", data={"csrf_token": csrf, "action": "decline",
                                          "all": "on"})
    assert "Decline: 1 customer." in r.text


def test_deciding_twice_from_two_browsers_records_one_decision(
        client: TestClient, db: Session) -> None:
    switch_on(db)
    a = member_card()
    buy(db, a, "5000.00", BASE + 1)
    club.run_review(db, day=BASE + 1)
    csrf = login(client, "owner")
    form = {"csrf_token": csrf, "action": "grant", "customer_id": [str(a.customer_id)]}
    assert client.post("/club/decide", data=form).status_code == 200
    second = client.post("/club/decide", data=form)
    assert second.status_code == 409
    assert "Reload the list" in second.text
    assert db.scalar(select(func.count(ClubDecision.id)).where(
        ClubDecision.action == "grant")) == 1


def test_a_list_exports_as_csv_with_formula_cells_neutralised(
        client: TestClient, db: Session) -> None:
    switch_on(db)
    card = member_card()
    card.customer.first_name = "=HYPERLINK(1)"
    buy(db, card, "5000.00", BASE + 1)
    club.run_review(db, day=BASE + 1)
    login(client, "manager")
    r = client.get("/club/export/candidate_join.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    lines = r.text.strip().splitlines()
    assert lines[0].startswith("customer_id,customer,card,reached")
    assert lines[1].split(",")[1].startswith("'=HYPERLINK(1)")


def test_cashiers_do_not_manage_the_club(client: TestClient) -> None:
    login(client, "cashier")
    assert client.get("/club").status_code == 403
    assert client.get("/club/settings").status_code == 403


def test_the_customer_card_shows_the_club_history(client: TestClient, db: Session) -> None:
    switch_on(db)
    card = member_card()
    buy(db, card, "5000.00", BASE + 1)
    club.run_review(db, day=BASE + 1)
    club.decide(db, customer_ids=[card.customer_id], action="grant", actor="olena",
                day=BASE + 2)
    login(client, "cashier")
    r = client.get(f"/customers/{card.customer_id}")
    assert "club discount 7 %" in r.text
    assert "candidate to join → club member" in r.text and "olena" in r.text


def test_a_partner_filter_on_the_lists_all_means_the_filtered_list_and_decisions_are_audited(
        client: TestClient, db: Session) -> None:
    from tests.partners.helpers import partner
    from wordofmouth.audit import service as audit
    from wordofmouth.partners import service as partners

    switch_on(db)
    salon = partner(db, "Salon Lily")
    theirs, other = member_card(), member_card()
    partners.link(db, theirs.customer_id, salon.id, actor="cashier")
    buy(db, theirs, "5000.00", BASE + 1)
    buy(db, other, "6000.00", BASE + 1)
    club.run_review(db, day=BASE + 2)
    csrf = login(client, "manager")
    page = client.get(f"/club?referrer=p:{salon.id}").text
    join_list = page.split('data-list="candidate_join"')[1].split("</form>")[0]
    assert f'value="{theirs.customer_id}"' in join_list
    assert f'value="{other.customer_id}"' not in join_list
    r = client.post("/club/decide", data={"csrf_token": csrf, "action": "grant", "all": "on",
                                          "referrer": f"p:{salon.id}"})
    assert r.status_code == 200 and "Grant: 1 customer." in r.text
    assert club.membership(db, theirs.customer_id).status == S.MEMBER  # type: ignore[union-attr]
    assert club.membership(db, other.customer_id).status == S.CANDIDATE_JOIN  # type: ignore[union-attr]
    [event] = audit.recent(db, action="club.decision")
    assert event.details["decision"] == "grant" and event.details["customers"] == [
        theirs.customer_id]
    # the members tile counts everyone holding the club discount
    assert 'id="club-members">1<' in client.get("/club").text
