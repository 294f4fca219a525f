"""The monthly statement e-mailed to each partner who asked for it, through the outbox, over
a real SMTP server on loopback: the PDF attached, the figures in the letter, once per
partner per month however many times the job runs."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from email.message import Message as EmailMessage
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories import CardFactory, CustomerFactory
from tests.mailing.conftest import SmtpSink, use_smtp
from tests.partners.helpers import partner
from tests.sales.helpers import product, sell
from tests.web.pages import login
from wordofmouth.calendar import today_date
from wordofmouth.errors import InvalidInput
from wordofmouth.mailing import audience, service
from wordofmouth.mailing.models import Mailing, Message
from wordofmouth.mailing.worker import Worker
from wordofmouth.partners import service as partners
from wordofmouth.settings import service as store_settings
from wordofmouth.storefront import statement_mail

D = Decimal


def _bytes(part: EmailMessage) -> bytes:
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload


def _this_month(db: Session) -> tuple[date, date]:
    today = today_date(store_settings.zone(db))
    return today.replace(day=1), today


def _salons(db: Session) -> tuple[int, int, int]:
    """Salon Lily (asks for the statement; 100.00 earned this month), Gym Olymp (asks, no
    movements), Studio Nova (does not ask)."""
    lily = partner(db, "Salon Lily", rate="10")
    gym, nova = partner(db, "Gym Olymp"), partner(db, "Studio Nova")
    for p, email in ((lily, "lily@salon.example"), (gym, "gym@olymp.example"),
                     (nova, "nova@studio.example")):
        partners.update_partner(db, p.id, actor="owner", email=email,
                                statement_by_email=p is not nova)
    olena = CustomerFactory.create(first_name="Olena", last_name="Koval")
    card = CardFactory.create(customer_id=olena.id)
    partners.link(db, olena.id, lily.id, actor="cashier")
    sell(db, [(product("1000.00"), "1")], card_number=card.number)
    return lily.id, gym.id, nova.id


def test_each_partner_who_asked_gets_last_months_statement_once(
        db: Session, smtp: SmtpSink, joined: Any) -> None:
    use_smtp(db, smtp.port)
    lily, gym, _nova = _salons(db)
    start, end = _this_month(db)
    month, added = statement_mail.send_month(db, start, end, actor="scheduler")
    assert month is not None and added == 2
    assert month.client_key == f"statements:{start:%Y-%m}"
    again, more = statement_mail.send_month(db, start, end, actor="scheduler")
    assert (again, more) == (month, 0)  # the job runs every few minutes: nothing twice
    db.commit()
    Worker(make=joined, log_path="/dev/null").run_once()
    assert smtp.to() == ["gym@olymp.example", "lily@salon.example"]
    letter = next(m for m in smtp.received if m["To"] == "lily@salon.example")
    assert "List-Unsubscribe" not in letter  # a partner's letter, not a marketing one
    parts = [p for p in letter.walk() if not p.is_multipart()]
    text = _bytes(parts[0]).decode()
    assert "Hello, Salon Lily!" in text
    assert "Earned: 100.00" in text and "payable 0.00, pending 100.00" in text
    assert "https://shop.example/portal/statement" in text
    [pdf] = [p for p in parts if p.get_content_type() == "application/pdf"]
    assert pdf.get_filename() == f"reward-statement-{start}-{end}.pdf"
    pages = PdfReader(io.BytesIO(_bytes(pdf))).pages
    content = " ".join(p.extract_text() for p in pages)
    assert "Salon Lily" in content and "Olena K." in content and "Koval" not in content
    assert "100.00" in content
    names = {name: (m.status, m.attachment_name) for m, name in audience.messages(db, month.id)}
    assert names == {"Salon Lily": ("sent", f"reward-statement-{start}-{end}.pdf"),
                     "Gym Olymp": ("sent", f"reward-statement-{start}-{end}.pdf")}
    Worker(make=joined, log_path="/dev/null").run_once()
    assert len(smtp.received) == 2
    assert db.scalar(select(func.count()).select_from(Mailing)) == 1
    assert {m.partner_id for m in db.scalars(select(Message))} == {lily, gym}


def test_a_partner_who_asks_later_gets_the_month_and_nobody_asking_makes_no_mailing(
        db: Session) -> None:
    lily, _gym, nova = _salons(db)
    start, end = _this_month(db)
    partners.update_partner(db, lily, actor="owner", statement_by_email=False)
    for p in partners.statement_subscribers(db):
        partners.update_partner(db, p.id, actor="owner", statement_by_email=False)
    assert statement_mail.send_month(db, start, end, actor="scheduler") == (None, 0)
    partners.update_partner(db, nova, actor="owner", statement_by_email=True)
    month, added = statement_mail.send_month(db, start, end, actor="scheduler")
    assert month is not None and added == 1
    partners.update_partner(db, lily, actor="owner", statement_by_email=True)
    assert statement_mail.send_month(db, start, end, actor="scheduler") == (month, 1)
    assert service.counts(db, month.id)["queued"] == 2


def test_the_setting_needs_an_email_address(db: Session) -> None:
    p = partner(db, "Foreman Petro")
    with pytest.raises(InvalidInput, match="give the partner an e-mail address"):
        partners.update_partner(db, p.id, actor="owner", statement_by_email=True)


def test_the_owner_ticks_the_setting_and_emails_the_statement_now(
        client: TestClient, db: Session) -> None:
    lily, _gym, nova = _salons(db)
    csrf = login(client, "owner")
    page = client.get(f"/partners/{nova}")
    assert 'name="statement_by_email"' in page.text
    start, end = _this_month(db)
    shown = client.get(f"/partners/{lily}/statement?date_from={start}&date_to={end}")
    assert "E-mail it to the partner" in shown.text
    key = shown.text.split('name="client_key" value="')[1].split('"')[0]
    form = {"csrf_token": csrf, "client_key": key, "date_from": str(start),
            "date_to": str(end)}
    r = client.post(f"/partners/{lily}/statement/email", data=form)
    assert r.status_code == 200 and "The statement is queued for Salon Lily" in r.text
    client.post(f"/partners/{lily}/statement/email", data=form)  # the form sent twice
    [one] = db.scalars(select(Message).where(Message.partner_id == lily))
    assert one.status == "queued" and one.address == "lily@salon.example"
    assert one.attachment is not None and one.attachment[:5] == b"%PDF-"
    assert "Нараховано: 100,00" in one.body  # in the language the store speaks
    follow = client.get(f"/mailings/{one.mailing_id}")
    assert "Salon Lily" in follow.text and f"reward-statement-{start}-{end}.pdf" in follow.text
