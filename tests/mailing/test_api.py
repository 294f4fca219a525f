"""Mailings through the API: a CRM sends a mailing to the customers it chose, previews
and test-sends it, follows each message to the real SMTP server, and sets up the
provider (its password is written, never read back)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.conftest import make_token
from tests.factories import CustomerFactory
from tests.mailing.conftest import SmtpSink, use_smtp
from wordofmouth.mailing import settings as mail_settings
from wordofmouth.mailing.worker import Worker


def test_a_crm_sends_a_mailing_and_follows_it(client: TestClient, db: Session,
                                               smtp: SmtpSink, joined: Any) -> None:
    use_smtp(db, smtp.port)
    olena = CustomerFactory.create(first_name="Olena", last_name="Koval",
                                   email="olena@example.com", consent_email=True)
    taras = CustomerFactory.create(first_name="Taras", last_name="Bondar",
                                   email="taras@example.com", consent_email=False)
    h = make_token(db, "mailings:read", "mailings:write")
    template = {"channel": "email", "subject": "{first_name}, spring is here",
                "body": "Hello {first_name}!"}
    r = client.post("/api/mailings/preview", headers=h, json={**template,
                                                              "customer_id": olena.id})
    assert r.json()["subject"] == "Olena, spring is here"
    assert r.json()["body"].startswith("Hello Olena!\n")
    assert "https://shop.example/unsubscribe/" in r.json()["body"]  # as she will get it
    r = client.post("/api/mailings/test", headers=h, json={
        **template, "customer_id": olena.id, "to": "owner@example.com"})
    assert r.json()["status"] == "sent" and smtp.to() == ["owner@example.com"]
    bad = client.post("/api/mailings", headers=h, json={**template, "body": "Hi {nme}",
                                                        "customer_ids": [olena.id]})
    assert bad.status_code == 422 and bad.json()["error"] == "unknown_placeholder"
    r = client.post("/api/mailings", headers=h | {"Idempotency-Key": "spring-1"}, json={
        **template, "name": "Spring", "customer_ids": [olena.id, taras.id]})
    assert r.status_code == 201, r.text
    mailing = r.json()
    assert mailing["counts"] == {"queued": 1, "sending": 0, "sent": 0, "failed": 0,
                                 "skipped": 1}
    Worker(make=joined, log_path="/dev/null").run_once()
    assert sorted(smtp.to()) == ["olena@example.com", "owner@example.com"]
    assert client.get(f"/api/mailings/{mailing['id']}", headers=h).json()["counts"]["sent"] == 1
    messages = client.get(f"/api/mailings/{mailing['id']}/messages", headers=h).json()
    assert {(m["recipient"], m["status"], m["answer"]) for m in messages} == {
        ("Olena Koval", "sent", "250 accepted by the SMTP server"),
        ("Taras Bondar", "skipped", "no consent for e-mail")}
    skipped = client.get(f"/api/mailings/{mailing['id']}/messages?status=skipped",
                         headers=h).json()
    assert [m["recipient"] for m in skipped] == ["Taras Bondar"]
    newest = client.get("/api/mailings", headers=h).json()[0]
    assert newest["name"] == "Spring" and newest["audience"] == "chosen through the API"
    assert client.get("/api/mailings/999999", headers=h).json()["error"] == "mailing_not_found"


def test_the_owner_sets_up_smtp_and_its_password_is_never_read_back(
        client: TestClient, db: Session) -> None:
    h = make_token(db, "settings:read", "settings:write")
    r = client.patch("/api/mailing/settings", headers=h, json={
        "email_transport": "smtp", "smtp_host": "mail.example.com", "smtp_port": 465,
        "smtp_security": "ssl", "smtp_user": "shop", "smtp_password": "s3cret-pass"})
    assert r.status_code == 200, r.text
    assert r.json()["secrets_set"] == ["smtp_password"] and "s3cret-pass" not in r.text
    assert mail_settings.get(db).smtp_password == "s3cret-pass"
    assert "s3cret-pass" not in client.get("/api/mailing/settings", headers=h).text
    r = client.patch("/api/mailing/settings", headers=h, json={"smtp_port": 70000})
    assert r.status_code == 422 and mail_settings.get(db).smtp_port == 465
