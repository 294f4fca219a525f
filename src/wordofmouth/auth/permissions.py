"""Who may do what: roles for people, scopes for integration tokens."""

from __future__ import annotations

from dataclasses import dataclass, field

from wordofmouth.auth.models import Role
from wordofmouth.calendar import DEFAULT_ZONE
from wordofmouth.i18n import N_

# API scopes; a user's role grants the same names, so one check serves both.
SCOPES = {
    "catalog:read": "read products and groups",
    "catalog:write": "create and change products and groups",
    "customers:read": "read customers and cards",
    "customers:write": "create customers and issue cards",
    "sales:read": "read sales, returns and invoices",
    "sales:write": "create, pay, void and return sales; issue and pay invoices",
    "sales:price": "sell at a price other than the catalog's (each such line is audited)",
    "ledger:read": "read bonus balances and ledger entries",
    "partners:read": "read partners, terms, codes, balances, payouts and the referrer report",
    "partners:write": "manage partners, terms and codes; record payouts",
    "partners:override": "pay commission above payable (with a reason) and decide on "
                         "commission held for review (the owner's)",
    "storefront:orders": "report storefront orders and refunds (referral attribution)",
    "history:import": "give a document date (import history from an older system)",
    "club:read": "read the club's review lists and member counts",
    "club:write": "decide on club candidates and run the club review",
    "analysis:read": "read the customer activity analysis",
    "mailings:read": "read mailings and what each message became",
    "mailings:write": "create, send and retry mailings",
    "settings:read": "read store, storefront, club and mailing settings",
    "settings:write": "change store, storefront, club and mailing settings",
}

# Back-office permissions beyond the API scopes.
PAGE_PERMISSIONS = ("pos", "settings", "users", "audit", "club",
                    "analysis", "dashboard")

_ALL = frozenset(SCOPES) | frozenset(PAGE_PERMISSIONS)
# What people read for each role (translated where shown).
ROLE_NAMES = {"owner": N_("owner"), "manager": N_("manager"), "cashier": N_("cashier"),
              "partner": N_("partner")}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.OWNER: _ALL,
    Role.MANAGER: _ALL - {"settings", "settings:write", "users", "partners:override"},
    Role.CASHIER: frozenset({"pos", "catalog:read", "customers:read", "customers:write",
                             "sales:read", "sales:write", "ledger:read"}),
    Role.PARTNER: frozenset({"portal"}),
}


@dataclass(frozen=True)
class Principal:
    """Who is making a request: a logged-in user or an integration token."""

    kind: str  # user | token
    id: int
    label: str
    role: str = ""
    scopes: frozenset[str] = field(default_factory=frozenset)
    csrf_token: str = ""
    partner_id: int | None = None
    name: str = ""  # what people read: the user's name, not the login
    language: str | None = None
    time_zone: str = DEFAULT_ZONE  # the store's clock, for the times a page shows

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"

    def can(self, permission: str) -> bool:
        if self.kind == "token":
            return permission in self.scopes
        return permission in ROLE_PERMISSIONS.get(self.role, frozenset())
