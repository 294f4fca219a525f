"""Friend codes at the till: every rejection, the discount, the bonus, returns."""

from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories import CardFactory, GroupFactory, ProductFactory
from tests.friends.helpers import campaign, codes, new_friend
from tests.sales.helpers import bonus, product, sell
from wordofmouth.calendar import DEFAULT_ZONE, today, zone
from wordofmouth.customers.models import Customer, DiscountCard
from wordofmouth.friends import errors
from wordofmouth.friends import service as friends
from wordofmouth.friends.models import CodeStatus, FriendReferral
from wordofmouth.sales import payments, returns, service
from wordofmouth.sales.models import PaymentMethod
from wordofmouth.scancodes import service as scancodes
from wordofmouth.scancodes.rules import is_valid_ean13

D = Decimal


def open_with(db: Session, card_number: str | None, *items: tuple[object, str]):  # type: ignore[no-untyped-def]
    sale = service.create_sale(db, service.SaleDraft(
        lines=[service.LineDraft(product_id=p.id, qty=D(q)) for p, q in items],  # type: ignore[attr-defined]
        card_number=card_number), actor="t", channel="pos")
    return sale


def pay(db: Session, sale) -> None:  # type: ignore[no-untyped-def]
    payments.pay(db, sale.id, [payments.PaymentDraft(PaymentMethod.CASH, sale.due)])


def test_codes_are_valid_in_store_ean13_that_collide_with_nothing(db: Session) -> None:
    c = campaign(db)
    _, issued = codes(db, c, 100)
    numbers = [fc.code for fc in issued]
    assert len(set(numbers)) == 100
    assert all(is_valid_ean13(n) and n.startswith("29") for n in numbers)
    assert all(scancodes.resolve(db, n).kind == "friend_code" for n in numbers)  # type: ignore[union-attr]


def test_codes_need_a_main_card_and_a_sane_count(db: Session) -> None:
    from tests.factories import CustomerFactory

    c = campaign(db)
    with pytest.raises(errors.NeedsMainCard):
        friends.issue_codes(db, customer_id=CustomerFactory.create().id, campaign_id=c.id, count=1,
                            actor="t")
    with pytest.raises(errors.InvalidInput):
        codes(db, c, 101)


def test_a_friend_gets_the_discount_and_the_referrer_the_bonus(db: Session) -> None:
    c = campaign(db, bonus_rule="percent", bonus_percent=D("5"), bonus_amount=D("0"))
    referrer, (code,) = codes(db, c)
    friend = new_friend()
    sale = open_with(db, friend, (product("200.00"), "1"))
    message = service.scan(db, sale, code.code)
    assert "10 %" in message
    assert (sale.lines[0].discount_source, sale.net_total) == ("friend_code", D("180.00"))
    pay(db, sale)
    db.refresh(code)
    assert (code.status, code.used_sale_id, code.purchase_amount) == (
        CodeStatus.USED, sale.id, D("180.00"))
    assert bonus(db, referrer) == D("9.00")  # 5 % of the friend's net 180.00
    referral = db.get(FriendReferral, sale.customer_id)
    assert referral is not None and referral.referrer_id == referrer


def test_only_lines_in_the_campaign_group_and_its_sub_groups_qualify(db: Session) -> None:
    hair = GroupFactory.create(name="Hair")
    shampoo_group = GroupFactory.create(name="Shampoos", parent_id=hair.id)
    c = campaign(db, group_id=hair.id)
    _, (code,) = codes(db, c)
    shampoo = ProductFactory.create(price=D("100.00"), group_id=shampoo_group.id)
    other = product("300.00")
    sale = open_with(db, new_friend(), (shampoo, "1"), (other, "1"))
    service.scan(db, sale, code.code)
    assert [(ln.discount_source, ln.net) for ln in sale.lines] == [
        ("friend_code", D("90.00")), ("", D("300.00"))]


def test_the_minimum_is_checked_on_qualifying_lines_before_the_discount(db: Session) -> None:
    hair = GroupFactory.create(name="Hair")
    c = campaign(db, group_id=hair.id, min_purchase=D("100.00"))
    _, (code,) = codes(db, c)
    exactly = ProductFactory.create(price=D("100.00"), group_id=hair.id)  # 90.00 after discount
    elsewhere = product("500.00")
    sale = open_with(db, new_friend(), (exactly, "1"), (elsewhere, "1"))
    service.scan(db, sale, code.code)
    assert sale.lines[0].net == D("90.00")
    short = ProductFactory.create(price=D("99.99"), group_id=hair.id)
    sale2 = open_with(db, new_friend(), (short, "1"), (elsewhere, "1"))
    _, (code2,) = codes(db, c)
    with pytest.raises(errors.BelowMinimum):
        service.scan(db, sale2, code2.code)


