"""The channels behind one small interface: `send(message) -> Result`. E-mail goes over
SMTP; SMS through Twilio's Messages API; Viber through Infobip's Viber business messages
API; the "log" provider appends messages to a file (the demo store). A result says sent,
retry (later, maybe after the provider's Retry-After) or failed (with the reason)."""

from __future__ import annotations

import contextlib
import email.policy
import json
import smtplib
import ssl
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from pathlib import Path
from typing import Any, Protocol

import httpx2

from wordofmouth.mailing.settings import MailSettings

TIMEOUT = 15.0
# Long header values (the unsubscribe link) stay as they are instead of being encoded.
POLICY = email.policy.SMTP.clone(max_line_length=998)


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes
    mime: str = "application/pdf"


@dataclass(frozen=True)
class Outgoing:
    id: int
    channel: str
    address: str
    subject: str
    body: str
    headers: dict[str, str] = field(default_factory=dict)
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class Result:
    status: str  # sent | retry | failed
    answer: str
    provider_id: str = ""
    retry_after: float | None = None

    @classmethod
    def sent(cls, answer: str, provider_id: str = "") -> Result:
        return cls("sent", answer[:500], provider_id[:120])

    @classmethod
    def retry(cls, answer: str, retry_after: float | None = None) -> Result:
        return cls("retry", answer[:500], retry_after=retry_after)

    @classmethod
    def failed(cls, answer: str) -> Result:
        return cls("failed", answer[:500])


class Sender(Protocol):
    def send(self, message: Outgoing) -> Result: ...

    def close(self) -> None: ...


class LogSender:
    """Appends each message as one JSON line to a file (the demo store's provider)."""

    _lock = threading.Lock()

    def __init__(self, path: Path) -> None:
        self.path = path

    def send(self, message: Outgoing) -> Result:
        line = json.dumps({"id": message.id, "channel": message.channel, "to": message.address,
                           "subject": message.subject, "body": message.body,
                           "headers": message.headers,
                           "attachments": [{"filename": a.filename, "bytes": len(a.data)}
                                           for a in message.attachments]},
                          ensure_ascii=False)
        with self._lock, self.path.open("a", encoding="utf-8") as out:
            out.write(line + "\n")
        return Result.sent(f"written to {self.path.name}", f"log-{message.id}")

    def close(self) -> None:
        return None


