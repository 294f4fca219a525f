"""The reward statement e-mailed to partners through the mailing outbox, with its PDF (the
portal's: customers by first name and last initial).

- Monthly: each active partner whose "e-mail the statement every month" is on gets the
  statement of each month once, early in the next — one mailing per month (client key
  `statements:YYYY-MM`), locked while letters are added, one letter per partner (unique),
  so the scheduler of every server process and `wom partners send-statements` may all run
  it. A partner who turns the setting on during a month gets the previous month's at the
  next check.
- Now: the owner e-mails the statement of the period on screen from the statement page.

Letters are written in the language the store speaks to its people; the worker sends them
after the commit, as every mailing's messages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wordofmouth import db as database
from wordofmouth import i18n
from wordofmouth.errors import InvalidInput
from wordofmouth.i18n import gettext
from wordofmouth.mailing import service as mailing
from wordofmouth.mailing import settings as mail_settings
from wordofmouth.partners import service as partners
from wordofmouth.partners import settlement
from wordofmouth.settings import service as store_settings
from wordofmouth.storefront import statement

if TYPE_CHECKING:  # another capability's tables, named in type hints only
    from wordofmouth.mailing.models import Mailing
    from wordofmouth.partners.models import Partner


def month_before(today: date) -> tuple[date, date]:
    """The first and the last day of the month before `today`'s."""
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def letter(session: Session, partner: Partner, start: date, end: date) -> mailing.Letter:
    settled = settlement.statement(session, partner.id, start, end, masked=True)
    storefront = statement.statement(session, partner.id, start, end)
    store = store_settings.get(session)
    portal = f"{mail_settings.get(session).public_url}/portal/statement"
    with i18n.use(store.language):
        pdf = statement.pdf(session, settled, storefront)
        period = f"{i18n.day(start)} – {i18n.day(end)}"
        subject = gettext("{store}: your reward statement for {period}").format(
            store=store.store_name, period=period)
        body = gettext(
            "Hello, {partner}!\n\nYour reward statement for {period} is attached (PDF).\n\n"
            "Opening balance: {opening}\nEarned: {earned}\nPaid out: {paid}\n"
            "Closing balance: {closing} (payable {payable}, pending {pending})\n\n"
            "The statement is in your partner portal too: {portal}\n\n{store}\n\n--\n"
            "You receive this e-mail because {store} sends you your statement; ask the "
            "store to stop it.").format(
            partner=partner.name, period=period, opening=i18n.money(settled.opening),
            earned=i18n.money(settled.earned()), paid=i18n.money(settled.paid_from_balance),
            closing=i18n.money(settled.closing), payable=i18n.money(settled.closing_payable),
            pending=i18n.money(settled.closing_pending), portal=portal,
            store=store.store_name)
    return mailing.Letter(partner.id, partner.email, subject, body,
                          f"reward-statement-{start}-{end}.pdf", pdf)


def send_month(session: Session, start: date, end: date, *, actor: str
               ) -> tuple[Mailing | None, int]:
    """Queue the month's statement for every partner who asked for it and has not got it
    yet; the month's mailing (None when nobody asked) and how many letters were added."""
    asking = partners.statement_subscribers(session)
    if not asking:
        return None, 0
    with i18n.use(store_settings.get(session).language):
        name = gettext("Reward statements for {0}").format(f"{start:%m.%Y}")
        note = gettext("Partners who asked for their monthly statement")
    month = mailing.letters_mailing(session, name=name, subject=name, audience_note=note,
                                    actor=actor, client_key=f"statements:{start:%Y-%m}")
    have = mailing.partners_in(session, month.id)
    added = mailing.add_letters(session, month, (
        letter(session, p, start, end) for p in asking if p.id not in have))
    return month, added


def queue_month(start: date, end: date, *, actor: str,
                make: Callable[[], Session] | None = None) -> tuple[int | None, int]:
    """`send_month` in a transaction of its own, for the scheduler and `wom partners
    send-statements`: when another process created the month's mailing at the same moment
    (the unique client key refused this one), once more — now it finds that mailing and
    waits for its lock. The mailing's id (None: nobody asks) and the letters added."""
    for attempt in (1, 2):
        try:
            with database.transaction(make) as session:
                found, added = send_month(session, start, end, actor=actor)
                return (found.id if found else None), added
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def send_now(session: Session, partner_id: int, start: date, end: date, *, actor: str,
             client_key: str) -> Mailing:
    """E-mail one partner the statement of a period now (a mailing of one letter)."""
    partner = partners.get_partner(session, partner_id)
    if not partner.email.strip():
        raise InvalidInput(gettext("Give {0} an e-mail address first.").format(partner.name))
    name = gettext("Reward statement for {0}").format(partner.name)
    one = mailing.letters_mailing(session, name=name, subject=name,
                                  audience_note=f"{i18n.day(start)} – {i18n.day(end)}",
                                  actor=actor, client_key=client_key[:64])
    mailing.add_letters(session, one, [letter(session, partner, start, end)])
    return one