def test_rejections_each_have_their_own_code(db: Session) -> None:
    c = campaign(db)
    referrer, (a, b, held, own) = codes(db, c, 4)
    friend = new_friend()
    with pytest.raises(errors.FriendCodeUnknown):
        friends.find(db, "2900000000000")
    first = open_with(db, friend, (product("10.00"), "1"))
    service.scan(db, first, held.code)
    with pytest.raises(errors.FriendCodeHeld):
        service.scan(db, open_with(db, new_friend(), (product("10.00"), "1")), held.code)
    referrer_card = CardFactory.build_with_service(db, customer_id=referrer, main=False)
    with pytest.raises(errors.OwnCode):
        service.scan(db, open_with(db, referrer_card.number, (product("10.00"), "1")), own.code)
    regular = CardFactory.create()
    sell(db, [(product("5.00"), "1")], card_number=regular.number)
    with pytest.raises(errors.NotANewBuyer):
        service.scan(db, open_with(db, regular.number, (product("10.00"), "1")), a.code)
    pay(db, first)  # uses `held`: the friend is now referred
    db.refresh(held)
    with pytest.raises(errors.FriendCodeUsed):
        service.scan(db, open_with(db, new_friend(), (product("10.00"), "1")), held.code)
    with pytest.raises((errors.AlreadyReferred, errors.NotANewBuyer)):
        service.scan(db, open_with(db, friend, (product("10.00"), "1")), b.code)


def test_an_already_referred_customer_is_refused(db: Session) -> None:
    c = campaign(db)
    _, (a, b) = codes(db, c, 2)
    friend = new_friend()
    sale = open_with(db, friend, (product("10.00"), "1"))
    service.scan(db, sale, a.code)
    pay(db, sale)
    buyer = service.get_sale(db, sale.id).customer_id
    assert buyer is not None
    basket = friends.Basket(customer_id=buyer, day=today(zone(DEFAULT_ZONE)), lines=[])
    with pytest.raises(errors.AlreadyReferred):
        friends.check(db, friends.find(db, b.code), basket)


def test_expiry_inactive_campaigns_and_baskets_without_goods(db: Session) -> None:
    # today is the last day
    c = campaign(db, start_day=today(zone(DEFAULT_ZONE)) - 30, validity_days=30)
    _, (code,) = codes(db, c)
    service.scan(db, open_with(db, new_friend(), (product("10.00"), "1")), code.code)
    # yesterday was the last
    old = campaign(db, start_day=today(zone(DEFAULT_ZONE)) - 31, validity_days=30)
    _, (late,) = codes(db, old)
    with pytest.raises(errors.FriendCodeExpired):
        service.scan(db, open_with(db, new_friend(), (product("10.00"), "1")), late.code)
    off = campaign(db)
    _, (dormant,) = codes(db, off)
    friends.update_campaign(db, off.id, active=False)
    with pytest.raises(errors.CampaignInactive):
        service.scan(db, open_with(db, new_friend(), (product("10.00"), "1")), dormant.code)
    hair = GroupFactory.create(name="Hair")
    narrow = campaign(db, group_id=hair.id)
    _, (narrow_code,) = codes(db, narrow)
    with pytest.raises(errors.NoQualifyingGoods):
        service.scan(db, open_with(db, new_friend(), (product("10.00"), "1")), narrow_code.code)


def test_voiding_releases_the_code(db: Session) -> None:
    c = campaign(db)
    _, (code,) = codes(db, c)
    sale = open_with(db, new_friend(), (product("10.00"), "1"))
    service.scan(db, sale, code.code)
    payments.void_sale(db, sale.id, actor="t")
    db.refresh(code)
    assert (code.status, code.held_sale_id) == (CodeStatus.ISSUED, None)
    other = open_with(db, new_friend(), (product("10.00"), "1"))
    service.scan(db, other, code.code)


def test_a_return_reverses_the_bonus_in_proportion_and_the_code_stays_used(
        db: Session) -> None:
    c = campaign(db, bonus_rule="percent", bonus_percent=D("10"), bonus_amount=D("0"))
    referrer, (code,) = codes(db, c)
    sale = open_with(db, new_friend(), (product("100.00"), "3"))
    service.scan(db, sale, code.code)
    pay(db, sale)  # net 270.00, bonus 27.00
    assert bonus(db, referrer) == D("27.00")
    returns.return_items(db, sale.id, [returns.ReturnItem(sale.lines[0].id, D("1"))], actor="t")
    assert bonus(db, referrer) == D("18.00")
    db.refresh(code)
    assert code.status == CodeStatus.USED