class SmtpSender:
    """One SMTP connection, opened on first use and reopened after a failure."""

    def __init__(self, settings: MailSettings) -> None:
        self.s = settings
        self.conn: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.s
        if s.smtp_security == "ssl":
            conn: smtplib.SMTP = smtplib.SMTP_SSL(s.smtp_host, s.smtp_port, timeout=TIMEOUT,
                                                  context=ssl.create_default_context())
        else:
            conn = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=TIMEOUT)
            if s.smtp_security == "starttls":
                conn.starttls(context=ssl.create_default_context())
        if s.smtp_user:
            conn.login(s.smtp_user, s.smtp_password)
        return conn

    def email(self, message: Outgoing) -> EmailMessage:
        mail = EmailMessage(policy=POLICY)
        mail["From"] = formataddr((self.s.sender_name, self.s.sender_email))
        mail["To"] = message.address
        mail["Subject"] = message.subject
        mail["Message-ID"] = make_msgid(f"wom{message.id}",
                                        domain=self.s.sender_email.split("@")[-1])
        for name, value in message.headers.items():
            mail[name] = value
        mail.set_content(message.body)
        for a in message.attachments:
            maintype, subtype = a.mime.split("/", 1)
            mail.add_attachment(a.data, maintype=maintype, subtype=subtype,
                                filename=a.filename)
        return mail

    def send(self, message: Outgoing) -> Result:
        try:
            if self.conn is None:
                self.conn = self._connect()
            refused = self.conn.send_message(self.email(message))
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()))
            return self._answer(code, text)
        except smtplib.SMTPResponseException as exc:
            self.close()
            return self._answer(exc.smtp_code, exc.smtp_error)
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            return Result.retry(f"SMTP server {self.s.smtp_host}:{self.s.smtp_port} "
                                f"unreachable: {exc or type(exc).__name__}")
        if refused:
            code, text = next(iter(refused.values()))
            return self._answer(code, text)
        return Result.sent("250 accepted by the SMTP server", message.address)

    @staticmethod
    def _answer(code: int, text: bytes | str) -> Result:
        said = f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
        return Result.failed(said) if 500 <= code < 600 else Result.retry(said)

    def close(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self.conn.quit()
            self.conn = None


def _retry_after(response: httpx2.Response) -> float | None:
    raw = response.headers.get("retry-after", "")
    return float(raw) if raw.replace(".", "", 1).isdigit() else None


def _http_result(response: httpx2.Response, explain: str) -> Result | None:
    """Retry on 429 and 5xx; fail on other 4xx with the provider's reason; None on success."""
    if response.status_code == 429:
        return Result.retry(f"429 rate limited: {explain}", _retry_after(response))
    if response.status_code >= 500:
        return Result.retry(f"{response.status_code} provider error: {explain}",
                            _retry_after(response))
    if response.status_code >= 400:
        return Result.failed(f"{response.status_code} {explain}")
    return None


def _json(response: httpx2.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return {}


class TwilioSms:
    """Twilio Messages API: POST /2010-04-01/Accounts/{sid}/Messages.json, form fields To,
    From, Body, basic auth with the account SID and auth token."""

    def __init__(self, settings: MailSettings) -> None:
        self.s = settings
        self.client = httpx2.Client(timeout=TIMEOUT,
                                    auth=(settings.twilio_account_sid,
                                          settings.twilio_auth_token))

    def send(self, message: Outgoing) -> Result:
        url = (f"{self.s.twilio_url.rstrip('/')}/2010-04-01/Accounts/"
               f"{self.s.twilio_account_sid}/Messages.json")
        try:
            response = self.client.post(url, data={"To": message.address,
                                                   "From": self.s.sms_sender,
                                                   "Body": message.body})
        except httpx2.HTTPError as exc:
            return Result.retry(f"SMS provider unreachable: {exc}")
        body = _json(response)
        failed = _http_result(response, f"{body.get('code', '')} {body.get('message', '')}"
                              .strip() or response.text[:200])
        if failed is not None:
            return failed
        return Result.sent(f"{response.status_code} {body.get('status', 'accepted')}",
                           str(body.get("sid", "")))

    def close(self) -> None:
        self.client.close()


class InfobipViber:
    """Infobip Viber business messages: POST /viber/2/messages with `Authorization: App
    <key>`; one message, one destination, TEXT content."""

    def __init__(self, settings: MailSettings) -> None:
        self.s = settings
        self.client = httpx2.Client(timeout=TIMEOUT, headers={
            "Authorization": f"App {settings.infobip_api_key}", "Accept": "application/json"})

    def send(self, message: Outgoing) -> Result:
        payload = {"messages": [{
            "sender": self.s.viber_sender,
            "destinations": [{"to": message.address.lstrip("+"),
                              "messageId": f"wom-{message.id}"}],
            "content": {"type": "TEXT", "text": message.body}}]}
        try:
            response = self.client.post(f"{self.s.infobip_url.rstrip('/')}/viber/2/messages",
                                        json=payload)
        except httpx2.HTTPError as exc:
            return Result.retry(f"Viber provider unreachable: {exc}")
        body = _json(response)
        error = body.get("requestError", {}).get("serviceException", {})
        failed = _http_result(response, f"{error.get('messageId', '')} {error.get('text', '')}"
                              .strip() or response.text[:200])
        if failed is not None:
            return failed
        sent = (body.get("messages") or [{}])[0]
        status = sent.get("status", {})
        if status.get("groupName") in ("REJECTED", "UNDELIVERABLE", "EXPIRED"):
            return Result.failed(f"{status.get('name', '')}: {status.get('description', '')}")
        return Result.sent(f"{response.status_code} {status.get('name', 'accepted')}",
                           str(sent.get("messageId", "")))

    def close(self) -> None:
        self.client.close()


def for_channel(channel: str, settings: MailSettings, log_path: Path) -> Sender:
    if channel == "email":
        return SmtpSender(settings) if settings.email_transport == "smtp" else LogSender(
            log_path)
    if channel == "sms":
        return TwilioSms(settings) if settings.sms_provider == "twilio" else LogSender(log_path)
    return InfobipViber(settings) if settings.viber_provider == "infobip" else LogSender(
        log_path)
