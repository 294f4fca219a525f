"""Everything a page can do, an integration can do: every action of a back-office page (each
POST route outside /api) names the API route that does the same, or why it stays a page's.
A new page action fails here until it has its counterpart."""

from __future__ import annotations

from typing import Any

import pytest

from tests.security.access import routes
from wordofmouth.app import create_app

API: dict[str, str] = {
    "/analysis/activity/club": "POST /api/analysis/activity/club",
    "/analysis/activity/discount": "POST /api/analysis/activity/discount",
    "/catalog/groups": "POST /api/groups",
    "/catalog/groups/{group_id}": "PATCH /api/groups/{group_id}",
    "/catalog/products": "POST /api/products",
    "/catalog/products/{product_id}": "PATCH /api/products/{product_id}",
    "/club/decide": "POST /api/club/decisions",
    "/club/review": "POST /api/club/review",
    "/club/settings": "PATCH /api/club/settings",
    "/customers": "POST /api/customers",
    "/customers/{customer_id}": "PATCH /api/customers/{customer_id}",
    "/customers/{customer_id}/cards": "POST /api/customers/{customer_id}/cards",
    "/customers/{customer_id}/cards/{card_id}":
        "PATCH /api/customers/{customer_id}/cards/{card_id}",
    "/customers/{customer_id}/friend-codes": "POST /api/customers/{customer_id}/friend-codes",
    "/customers/{customer_id}/notes": "POST /api/customers/{customer_id}/notes",
    "/customers/{customer_id}/partner": "POST /api/customers/{customer_id}/partner",
    "/friends": "POST /api/friend-campaigns",
    "/friends/{campaign_id}": "PATCH /api/friend-campaigns/{campaign_id}",
    "/invoices": "POST /api/invoices",
    "/invoices/{sale_id}/codes": "POST /api/sales/{sale_id}/codes",
    "/invoices/{sale_id}/expenses": "POST /api/partners/{partner_id}/payouts",  # kind one_time
    "/invoices/{sale_id}/pay": "POST /api/invoices/{sale_id}/pay",
    "/mailings": "POST /api/mailings",
    "/mailings/preview": "POST /api/mailings/preview",
    "/mailings/test": "POST /api/mailings/test",
    "/mailings/{mailing_id}/retry": "POST /api/mailings/{mailing_id}/retry",
    "/partners": "POST /api/partners",
    "/partners-balance/mature": "POST /api/commission/mature",
    "/partners/{partner_id}": "PATCH /api/partners/{partner_id}",
    "/partners/{partner_id}/cash-out": "POST /api/partners/{partner_id}/payouts",
    "/partners/{partner_id}/codes": "POST /api/partners/{partner_id}/codes",
    "/partners/{partner_id}/employees": "POST /api/partners/{partner_id}/employees",
    "/partners/{partner_id}/employees/{employee_id}":
        "PATCH /api/partners/{partner_id}/employees/{employee_id}",
    "/partners/{partner_id}/keys": "POST /api/partners/{partner_id}/keys",
    "/partners/{partner_id}/keys/{key_id}": "PATCH /api/partners/{partner_id}/keys/{key_id}",
    "/partners/{partner_id}/milestone": "PUT /api/partners/{partner_id}/terms",
    "/partners/{partner_id}/terms": "PUT /api/partners/{partner_id}/terms",
    "/partners/{partner_id}/offers": "POST /api/partners/{partner_id}/offers",
    "/partners/{partner_id}/offers/{offer_id}":
        "PATCH /api/partners/{partner_id}/offers/{offer_id}",
    "/partners/{partner_id}/own-card": "PUT /api/partners/{partner_id}/own-card",
    "/partners/{partner_id}/payouts": "POST /api/partners/{partner_id}/payouts",
    "/partners/{partner_id}/reviews/{sale_id}": "POST /api/partners/{partner_id}/reviews/{sale_id}",
    "/partners/{partner_id}/statement/email": "POST /api/partners/{partner_id}/statement/email",
    "/pos/cash-out": "POST /api/partners/{partner_id}/payouts",  # kind bonus_cash_out
    "/pos/customer": "POST /api/sales",  # the sale's customer_id or card_number
    "/pos/find-receipt": "GET /api/sales",
    "/pos/register": "POST /api/customers",
    "/pos/scan": "POST /api/sales",  # the lines; codes through /api/sales/{id}/codes
    "/pos/{sale_id}/pay": "POST /api/sales/{sale_id}/payments",
    "/pos/{sale_id}/qty": "POST /api/sales",  # the basket is sent whole
    "/pos/{sale_id}/void": "POST /api/sales/{sale_id}/void",
    "/sales/{sale_id}/returns": "POST /api/sales/{sale_id}/returns",
    "/sales/{sale_id}/void": "POST /api/sales/{sale_id}/void",
    "/settings": "PATCH /api/settings",
    "/settings/history": "POST /api/history/imports",
    "/settings/mailing": "PATCH /api/mailing/settings",
    "/settings/storefront": "PATCH /api/storefront/settings",
    "/settings/webhooks": "POST /api/webhooks",
    "/settings/webhooks/{endpoint_id}": "PATCH /api/webhooks/{endpoint_id}",
    "/settings/webhooks/{endpoint_id}/deliveries/{delivery_id}/redeliver":
        "POST /api/webhooks/{endpoint_id}/deliveries/{delivery_id}/redeliver",
    "/settings/webhooks/{endpoint_id}/rotate": "POST /api/webhooks/{endpoint_id}/rotate",
}

PAGE_ONLY: dict[str, str] = {
    "/language": "the language a person reads the pages in; the API answers in the request's "
                 "Accept-Language",
    "/friends/{campaign_id}/printed": "a print run is a file a person takes to the print "
                                      "shop; an integration issues codes per customer (POST "
                                      "/api/customers/{id}/friend-codes), a script many at "
                                      "once with `wom friends issue`",
    "/partners/import": "a person's file upload; an integration sends the same rows one by "
                        "one (POST /api/partners, /employees, /api/customers/{id}/partner)",
    "/tokens": "who may call the API is decided by the owner in person: a token that could "
               "make tokens could widen its own access",
    "/tokens/{token_id}/revoke": "as /tokens; `wom token` does it on the server",
    "/users": "people who sign in are added by the owner in person (or `wom user add`)",
    "/users/{user_id}": "as /users",
    "/users/{user_id}/unlock": "as /users",
    "/unsubscribe/{token}": "the recipient's own link from a message: no account, no token",
}


@pytest.fixture(scope="module")
def app() -> Any:
    return create_app()


def page_actions(app: Any) -> set[str]:
    return {path for method, path in routes(app)
            if method == "POST" and not path.startswith("/api")
            and path not in ("/login", "/logout")}


def test_every_page_action_has_an_api_counterpart_or_a_reason(app: Any) -> None:
    actions = page_actions(app)
    assert actions - set(API) - set(PAGE_ONLY) == set(), "page actions without an API route"
    assert (set(API) | set(PAGE_ONLY)) - actions == set(), "listed but no longer a page action"
    assert not set(API) & set(PAGE_ONLY)


def test_each_counterpart_is_a_route_of_the_api(app: Any) -> None:
    api = {f"{method} {path}" for method, path in routes(app) if path.startswith("/api")}
    assert {page: route for page, route in API.items() if route not in api} == {}

