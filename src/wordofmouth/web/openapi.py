"""The OpenAPI document: every error in the one shape, and on each API route the codes it
can answer, grouped by status. A route names its own codes with `@answers(...)`;
`tests/web/test_error_codes.py` reads the route's source and what it calls, and fails when
the two differ."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from fastapi import FastAPI
from fastapi.routing import APIRoute

from wordofmouth.errors import DomainError
from wordofmouth.schemas import ValidationErrorOut

F = TypeVar("F", bound=Callable[..., Any])

# Answers any API route may give, whatever it does: who is asking, the request's shape, the
# server's state. They are listed once, in the API's description.
COMMON: dict[str, int] = {
    "not_authenticated": 401, "forbidden": 403, "csrf_failed": 403, "body_too_large": 413,
    "invalid_input": 422, "malformed_json": 422, "overloaded": 503, "database_busy": 503,
    "database_unavailable": 503, "database_read_only": 503, "storage_full": 507,
}
COMMON_TEXT = "Any route may also answer: " + ", ".join(
    f"`{code}` ({status})" for code, status in COMMON.items()) + "."


def answers(*codes: str) -> Callable[[F], F]:
    """The error codes a route answers beyond the COMMON ones."""
    def mark(endpoint: F) -> F:
        endpoint.__wom_answers__ = tuple(sorted(codes))  # type: ignore[attr-defined]
        return endpoint
    return mark


def answers_of(endpoint: Callable[..., Any]) -> tuple[str, ...]:
    return getattr(endpoint, "__wom_answers__", ())


def statuses() -> dict[str, int]:
    """Every DomainError's code and HTTP status."""
    found: dict[str, int] = {}
    pending: list[type[DomainError]] = [DomainError]
    while pending:
        cls = pending.pop()
        found.setdefault(cls.code, cls.status)
        pending.extend(cls.__subclasses__())
    return found


def api_routes(app: FastAPI) -> Iterator[APIRoute]:
    """The JSON API's routes (the routers' own, as FastAPI includes them)."""
    for entry in app.routes:
        router = getattr(entry, "original_router", None)
        for route in [entry] if router is None else router.routes:
            if isinstance(route, APIRoute) and route.path.startswith("/api"):
                yield route


def install(app: FastAPI) -> None:
    from fastapi.openapi.utils import get_openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version,
                             description=f"{app.description}\n{COMMON_TEXT}\n",
                             routes=app.routes)
        _validation_shape(schema)
        _codes_per_route(app, schema)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _validation_shape(schema: dict[str, Any]) -> None:
    """The API answers every 422 in its own error shape."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for name, definition in ValidationErrorOut.model_json_schema(
            ref_template="#/components/schemas/{model}").get("$defs", {}).items():
        components[name] = definition
    own = ValidationErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    own.pop("$defs", None)
    components["ValidationErrorOut"] = own
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            answer = operation.get("responses", {}).get("422")
            if answer is not None:
                answer["content"] = {"application/json": {"schema": {
                    "$ref": "#/components/schemas/ValidationErrorOut"}}}


def _codes_per_route(app: FastAPI, schema: dict[str, Any]) -> None:
    status_of = statuses()
    for route in api_routes(app):
        codes = answers_of(route.endpoint)
        for method in route.methods or ():
            operation = schema["paths"].get(route.path, {}).get(method.lower())
            if operation is None:
                continue
            operation["x-error-codes"] = list(codes)
            by_status: dict[int, list[str]] = {}
            for code in codes:
                by_status.setdefault(status_of[code], []).append(code)
            for status, listed in sorted(by_status.items()):
                answer = operation.setdefault("responses", {}).setdefault(str(status), {
                    "content": {"application/json": {"schema": {
                        "$ref": "#/components/schemas/ErrorOut"}}}})
                answer["description"] = "Error codes: " + ", ".join(
                    f"`{c}`" for c in listed)