def test_a_spent_bonus_goes_negative_on_return_and_the_next_accrual_repays_it(
        db: Session) -> None:
    c = campaign(db, bonus_rule="fixed", bonus_amount=D("50.00"))
    referrer, (first, second) = codes(db, c, 2)
    sale = open_with(db, new_friend(), (product("100.00"), "1"))
    service.scan(db, sale, first.code)
    pay(db, sale)
    ref_card = db.scalars(select(DiscountCard).where(
        DiscountCard.customer_id == referrer)).one()
    sell(db, [(product("200.00"), "1")], card_number=ref_card.number,
         pay=[("bonus", "50.00"), ("cash", "150.00")])
    returns.return_items(db, sale.id, [returns.ReturnItem(sale.lines[0].id, D("1"))], actor="t")
    assert bonus(db, referrer) == D("-50.00")
    again = open_with(db, new_friend(), (product("100.00"), "1"))
    service.scan(db, again, second.code)
    pay(db, again)
    assert bonus(db, referrer) == D("0.00")


def test_a_friend_with_no_card_gets_the_discount_and_becomes_a_referred_customer(
        db: Session) -> None:
    c = campaign(db)
    referrer, (code,) = codes(db, c)
    sale = open_with(db, None, (product("50.00"), "1"))
    said = service.scan(db, sale, code.code)
    assert "The friend becomes a customer when the sale is paid." in said
    assert sale.net_total == D("45.00")  # the discount on the first purchase, no card yet
    pay(db, sale)
    [referral] = db.scalars(select(FriendReferral))
    assert referral.friend_id == sale.customer_id and referral.referrer_id == referrer
    friend = db.get(Customer, sale.customer_id)
    owner = db.get(Customer, referrer)
    assert friend is not None and owner is not None
    # named after who sent them (in the store's language) until someone says more
    assert friend.first_name == f"Друг від {owner.first_name} {owner.last_name[:1]}."
    assert bonus(db, referrer) == D("50.00")
    assert friends.find(db, code.code).status == CodeStatus.USED


def test_a_friend_who_shows_a_card_later_is_that_customer(db: Session) -> None:
    c = campaign(db)
    _, (code,) = codes(db, c)
    sale = open_with(db, None, (product("50.00"), "1"))
    service.scan(db, sale, code.code)
    card = new_friend()
    service.scan(db, sale, card)
    assert sale.net_total == D("45.00")
    pay(db, sale)
    [referral] = db.scalars(select(FriendReferral))
    assert referral.friend_id == sale.customer_id
    assert db.scalar(select(func.count()).select_from(Customer)) == 2  # referrer and friend


def test_a_friend_with_two_open_sales_gets_the_discount_once(
        db: Session, client: object, writer: dict[str, str]) -> None:
    """Each sale held its own code at −10 %; the first paid uses its code, the second is
    priced again at payment (409 sale_repriced, nothing taken) and then paid in full, and
    its code goes back to its owner unused."""
    from fastapi.testclient import TestClient

    assert isinstance(client, TestClient)
    c = campaign(db)
    _, (first_code, second_code) = codes(db, c, 2)
    friend = new_friend()
    goods = product("100.00")
    first, second = open_with(db, friend, (goods, "1")), open_with(db, friend, (goods, "1"))
    service.scan(db, first, first_code.code)
    service.scan(db, second, second_code.code)
    assert first.net_total == second.net_total == D("90.00")
    db.flush()
    r = client.post(f"/api/sales/{first.id}/payments", headers=writer,
                    json={"payments": [{"method": "cash", "amount": "90.00"}]})
    assert r.status_code == 200 and r.json()["status"] == "paid", r.text
    r = client.post(f"/api/sales/{second.id}/payments", headers=writer,
                    json={"payments": [{"method": "cash", "amount": "90.00"}]})
    assert r.status_code == 409 and r.json()["error"] == "sale_repriced", r.text
    assert "100.00" in r.json()["detail"]
    again = client.get(f"/api/sales/{second.id}", headers=writer).json()
    assert again["status"] == "open" and again["net_total"] == "100.00"
    assert again["paid_total"] == "0.00"
    r = client.post(f"/api/sales/{second.id}/payments", headers=writer,
                    json={"payments": [{"method": "cash", "amount": "100.00"}]})
    assert r.status_code == 200 and r.json()["status"] == "paid", r.text
    db.expire_all()
    assert db.get(type(second_code), second_code.id).status == CodeStatus.ISSUED  # type: ignore[union-attr]
    assert db.scalar(select(func.count()).select_from(FriendReferral)) == 1
