"""Each API route lists in the OpenAPI document the error codes it can answer: the codes
its endpoint, its dependencies and everything they call can raise (read from the source),
besides the few any route may answer."""

from __future__ import annotations

from typing import Any

from fastapi.dependencies.models import Dependant

from tests.web.error_reader import ErrorReader
from wordofmouth.web.openapi import COMMON, answers_of, api_routes, statuses

# Codes a route answers without raising them (so the reader cannot see them), and why.
ANSWERED_BY_HAND = {
    # the refused payment is rolled back, the new prices are kept and committed, then 409
    # a set-off is taken by the partners' payment handler, an extension the reader cannot
    # follow: a receipt refuses it, an invoice its partner pays takes at most what is payable
    "POST /api/sales/{sale_id}/payments": {"sale_repriced", "set_off_not_allowed"},
    "POST /api/invoices/{sale_id}/pay": {"payout_above_payable", "set_off_not_allowed"},
}


def _dependencies(dependant: Dependant) -> list[Any]:
    out = []
    for dep in dependant.dependencies:
        out += [dep.call, *_dependencies(dep)]
    return out


def test_every_api_route_lists_the_codes_its_code_can_raise(app: Any) -> None:
    reader = ErrorReader()
    wrong = {}
    for route in api_routes(app):
        raised = set(reader.of(route.endpoint))
        for call in _dependencies(route.dependant):
            raised |= reader.of(call)
        name = f"{min(route.methods or {'GET'})} {route.path}"
        can = {e.code for e in raised} - set(COMMON) | ANSWERED_BY_HAND.get(name, set())
        listed = set(answers_of(route.endpoint))
        if can != listed:
            wrong[name] = {
                "not listed": sorted(can - listed), "listed, never raised": sorted(listed - can)}
    assert wrong == {}


def test_the_document_shows_each_code_under_its_status(app: Any) -> None:
    doc = app.openapi()
    sale = doc["paths"]["/api/sales/{sale_id}/void"]["post"]
    assert "paid_sale_cannot_be_voided" in sale["x-error-codes"]
    assert "`paid_sale_cannot_be_voided`" in sale["responses"]["409"]["description"]
    assert "`sale_not_found`" in sale["responses"]["404"]["description"]
    status_of = statuses()
    for ops in doc["paths"].values():
        for op in ops.values():
            for code in op.get("x-error-codes", []):
                assert f"`{code}`" in op["responses"][str(status_of[code])]["description"]
