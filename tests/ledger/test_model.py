"""A model test of the ledger: hypothesis draws random interleavings of sales (with cards,
bonus payments, partner customers and friend codes), returns, commission maturing, payouts
and club reviews with decisions; after every step every invariant holds."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories import CardFactory, CustomerFactory
from tests.friends.helpers import campaign
from tests.partners.helpers import partner
from tests.sales.helpers import product
from wordofmouth.calendar import DEFAULT_ZONE, today, zone
from wordofmouth.club import service as club
from wordofmouth.club.rules import ClubStatus
from wordofmouth.db import utcnow
from wordofmouth.errors import DomainError
from wordofmouth.friends import service as friends
from wordofmouth.friends.models import FriendCode, FriendReferral
from wordofmouth.ledger import service as ledger
from wordofmouth.ledger.models import AccountKind, LedgerEntry
from wordofmouth.partners import commission, payouts
from wordofmouth.partners import service as partners
from wordofmouth.partners.models import Payout
from wordofmouth.sales import payments, returns, service
from wordofmouth.sales.models import PaymentMethod, Sale

D = Decimal
DB: dict[str, Session] = {}


class Store(RuleBasedStateMachine):
    """The store under random use; `DB["session"]` is the test's session (each example runs
    in a savepoint rolled back at teardown)."""

    @initialize()
    def open_store(self) -> None:
        self.db = DB["session"]
        self.savepoint = self.db.begin_nested()
        self.partner = partner(self.db, "Model partner", rate="10")
        club.save_settings(self.db, actor="model", enabled=True, discount_percent=D("5"),
                           accumulation_amount=D("300"), accumulation_days=30,
                           confirmation_amount=D("300"), confirmation_days=30,
                           started_day=today(zone(DEFAULT_ZONE)) - 60)
        self.campaign = campaign(self.db, bonus_amount=D("20"))
        self.cards = []
        for n in range(4):
            c = CardFactory.create(bonus_percent=D(["0", "3", "5", "10"][n]))
            if n % 2:
                partners.link(self.db, c.customer_id, self.partner.id, actor="model")
            self.cards.append(c)
        self.goods = [product(p) for p in ("19.99", "100.00", "0.35", "450.00")]
        self.sales: list[int] = []
        self.codes: list[str] = []
        self.paid_out = D("0")
        self.day = today(zone(DEFAULT_ZONE))

    def teardown(self) -> None:
        if hasattr(self, "savepoint"):
            self.savepoint.rollback()

    def _attempt(self, action) -> None:  # type: ignore[no-untyped-def]
        step = self.db.begin_nested()
        try:
            action()
            step.commit()
        except DomainError:
            step.rollback()  # a refused step changes nothing

    @rule(who=st.integers(0, 4), what=st.integers(0, 3), qty=st.integers(1, 3),
          bonus_share=st.integers(0, 100))
    def sell(self, who: int, what: int, qty: int, bonus_share: int) -> None:
        self._sale(self.cards[who].number if who < 4 else None, what, qty, bonus_share)

    @precondition(lambda self: bool(self.codes))
    @rule(what=st.integers(0, 3), qty=st.integers(1, 3))
    def friend_buys(self, what: int, qty: int) -> None:
        """A new customer's first purchase with a friend code."""
        friend = CardFactory.create(customer_id=CustomerFactory.create().id).number
        self._sale(friend, what, qty, 0, code=self.codes.pop())

    def _sale(self, number: str | None, what: int, qty: int, bonus_share: int,
              code: str | None = None) -> None:
        def run() -> None:
            sale = service.create_sale(self.db, service.SaleDraft(
                lines=[service.LineDraft(product_id=self.goods[what].id, qty=D(qty))],
                card_number=number), actor="model", channel="pos")
            if code:
                friends.attach(self.db, sale, code)
            drafts = []
            if number is not None and bonus_share:
                customer = sale.customer_id or 0
                available = ledger.balance(self.db, AccountKind.CUSTOMER_BONUS, customer)
                part = min(available, (sale.net_total * bonus_share / 200).quantize(D("1")))
                if part > 0:
                    drafts.append(payments.PaymentDraft(PaymentMethod.BONUS, part))
            rest = sale.net_total - sum((d.amount for d in drafts), D("0"))
            drafts.append(payments.PaymentDraft(PaymentMethod.CASH, rest))
            payments.pay(self.db, sale.id, drafts)
            self.sales.append(sale.id)

        self._attempt(run)

    @rule(pick=st.integers(0, 200), qty=st.integers(1, 3))
    def give_back(self, pick: int, qty: int) -> None:
        if not self.sales:
            return
        sale = service.get_sale(self.db, self.sales[pick % len(self.sales)])
        line = sale.lines[0]
        self._attempt(lambda: returns.return_items(
            self.db, sale.id, [returns.ReturnItem(line.id, D(qty))], actor="model"))

    @rule(who=st.integers(0, 3))
    def issue_code(self, who: int) -> None:
        self._attempt(lambda: self.codes.extend(c.code for c in friends.issue_codes(
            self.db, customer_id=self.cards[who].customer_id, campaign_id=self.campaign.id,
            count=1, actor="model")))

    @rule(days=st.integers(0, 20))
    def mature(self, days: int) -> None:
        commission.mature(self.db, now=utcnow() + timedelta(days=days))

    @rule(amount=st.integers(1, 5000))
    def pay_partner(self, amount: int) -> None:
        value = D(amount) / 100

        def run() -> None:
            payouts.pay_out(self.db, self.partner.id, amount=value, method="cash",
                            actor="model")
            self.paid_out += value

        self._attempt(run)

    @rule(grant=st.booleans())
    def club_day(self, grant: bool) -> None:
        self.day += 1
        self._attempt(lambda: club.run_review(self.db, day=self.day, actor="model"))
        ids = club.candidates_ids(self.db, ClubStatus.CANDIDATE_JOIN)
        if ids:
            self._attempt(lambda: club.decide(self.db, customer_ids=ids,
                                              action="grant" if grant else "decline",
                                              actor="model", day=self.day))

    @invariant()
    def balances_equal_their_entries(self) -> None:
        if hasattr(self, "db"):
            assert ledger.verify(self.db) == []

    @invariant()
    def no_source_posts_twice(self) -> None:
        if hasattr(self, "db"):
            n, distinct = self.db.execute(select(
                func.count(LedgerEntry.id), func.count(func.distinct(LedgerEntry.source_key)))
            ).one()
            assert n == distinct

    @invariant()
    def payouts_match_paid_and_never_exceed_what_was_payable(self) -> None:
        if hasattr(self, "db"):
            b = commission.balance(self.db, self.partner.id)
            recorded = self.db.scalar(select(func.coalesce(func.sum(Payout.amount), 0))
                                      .where(Payout.partner_id == self.partner.id))
            assert b.paid == self.paid_out == recorded
            assert b.pending >= 0

    @invariant()
    def returns_never_exceed_sales_and_codes_are_used_once(self) -> None:
        if hasattr(self, "db"):
            assert self.db.scalar(select(func.count(Sale.id)).where(
                Sale.returned_net > Sale.net_total)) == 0
            used = self.db.scalar(select(func.count(FriendCode.id)).where(
                FriendCode.status == "used"))
            assert used == self.db.scalar(select(func.count()).select_from(FriendReferral))


@pytest.mark.filterwarnings("ignore")
def test_random_interleavings_keep_every_invariant(db: Session) -> None:
    DB["session"] = db
    Store.TestCase.settings = settings(max_examples=25, stateful_step_count=40, deadline=None,
                                       suppress_health_check=list(HealthCheck))
    Store.TestCase().runTest()
