"""Webhook API bodies and answers."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from wordofmouth.schemas import Out, Strict


class EndpointIn(Strict):
    url: str = Field(min_length=1, max_length=500,
                     description="https:// (http:// only for this machine)")
    events: list[str] = Field(default_factory=lambda: ["*"],
                              description="Event types, or [\"*\"] for all")
    description: str = Field(default="", max_length=200)


class EndpointPatch(Strict):
    url: str | None = Field(default=None, min_length=1, max_length=500)
    events: list[str] | None = None
    description: str | None = Field(default=None, max_length=200)
    active: bool | None = None


class EndpointOut(Out):
    id: int
    url: str
    description: str
    events: list[str]
    active: bool
    secret: str = Field(description="whsec_…: verify each delivery's webhook-signature")
    previous_secret_until: datetime | None = Field(
        description="After a rotation the previous secret signs too, until then")


class AttemptOut(Out):
    at: datetime
    status_code: int | None
    response: str
    error: str
    milliseconds: int


class DeliveryOut(Out):
    id: int
    message_id: str = Field(description="The webhook-id header: the same on every attempt")
    event_type: str
    status: str = Field(description="pending | sending | delivered | failed")
    created_at: datetime
    attempts: list[AttemptOut]
    payload: str
