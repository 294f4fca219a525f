"""Demo data: a realistic small store through the real services, or a large data set in bulk."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import ROUND_DOWN, Decimal

from faker import Faker
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wordofmouth.auth import service as auth
from wordofmouth.auth.models import User
from wordofmouth.calendar import day_of
from wordofmouth.catalog import service as catalog
from wordofmouth.catalog.models import Product
from wordofmouth.club import service as club
from wordofmouth.club.rules import ClubStatus
from wordofmouth.customers import service as customers
from wordofmouth.customers.models import Customer
from wordofmouth.demo.catalog import GROUPS, PARTNER_LOGIN, STAFF, STORE_NAME
from wordofmouth.friends import service as friends
from wordofmouth.friends.models import FriendCode
from wordofmouth.ledger import service as ledger
from wordofmouth.ledger.models import AccountKind
from wordofmouth.money import ZERO
from wordofmouth.partners import codes as partner_codes
from wordofmouth.partners import commission, milestones, payouts
from wordofmouth.partners import offers as partner_offers
from wordofmouth.partners import service as partners
from wordofmouth.sales import payments, returns, service
from wordofmouth.sales.models import PaymentMethod, SaleKind
from wordofmouth.scancodes.rules import ean13_check_digit
from wordofmouth.settings import service as store_settings
from wordofmouth.storefront import keys as storefront_keys

Progress = Callable[[str, int], None]  # (stage, units done) for a progress bar


def is_empty(session: Session) -> bool:
    return session.scalar(select(func.count(User.id))) == 0


def counts(session: Session) -> dict[str, int]:
    """What the store holds, for the line `wom demo --bulk` ends with."""
    from wordofmouth.customers.models import DiscountCard
    from wordofmouth.ledger.models import LedgerEntry
    from wordofmouth.partners.models import Partner
    from wordofmouth.sales.models import Sale, SaleLine

    tables = {"customers": Customer, "cards": DiscountCard, "partners": Partner,
              "sales": Sale, "sale lines": SaleLine, "ledger entries": LedgerEntry}
    return {name: int(session.scalar(select(func.count()).select_from(model)) or 0)
            for name, model in tables.items()}


def product_barcode(n: int) -> str:
    body = f"482{n:09d}"
    return body + ean13_check_digit(body)


def seed_staff(session: Session) -> list[tuple[str, str, str]]:
    for login, name, role, password in STAFF:
        user = auth.create_user(session, login=login, name=name, role=role,
                                password=password, actor="demo")
        auth.set_language(session, user.id, "uk")  # the demo store speaks Ukrainian
    return [(login, role, password) for login, _n, role, password in STAFF]


def seed_catalog(session: Session) -> list[Product]:
    products: list[Product] = []
    n = 0
    for top, subs in GROUPS.items():
        top_group = catalog.create_group(session, name=top)
        for sub, items in subs.items():
            group = catalog.create_group(session, name=sub, parent_id=top_group.id) if sub \
                else top_group
            for name, price, cost in items:
                n += 1
                products.append(catalog.create_product(
                    session, sku=f"SKU-{n:04d}", name=name, group_id=group.id,
                    price=Decimal(price), cost_price=Decimal(cost), barcode=product_barcode(n)))
    return products


def seed_store(session: Session, *, customers_count: int = 200, days: int = 120,
               sales_count: int = 1500, seed: int = 7,
               progress: Progress | None = None) -> list[tuple[str, str, str]]:
    """A realistic small store, built through the same services the till uses."""
    rng = random.Random(seed)
    fake = Faker("uk_UA")
    fake.seed_instance(seed)
    store_settings.update(session, actor="demo", store_name=STORE_NAME,
                          default_bonus_percent=Decimal("2"))
    logins = seed_staff(session)
    products = seed_catalog(session)
    people: list[Customer] = []
    start = datetime.now(UTC) - timedelta(days=days)
    for i in range(customers_count):
        first, last = fake.first_name(), fake.last_name()
        people.append(customers.create_customer(
            session, first_name=first, last_name=last,
            phone=f"+38067{rng.randrange(10**7):07d}",
            email=f"customer{i + 1}@example.com", consent_email=rng.random() < 0.7,
            consent_sms=rng.random() < 0.5, consent_viber=rng.random() < 0.3))
        people[-1].created_at = start - timedelta(days=rng.randint(0, 400))
        customers.issue_card(session, people[-1].id,
                             discount_percent=Decimal(rng.choice([0, 0, 3, 5, 5, 10])),
                             bonus_percent=Decimal(rng.choice([0, 2, 3, 5])))
        if progress:
            progress("customers", 1)
    _seed_partners(session, people, rng, products, start)
    logins.append((PARTNER_LOGIN[0], PARTNER_LOGIN[2], PARTNER_LOGIN[3]))
    referrers = rng.sample(people, min(20, len(people)))
    first_day = day_of(start, store_settings.zone(session))
    friend_codes = _seed_friend_codes(session, referrers, first_day=first_day, since=start)
    _blogger_card(session, referrers[0])
    bought: set[int] = set()
    for i in range(sales_count):
        at = start + timedelta(seconds=int(days * 86400 * i / sales_count))
        buyer = rng.choice(people) if rng.random() < 0.75 else None
        lines = [service.LineDraft(product_id=p.id, qty=Decimal(rng.choice([1, 1, 1, 2])))
                 for p in rng.sample(products, rng.randint(1, 4))]
        sale = service.create_sale(session, service.SaleDraft(
            lines=lines, customer_id=buyer.id if buyer else None, created_at=at),
            actor="cashier", channel="import")
        if buyer is not None and buyer.id not in bought and rng.random() < 0.3:
            code = next((c for c in friend_codes if c.referrer_id != buyer.id), None)
            if code is not None:  # a friend's first purchase with a code from a regular
                friend_codes.remove(code)
                friends.attach(session, sale, code.code)
        if buyer is not None:
            bought.add(buyer.id)
        drafts = []
        if buyer is not None and rng.random() < 0.2:
            balance = ledger.balance(session, AccountKind.CUSTOMER_BONUS, buyer.id)
            bonus = min(balance, (sale.net_total / 2).quantize(Decimal("1"), ROUND_DOWN))
            if bonus > 0:
                drafts.append(payments.PaymentDraft(PaymentMethod.BONUS, bonus))
        rest = sale.net_total - sum((d.amount for d in drafts), ZERO)
        drafts.append(payments.PaymentDraft(
            PaymentMethod.CARD if rng.random() < 0.55 else PaymentMethod.CASH, rest))
        payments.pay(session, sale.id, drafts, paid_at=at)
        if rng.random() < 0.04:
            line = rng.choice(sale.lines)
            returns.return_items(session, sale.id, [returns.ReturnItem(line.id, line.qty)],
                                 actor="manager", reason="не підійшло",
                                 at=at + timedelta(days=rng.randint(1, 10)))
        if progress:
            progress("sales", 1)
    session.flush()
    commission.mature(session)
    _seed_salon_payout(session)
    _seed_invoice_with_expense(session, people, products)
    _seed_storefront_orders(session, products, start)
    _seed_club(session, first_day=first_day)
    _seed_mailing(session, people)
    return logins


def _seed_partners(session: Session, people: list[Customer], rng: random.Random,
                   products: list[Product], since: datetime) -> None:
    """A salon with two stylists, a blogger with a promo code, a gym; a third of the
    customers linked to them, so the sales that follow earn commission."""
    skin_care = products[0].group.parent_id or products[0].group_id
    salon = partners.create_partner(session, actor="demo", name="Салон «Лілія»",
                                    kind="company", phone="+380442223344",
                                    payment_details="IBAN UA21 3223 1300 0002 6007 2335 6600 1")
    stylists = [partners.add_employee(session, salon.id, name=n).id
                for n in ("Ірина Ткаченко", "Марія Руденко")]
    login, name, role, password = PARTNER_LOGIN
    salon_user = auth.create_user(session, login=login, name=name, role=role,
                                  password=password, actor="demo", partner_id=salon.id)
    auth.set_language(session, salon_user.id, "uk")
    blogger = partners.create_partner(session, actor="demo", name="Блогерка Софія",
                                      kind="blogger", email="sofiia@example.com",
                                      statement_by_email=True)
    gym = partners.create_partner(session, actor="demo", name="Спортклуб «Олімп»",
                                  kind="company")
    commission.set_terms(session, salon.id, default_rate=Decimal("5"), months=None,
                         rates={skin_care: Decimal("10")}, actor="demo")
    commission.set_terms(session, blogger.id, default_rate=Decimal("7"), months=12, rates={},
                         actor="demo")
    commission.set_terms(session, gym.id, default_rate=Decimal("3"), months=6, rates={},
                         actor="demo")
    partner_codes.create_code(session, partner_id=blogger.id, code="SOFIIA10",
                              discount_percent=Decimal("10"))
    today = store_settings.today(session)
    partner_offers.create_offer(session, salon.id, name="Тиждень салону: догляд за шкірою",
                                discount_percent=Decimal("15"), group_id=skin_care,
                                valid_from_day=today - 7, valid_to_day=today + 30,
                                actor="demo")
    milestones.set_milestone(session, gym.id, every=5, minimum=Decimal("500"),
                             amount=Decimal("300"), actor="demo")
    storefront_keys.add_key(session, blogger.id, "sofiia", actor="demo")
    for customer in rng.sample(people, len(people) // 3):
        choice = rng.choice([salon.id, salon.id, blogger.id, gym.id])
        partners.link(session, customer.id, choice, actor="demo",
                      employee_id=rng.choice(stylists) if choice == salon.id else None)
        link = partners.link_of(session, customer.id)
        if link is not None:  # brought before the sales that follow, over the past months
            link.linked_at = since - timedelta(days=rng.randint(1, 240))


def _seed_salon_payout(session: Session) -> None:
    """The salon was paid half of what is payable by bank transfer: the customers whose
    reward it paid have a contact saying so on their card."""
    salon = next(p for p in partners.partners(session) if p.name == "Салон «Лілія»")
    payable = commission.balance(session, salon.id).payable
    half = (payable / 2).quantize(Decimal("1"), ROUND_DOWN)
    if half > 0:
        payouts.pay_out(session, salon.id, amount=half, method="bank_transfer", actor="owner")


def _blogger_card(session: Session, referrer: Customer) -> None:
    """The blogger also brings friends with friend codes: her bonuses land on her own card,
    which the balance page can cash out."""
    blogger = next(p for p in partners.partners(session) if p.kind == "blogger")
    card = customers.get_customer(session, referrer.id).main_card
    if card is not None:
        payouts.set_own_card(session, blogger.id, card.number, actor="demo")


def _seed_invoice_with_expense(session: Session, people: list[Customer],
                               products: list[Product]) -> None:
    """A wholesale invoice to a customer brought by the gym, paid, with a one-time reward to
    the gym linked to it as an expense (the invoice shows its profit)."""
    gym = next(p for p in partners.partners(session) if p.name == "Спортклуб «Олімп»")
    invoice = service.create_sale(session, service.SaleDraft(
        lines=[service.LineDraft(product_id=p.id, qty=Decimal(6)) for p in products[:3]],
        customer_id=people[0].id, kind=SaleKind.INVOICE), actor="manager", channel="office")
    payments.pay_invoice(session, invoice.id, [payments.PaymentDraft(PaymentMethod.BANK,
                                                                     invoice.net_total)])
    payouts.pay_one_time(session, gym.id, invoice_id=invoice.id, amount=Decimal("150"),
                         method="bank_transfer", actor="owner", note="винагорода за замовлення")


def _seed_storefront_orders(session: Session, products: list[Product],
                            start: datetime) -> None:
    """Online orders from the storefront: two accounts that came by the blogger's link
    (one with a subscription), one that came by itself."""
    from wordofmouth.storefront import orders, tokens

    blogger = next(p for p in partners.partners(session) if p.kind == "blogger")
    token = tokens.issue(blogger.id, "sofiia", at=datetime.now(UTC) - timedelta(days=6))
    for n, (account, kind, via_link) in enumerate((
            ("web-1001", "subscription_activation", True), ("web-1002", "one_time", True),
            ("web-1003", "one_time", False)), start=1):
        orders.report(session, external_id=f"WEB-{n:04d}", account_external_id=account,
                      email=f"{account}@example.com", token=token if via_link else None,
                      lines=[orders.OrderLine(Decimal("450.00"), kind,
                                              product_id=products[n].id)],
                      ordered_at=datetime.now(UTC) - timedelta(days=n), actor="storefront")


def _seed_mailing(session: Session, people: list[Customer]) -> None:
    """A reminder to customers who have not bought for a month: the server's worker sends it
    through the "log" provider (see Settings → Mailing to use a real SMTP server)."""
    from wordofmouth.analysis import activity
    from wordofmouth.mailing import service as mailing

    end = datetime.now(UTC).date()
    dormant = activity.Filter(start=end - timedelta(days=120), end=end, min_purchases=1,
                              dormant_since=end - timedelta(days=30), consent="email")
    ids = list(activity.customer_ids(session, dormant))
    if ids:
        mailing.create(session, channel="email", subject="{first_name}, ми сумуємо за вами",
                       body="Вітаємо, {first_name}! На вашій картці {card} чекають "
                            "{bonus_balance} бонусів. Завітайте до «{store_name}» — у нас "
                            "багато нового.",
                       customer_ids=ids, actor="manager", name="Ми сумуємо (неактивні)",
                       audience_note="клієнти з покупками, без жодної за останні 30 днів")


def _seed_friend_codes(session: Session, referrers: list[Customer], *,
                       first_day: int, since: datetime) -> list[FriendCode]:
    campaign = friends.create_campaign(
        session, name="Приведи подругу", start_day=first_day, validity_days=365,
        friend_discount_percent=Decimal("10"), bonus_rule="fixed", bonus_amount=Decimal("100"))
    issued: list[FriendCode] = []
    for referrer in referrers:
        issued += friends.issue_codes(session, customer_id=referrer.id,
                                      campaign_id=campaign.id, count=3, actor="owner")
    for code in issued:  # handed out on the campaign's first day, before any is used
        code.issued_at = since
    return issued


def _seed_club(session: Session, *, first_day: int) -> None:
    """Switch the club on from the first demo day, grant the candidates of two earlier
    reviews, then review today: members, and someone on every list of the club page."""
    club.save_settings(session, actor="demo", enabled=True, discount_percent=Decimal("7"),
                       accumulation_amount=Decimal("3000"), accumulation_days=30,
                       confirmation_amount=Decimal("2000"), confirmation_days=45,
                       started_day=first_day)
    for earlier in (store_settings.today(session) - 70, store_settings.today(session) - 30):
        club.run_review(session, day=earlier, actor="demo")
        ids = club.candidates_ids(session, ClubStatus.CANDIDATE_JOIN)
        if ids:
            club.decide(session, customer_ids=ids, action="grant", actor="owner", day=earlier)
    club.run_review(session, day=store_settings.today(session), actor="demo")
