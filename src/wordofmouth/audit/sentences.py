"""The audit log as sentences in the reader's language: who did what to whom, with names
(people, partners, sales, mailings), never bare ids or raw JSON. A read model: it reads the
names from the other capabilities' tables in one query per kind of target."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from wordofmouth.audit.models import AuditEvent
from wordofmouth.auth.models import ApiToken, User
from wordofmouth.customers.models import Customer
from wordofmouth.i18n import N_, gettext
from wordofmouth.i18n.words import WORDS, word
from wordofmouth.mailing.models import Mailing
from wordofmouth.partners.models import Partner, PartnerEmployee
from wordofmouth.sales.models import Sale

SENTENCES = {
    "settings.change": N_("{actor} changed {target}"),
    "user.create": N_("{actor} added the user {target}"),
    "user.change": N_("{actor} changed the user {target}"),
    "user.unlock": N_("{actor} unlocked the login {target}"),
    "token.create": N_("{actor} created the integration token {target}"),
    "token.revoke": N_("{actor} revoked the integration token {target}"),
    "sale.void": N_("{actor} voided {target}"),
    "sale.return": N_("{actor} took back goods of {target}"),
    "sale.price_override": N_("{actor} sold {target} at prices of its own"),
    "partner.create": N_("{actor} added the partner {target}"),
    "partner.rates": N_("{actor} changed the commission terms of {target}"),
    "partner.payout": N_("{actor} recorded a payout to {target}"),
    "partner.own_card": N_("{actor} set the own card of {target}"),
    "partner.milestone": N_("{actor} changed the milestone reward of {target}"),
    "partner.key": N_("{actor} added a referral key for {target}"),
    "mailing.create": N_("{actor} created the mailing {target}"),
    "mailing.retry": N_("{actor} queued the failed messages of {target} again"),
    "mailing.opt_out": N_("{target} unsubscribed"),
    "customer.relink": N_("{actor} re-linked {target} to another partner"),
    "customer.note": N_("{actor} wrote a note on {target}"),
    "customers.discount": N_("{actor} set a personal discount on customers' cards"),
    "partner.commission_held": N_("A commission of {target} was held for review"),
    "partner.commission_review": N_("{actor} decided on a held commission of {target}"),
    "partner.employee": N_("{actor} changed an employee of {target}"),
    "club.decision": N_("{actor} decided on the club membership of customers"),
}
SETTINGS_GROUPS = {"store": N_("the store settings"), "club": N_("the club settings"),
                   "mail": N_("the mailing settings"),
                   "storefront": N_("the storefront settings")}
DETAIL_NAMES = {"partner": N_("partner"), "employee": N_("employee"), "reason": N_("reason"),
                "amount": N_("amount"), "method": N_("method"), "name": N_("name"),
                "role": N_("role"), "active": N_("active"), "key": N_("key"),
                "channel": N_("channel"), "customers": N_("customers"),
                "messages": N_("messages"), "net_amount": N_("amount"),
                "changes": N_("changes"), "override": N_("reason to pay more"),
                "kind": N_("kind"), "decision": N_("decision")}


@dataclass(frozen=True)
class Line:
    event: AuditEvent
    sentence: str
    details: list[tuple[str, str]]


def _group(event: AuditEvent) -> str:
    return event.target_id.strip("._") or "store"


def _names(session: Session, events: list[AuditEvent]) -> dict[tuple[str, str], str]:
    """The name of every target, and of the partners and employees the details name."""
    wanted: dict[str, set[int]] = {}
    for e in events:
        if e.target_id.isdigit():
            wanted.setdefault(e.target_type, set()).add(int(e.target_id))
        for key in ("partner", "employee"):
            for value in _listed(e.details.get(key)):
                if isinstance(value, int):
                    wanted.setdefault(key, set()).add(value)
    out: dict[tuple[str, str], str] = {}
    queries = {
        "customer": lambda ids: select(Customer.id, Customer.first_name + " " +
                                       Customer.last_name).where(Customer.id.in_(ids)),
        "partner": lambda ids: select(Partner.id, Partner.name).where(Partner.id.in_(ids)),
        "employee": lambda ids: select(PartnerEmployee.id, PartnerEmployee.name)
        .where(PartnerEmployee.id.in_(ids)),
        "user": lambda ids: select(User.id, User.name).where(User.id.in_(ids)),
        "api_token": lambda ids: select(ApiToken.id, ApiToken.name).where(ApiToken.id.in_(ids)),
        "mailing": lambda ids: select(Mailing.id, Mailing.name).where(Mailing.id.in_(ids)),
    }
    for kind, ids in wanted.items():
        if kind == "sale":
            for sale in session.scalars(select(Sale).where(Sale.id.in_(ids))):
                out[("sale", str(sale.id))] = sale.number
        elif kind in queries:
            for row in session.execute(queries[kind](ids)):
                out[(kind, str(row[0]))] = str(row[1]).strip()
    return out


def _listed(value: object) -> Iterable[object]:
    return value if isinstance(value, list) else [value]


def _value(key: str, value: object, names: dict[tuple[str, str], str]) -> str:
    if isinstance(value, list) and len(value) == 2:
        old, new = (_value(key, v, names) for v in value)
        return f"{old or '—'} → {new or '—'}"
    if isinstance(value, dict):
        return "; ".join(f"{k.replace('_', ' ')}: {_value(k, v, names)}"
                         for k, v in value.items())
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if value is None:
        return ""
    if key in ("partner", "employee") and isinstance(value, int):
        return names.get((key, str(value)), str(value))
    return word(value) if str(value) in WORDS else str(value)


def lines(session: Session, events: list[AuditEvent]) -> list[Line]:
    names = _names(session, events)
    actors = dict(session.execute(select(User.login, User.name).where(
        User.login.in_({e.actor for e in events}))).all())
    out = []
    for e in events:
        action = "settings.change" if e.target_type == "settings" else e.action
        if e.target_type == "settings":
            target = gettext(SETTINGS_GROUPS.get(_group(e), SETTINGS_GROUPS["store"]))
        else:
            target = names.get((e.target_type, e.target_id), e.target_id)
        template = SENTENCES.get(action)
        actor = actors.get(e.actor) or e.actor
        sentence = (gettext(template).format(actor=actor, target=target) if template
                    else f"{actor}: {e.action} {target}")
        details = [(gettext(DETAIL_NAMES[k]) if k in DETAIL_NAMES else k.replace("_", " "),
                    _value(k, v, names)) for k, v in e.details.items()]
        out.append(Line(e, sentence, details))
    return out
