"""A printed mass campaign: many codes issued at once, on SQLite and on PostgreSQL, each a
scannable number no card or product holds, all usable at the till, written out for the
printer; a refused run writes nothing."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories import CardFactory, CustomerFactory, GroupFactory
from tests.friends.helpers import campaign
from wordofmouth.errors import DomainError
from wordofmouth.friends import bulk, errors
from wordofmouth.friends import service as friends
from wordofmouth.friends.models import CodeStatus, FriendCode
from wordofmouth.sales.models import SaleLine
from wordofmouth.scancodes import service as scancodes
from wordofmouth.scancodes.rules import is_valid_ean13

D = Decimal


def _codes(db: Session, batch: str) -> list[FriendCode]:
    return list(db.scalars(select(FriendCode).where(FriendCode.batch == batch)))


def test_a_mass_campaign_gets_every_code_asked_for_each_usable_at_the_till(
        db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk, "BATCH", 1000)  # several statements, as with a million
    monkeypatch.setattr(bulk, "CHUNK", 1000)
    c = campaign(db, name="Flyers")
    holder = CardFactory.create().customer_id
    batch = bulk.issue_bulk(db, campaign_id=c.id, referrer_id=holder, count=2500,
                            actor="owner")
    issued = _codes(db, batch)
    assert len(issued) == 2500 == len({fc.code for fc in issued})
    assert all(is_valid_ean13(fc.code) and fc.code.startswith("29") for fc in issued)
    assert {(fc.campaign_id, fc.referrer_id, fc.status) for fc in issued} == {
        (c.id, holder, CodeStatus.ISSUED)}
    for fc in issued[:50]:  # the registry of scan codes knows each as this friend code
        found = scancodes.resolve(db, fc.code)
        assert found is not None and (found.kind, found.target_id) == ("friend_code", fc.id)
    group = GroupFactory.create()
    lines = [SaleLine(line_no=1, group_id=group.id, gross=D("100.00"), net=D("100.00"))]
    fit = friends.validate(db, code=issued[-1].code, customer_id=None, lines=lines)
    assert fit.code.id == issued[-1].id


def test_a_number_another_code_holds_is_skipped_and_made_up_for(
        db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    card = CardFactory.create()
    taken = "2900000000018"
    scancodes.register(db, taken, "product", 1)
    real = bulk.random_instore_ean13s
    draws = iter([[taken, "2900000000025"]])
    monkeypatch.setattr(bulk, "random_instore_ean13s",
                        lambda prefix, n: next(draws, None) or real(prefix, n))
    batch = bulk.issue_bulk(db, campaign_id=campaign(db).id, referrer_id=card.customer_id,
                            count=3, actor="owner")
    numbers = {fc.code for fc in _codes(db, batch)}
    assert len(numbers) == 3 and taken not in numbers and "2900000000025" in numbers
    assert scancodes.resolve(db, taken) == scancodes.Resolved("product", 1)


@pytest.mark.parametrize("case", ["none", "too many", "no card", "switched off"])
def test_a_refused_run_issues_nothing(db: Session, case: str) -> None:
    c = campaign(db)
    holder = CardFactory.create().customer_id
    count = {"none": 0, "too many": bulk.MAX_BULK + 1}.get(case, 10)
    if case == "no card":
        holder = CustomerFactory.create().id
    if case == "switched off":
        friends.update_campaign(db, c.id, active=False)
    expected = {"no card": errors.NeedsMainCard,
                "switched off": errors.CampaignInactive}.get(case, DomainError)
    with pytest.raises(expected):
        bulk.issue_bulk(db, campaign_id=c.id, referrer_id=holder, count=count, actor="o")
    assert db.scalar(select(func.count()).select_from(FriendCode)) == 0


def test_the_printer_gets_one_code_per_row_in_order(db: Session) -> None:
    batch = bulk.issue_bulk(db, campaign_id=campaign(db).id,
                            referrer_id=CardFactory.create().customer_id, count=40, actor="o")
    out = io.StringIO()
    assert bulk.write_csv(db, batch, out) == 40
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == ["code"] and len(rows) == 41
    assert [r[0] for r in rows[1:]] == sorted(fc.code for fc in _codes(db, batch))


def test_a_campaign_is_found_by_the_name_the_back_office_shows(db: Session) -> None:
    c = campaign(db, name="Листівки")
    assert friends.campaign_named(db, " Листівки ").id == c.id
    with pytest.raises(errors.CampaignNotFound):
        friends.campaign_named(db, "Інша")
    campaign(db, name="Листівки")
    with pytest.raises(DomainError, match="rename one"):
        friends.campaign_named(db, "Листівки")
