"""A mailing from creation to delivery: the outbox, a real SMTP server on loopback, the SMS
and Viber providers' HTTP formats and answers, retries, the unsubscribe link."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from tests.factories import CardFactory, CustomerFactory
from tests.mailing.conftest import Provider, SmtpSink, use_smtp
from wordofmouth.db import utcnow
from wordofmouth.mailing import audience, errors, service
from wordofmouth.mailing import settings as mail_settings
from wordofmouth.mailing.models import Message
from wordofmouth.mailing.worker import Worker


def customers(*specs: tuple[str, str, str, bool, bool, bool]) -> list[int]:
    """Customers with cards; contacts are stored as given (as an import from an older
    system might have left them), valid or not."""
    ids = []
    for first, email, phone, e, s, v in specs:
        c = CustomerFactory.create(first_name=first, last_name="Koval", consent_email=e,
                            consent_sms=s, consent_viber=v)
        c.email, c.phone = email or None, phone or None
        CardFactory.create(customer_id=c.id)
        ids.append(c.id)
    return ids


def statuses(db: Session, mailing_id: int) -> dict[str, tuple[str, str]]:
    return {name.split()[0]: (m.status, m.answer)
            for m, name in audience.messages(db, mailing_id)}


def send_all(joined: Any) -> None:
    Worker(make=joined, log_path="/dev/null").run_once()


def test_an_email_mailing_reaches_exactly_the_consenting_customers(
        db: Session, smtp: SmtpSink, joined: Any) -> None:
    use_smtp(db, smtp.port)
    ids = customers(("Olena", "olena@example.com", "", True, False, False),
                    ("Taras", "taras@example.com", "", False, False, False),
                    ("Iryna", "not-an-address", "", True, False, False),
                    ("Oleh", "oleh@example.com", "", True, False, False))
    m = service.create(db, channel="email", subject="{first_name}, a gift for you",
                       body="Hello {first_name}! You have {bonus_balance} bonuses.",
                       customer_ids=[*ids, ids[0]], actor="owner")  # Olena twice: once
    assert service.counts(db, m.id) == {"queued": 2, "sending": 0, "sent": 0, "failed": 0,
                                        "skipped": 2}
    send_all(joined)
    assert smtp.to() == ["oleh@example.com", "olena@example.com"]
    olena = next(x for x in smtp.received if x["To"] == "olena@example.com")
    assert olena["Subject"] == "Olena, a gift for you"
    assert olena["From"] == "Beauty Corner <shop@beauty.example>"
    payload = olena.get_payload(decode=True)
    assert isinstance(payload, bytes)
    text = payload.decode()
    assert "Hello Olena! You have 0.00 bonuses." in text
    link = olena["List-Unsubscribe"].strip("<>")
    assert link.startswith("https://shop.example/unsubscribe/") and link in text
    assert olena["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    accepted = ("sent", "250 accepted by the SMTP server")
    assert statuses(db, m.id) == {
        "Olena": accepted, "Oleh": accepted, "Taras": ("skipped", "no consent for e-mail"),
        "Iryna": ("skipped", "no valid e-mail address")}
    send_all(joined)  # a restart sends nothing twice
    assert len(smtp.received) == 2


def test_smtp_down_keeps_messages_queued_saying_why_and_a_5xx_fails(
        db: Session, smtp: SmtpSink, joined: Any) -> None:
    from tests.mailing.conftest import free_port

    use_smtp(db, free_port())  # nothing listens there
    ids = customers(("Olena", "olena@example.com", "", True, False, False),
                    ("Taras", "nobody@example.com", "", True, False, False))
    m = service.create(db, channel="email", subject="News", body="Hi {first_name}",
                       customer_ids=ids, actor="owner")
    send_all(joined)
    olena = statuses(db, m.id)["Olena"]
    assert olena[0] == "queued" and "unreachable" in olena[1]
    use_smtp(db, smtp.port)
    smtp.refuse["nobody@example.com"] = "550 5.1.1 No such user"
    db.execute(update(Message).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    send_all(joined)
    assert statuses(db, m.id) == {"Olena": ("sent", "250 accepted by the SMTP server"),
                                  "Taras": ("failed", "550 5.1.1 No such user")}
    assert service.retry_failed(db, m.id, actor="owner") == 1
    assert statuses(db, m.id)["Taras"][0] == "queued"


def test_sms_goes_to_twilio_in_its_format_with_retries_and_reasons(
        db: Session, provider: Provider, joined: Any) -> None:
    mail_settings.update(db, actor="owner", sms_provider="twilio", twilio_url=provider.url,
                         twilio_account_sid="AC123", twilio_auth_token="secret",
                         sms_sender="+15005550006", sms_per_second=1000)
    ids = customers(("Olena", "", "050 111 22 33", False, True, False),
                    ("Taras", "", "+380671112233", False, True, False),
                    ("Iryna", "", "+380931112233", False, True, False))
    provider.script = [
        (201, {"sid": "SM100", "status": "queued"}, {}),
        (429, {"code": 20429, "message": "Too Many Requests"}, {"Retry-After": "5"}),
        (400, {"code": 21211, "message": "The 'To' number is not a valid phone number."}, {})]
    m = service.create(db, channel="sms", subject="", body="{first_name}: -10% today",
                       customer_ids=ids, actor="owner")
    send_all(joined)
    first = provider.requests[0]
    assert first["path"] == "/2010-04-01/Accounts/AC123/Messages.json"
    assert first["headers"]["Authorization"].startswith("Basic ")
    assert "To=%2B380501112233" in first["body"] and "Body=Olena%3A+-10%25+today" in \
        first["body"]
    got = statuses(db, m.id)
    assert got["Olena"] == ("sent", "201 queued")
    assert got["Taras"][0] == "queued" and "429" in got["Taras"][1]
    assert got["Iryna"] == ("failed",
                            "400 21211 The 'To' number is not a valid phone number.")
    message = next(x for x, n in audience.messages(db, m.id) if n.startswith("Taras"))
    wait = message.next_attempt_at - utcnow()
    assert timedelta(seconds=3) < wait <= timedelta(seconds=5)  # the provider's Retry-After


def test_viber_goes_to_infobip_and_falls_back_to_sms(
        db: Session, provider: Provider, joined: Any) -> None:
    mail_settings.update(db, actor="owner", viber_provider="infobip", sms_provider="twilio",
                         infobip_url=provider.url, infobip_api_key="key-1",
                         viber_sender="BeautyCorner", twilio_url=provider.url,
                         twilio_account_sid="AC1", twilio_auth_token="t", sms_sender="Beauty",
                         viber_per_second=1000, sms_per_second=1000)
    ids = customers(("Olena", "", "0501112233", False, True, True),
                    ("Taras", "", "0671112233", False, False, True))
    provider.script = [  # Olena's Viber message, her SMS, then Taras's Viber message
        (400, {"requestError": {"serviceException": {
            "messageId": "BAD_REQUEST", "text": "Not a Viber user"}}}, {}),
        (201, {"sid": "SM7", "status": "queued"}, {}),
        (200, {"messages": [{"messageId": "v-1", "status": {
            "groupName": "PENDING", "name": "PENDING_ENROUTE"}}]}, {}),
    ]
    m = service.create(db, channel="viber_sms", subject="", body="Hi {first_name}",
                       customer_ids=ids, actor="owner")
    # Olena (Viber, else SMS): Viber refuses → SMS; Taras: Viber only.
    send_all(joined)
    viber = [r for r in provider.requests if r["path"] == "/viber/2/messages"]
    sent = json.loads(viber[0]["body"])["messages"][0]
    assert viber[0]["headers"]["Authorization"] == "App key-1"
    assert sent["sender"] == "BeautyCorner" and sent["content"] == {"type": "TEXT",
                                                                     "text": "Hi Olena"}
    assert sent["destinations"][0]["to"] == "380501112233"
    got = {name.split()[0]: (msg.channel, msg.status, msg.answer)
           for msg, name in audience.messages(db, m.id)}
    assert got["Olena"][:2] == ("sms", "sent")
    assert got["Olena"][2].startswith("Viber: 400 BAD_REQUEST Not a Viber user → SMS: 201")
    assert got["Taras"] == ("viber", "sent", "200 PENDING_ENROUTE")


def test_bad_mailings_are_refused_and_write_nothing(db: Session) -> None:
    ids = customers(("Olena", "olena@example.com", "", True, False, False))
    with pytest.raises(errors.EmptyAudience):
        service.create(db, channel="email", subject="S", body="B", customer_ids=[],
                       actor="o")
    with pytest.raises(errors.UnknownPlaceholder):
        service.create(db, channel="email", subject="S", body="Hi {name}", customer_ids=ids,
                       actor="o")
    with pytest.raises(errors.InvalidAddress):
        service.test_send(db, channel="sms", subject="", body="x", customer_id=ids[0],
                          address="12", log_path="/dev/null")
    assert service.mailings(db) == []


def test_the_unsubscribe_link_records_the_opt_out(db: Session) -> None:
    ids = customers(("Olena", "olena@example.com", "", True, False, False))
    m = service.create(db, channel="email", subject="S", body="B", customer_ids=ids,
                       actor="o")
    token = service.unsubscribe_token(ids[0], "email", m.id)
    customer = service.opt_out(db, token)
    assert customer.consent_email is False
    assert statuses(db, m.id)["Olena"] == ("skipped", "opted out")
    with pytest.raises(errors.BadUnsubscribeLink):
        service.opt_out(db, token[:-2] + "xx")


def test_the_log_provider_writes_the_messages_to_a_file(db: Session, joined: Any,
                                                        tmp_path: Any) -> None:
    ids = customers(("Olena", "olena@example.com", "", True, False, False))
    service.create(db, channel="email", subject="Hi", body="Hello {first_name}",
                   customer_ids=ids, actor="o")
    out = tmp_path / "outbox.log"
    Worker(make=joined, log_path=str(out)).run_once()
    line = json.loads(out.read_text().splitlines()[0])
    assert (line["to"], line["subject"]) == ("olena@example.com", "Hi")
    assert line["body"].startswith("Hello Olena")
