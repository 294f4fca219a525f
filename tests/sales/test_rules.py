from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wordofmouth.money import cumulative_part
from wordofmouth.sales.rules import (
    DiscountCandidate,
    bonus_payment_limit,
    price_line,
    resolve_discount,
    returned_line_net,
    split_refund,
)

D = Decimal


def cands(*pairs: tuple[str, str]) -> list[DiscountCandidate]:
    return [DiscountCandidate(source, D(pct)) for source, pct in pairs]


@pytest.mark.parametrize(("offers", "winner"), [
    ([], None),
    ([("card", "5")], ("card", "5")),
    ([("card", "5"), ("club", "7")], ("club", "7")),
    ([("card", "10"), ("friend_code", "7"), ("partner_code", "3")], ("card", "10")),
    ([("partner_code", "15"), ("club", "15")], ("club", "15")),  # tie: earlier source
    ([("card", "0"), ("club", "0")], None),
    ([("card", "3"), ("card", "3.5")], ("card", "3.5")),
])
def test_the_largest_discount_wins_and_discounts_are_never_summed(
        offers: list[tuple[str, str]], winner: tuple[str, str] | None) -> None:
    best = resolve_discount(cands(*offers))
    assert (None if best is None else (best.source, str(best.percent))) == winner


@pytest.mark.parametrize(("price", "qty", "pct", "gross", "discount", "net"), [
    ("100.00", "1", None, "100.00", "0.00", "100.00"),
    ("100.00", "2", "5", "200.00", "10.00", "190.00"),
    ("33.33", "3", "10", "99.99", "10.00", "89.99"),
    ("19.99", "0.335", "7", "6.70", "0.47", "6.23"),  # weighed goods
    ("0.01", "1", "50", "0.01", "0.01", "0.00"),  # half-up on the discount
])
def test_a_line_is_priced_with_one_rounding(price: str, qty: str, pct: str | None, gross: str,
                                            discount: str, net: str) -> None:
    offer = DiscountCandidate("card", D(pct)) if pct else None
    line = price_line(D(price), D(qty), offer)
    assert (line.gross, line.discount_amount, line.net) == (D(gross), D(discount), D(net))


@pytest.mark.parametrize(("net", "share", "paid", "balance", "due", "limit"), [
    ("200.00", "50", "0", "500", "200.00", "100.00"),   # the share rule binds
    ("200.00", "50", "0", "30", "200.00", "30"),        # the balance binds
    ("200.00", "50", "80", "500", "120.00", "20.00"),   # part already paid in bonuses
    ("200.00", "100", "0", "500", "50.00", "50.00"),    # never more than due
    ("200.00", "50", "0", "0", "200.00", "0"),
    ("99.99", "50", "0", "500", "99.99", "50.00"),
])
def test_bonuses_pay_at_most_the_share_the_balance_and_the_due(
        net: str, share: str, paid: str, balance: str, due: str, limit: str) -> None:
    assert bonus_payment_limit(D(net), D(share), D(paid), D(balance), D(due)) == D(limit)


def test_a_line_returned_in_parts_gives_back_exactly_its_net() -> None:
    net, qty = D("100.00"), D("3")
    parts = [returned_line_net(net, qty, D(i), D(1)) for i in range(3)]
    assert parts == [D("33.33"), D("33.34"), D("33.33")]
    assert sum(parts) == net


def test_a_refund_follows_the_payment_methods_and_cash_takes_the_rest() -> None:
    refund = split_refund(D("300.00"), D("0"), D("100.00"),
                          {"bonus": D("100.00"), "card": D("50.00"), "cash": D("150.00")})
    assert refund == {"bonus": D("33.33"), "card": D("16.67"), "cash": D("50.00")}


@given(st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=6),
       st.decimals(min_value=0, max_value=1000, places=2),
       st.decimals(min_value=0, max_value=1000, places=2))
def test_refunds_of_a_fully_returned_sale_give_back_every_payment(
        steps: list[int], bonus: Decimal, card: Decimal) -> None:
    net = bonus + card + D("10.00")
    paid = {"bonus": bonus, "card": card, "cash": D("10.00")}
    whole = D(sum(steps))
    totals = {"bonus": D(0), "card": D(0), "cash": D(0)}
    done = returned = D(0)
    for step in steps:
        now = cumulative_part(net, done, D(step), whole)
        for method, amount in split_refund(net, returned, now, paid).items():
            totals[method] += amount
        done, returned = done + step, returned + now
    assert totals == paid
