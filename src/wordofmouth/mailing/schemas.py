"""Mailings and their settings in the API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field, model_validator

from wordofmouth.i18n import gettext
from wordofmouth.schemas import Out, Strict

ChannelIn = Literal["email", "sms", "viber"]


class TemplateIn(Strict):
    channel: ChannelIn = "email"
    subject: str = Field(default="", max_length=200, description="E-mail only")
    body: str = Field(min_length=1, max_length=5000,
                      description="With placeholders such as {first_name}, {bonus_balance}")


class MailingIn(TemplateIn):
    name: str = Field(default="", max_length=160)
    customer_ids: list[int] | None = Field(default=None, max_length=1_000_000)
    club_list: Literal["member", "candidate_join", "candidate_extend",
                       "candidate_exclude"] | None = Field(
        default=None, description="Everyone on a club list, instead of customer_ids")

    @model_validator(mode="after")
    def _one_audience(self) -> MailingIn:
        if (self.customer_ids is None) == (self.club_list is None):
            raise ValueError(gettext("give exactly one of customer_ids or club_list"))
        return self


class PreviewIn(TemplateIn):
    customer_id: int


class TestSendIn(PreviewIn):
    to: str = Field(min_length=3, max_length=254, description="An e-mail address or a phone")


class PreviewOut(Out):
    subject: str
    body: str


class TestSendOut(Out):
    status: str = Field(description="sent | retry | failed")
    answer: str = Field(description="The provider's answer")


class MailingOut(Out):
    id: int
    name: str
    channel: str
    subject: str
    body: str
    audience: str = Field(description="How the customers were chosen")
    created_by: str
    created_at: datetime
    finished_at: datetime | None
    counts: dict[str, int] = Field(description="Messages in each status: queued, sending, "
                                               "sent, failed, skipped")


class MessageOut(Out):
    id: int
    customer_id: int | None
    partner_id: int | None
    recipient: str = Field(description="The customer's or partner's name")
    channel: str
    address: str
    status: str
    attempts: int
    answer: str = Field(description="The provider's answer, or why it was skipped")


class RetryOut(Out):
    queued_again: int


class MailSettingsIn(Strict):
    sender_email: str | None = Field(default=None, max_length=254)
    sender_name: str | None = Field(default=None, max_length=120)
    email_transport: Literal["log", "smtp"] | None = None
    smtp_host: str | None = Field(default=None, max_length=200)
    smtp_port: int | None = None
    smtp_security: Literal["starttls", "ssl", "none"] | None = None
    smtp_user: str | None = Field(default=None, max_length=200)
    smtp_password: str | None = Field(default=None, max_length=200)
    sms_provider: Literal["log", "twilio"] | None = None
    twilio_url: str | None = Field(default=None, max_length=300)
    twilio_account_sid: str | None = Field(default=None, max_length=120)
    twilio_auth_token: str | None = Field(default=None, max_length=200)
    sms_sender: str | None = Field(default=None, max_length=40)
    viber_provider: Literal["log", "infobip"] | None = None
    infobip_url: str | None = Field(default=None, max_length=300)
    infobip_api_key: str | None = Field(default=None, max_length=200)
    viber_sender: str | None = Field(default=None, max_length=40)
    email_per_second: int | None = None
    sms_per_second: int | None = None
    viber_per_second: int | None = None
    phone_region: str | None = Field(default=None, max_length=2)
    public_url: str | None = Field(default=None, max_length=300)


class MailSettingsOut(Out):
    sender_email: str
    sender_name: str
    email_transport: str
    smtp_host: str
    smtp_port: int
    smtp_security: str
    smtp_user: str
    sms_provider: str
    twilio_url: str
    twilio_account_sid: str
    sms_sender: str
    viber_provider: str
    infobip_url: str
    viber_sender: str
    email_per_second: int
    sms_per_second: int
    viber_per_second: int
    phone_region: str
    public_url: str
    secrets_set: list[str] = Field(description="Which secrets are set (never their values)")
