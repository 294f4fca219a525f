"""The one base for rule violations: a stable code, an HTTP status and a human message."""


class DomainError(Exception):
    code = "domain_error"
    status = 422
    message = "The request breaks a rule."

    def __init__(self, message: str | None = None, **context: object) -> None:
        self.detail = message or self.message
        self.context = context
        super().__init__(self.detail)


class NotFound(DomainError):
    code = "not_found"
    status = 404
    message = "Not found."


class Conflict(DomainError):
    code = "conflict"
    status = 409
    message = "The request conflicts with the current state."


class InvalidInput(DomainError):
    code = "invalid_input"
    status = 422
    message = "The input is not valid."


class Forbidden(DomainError):
    code = "forbidden"
    status = 403
    message = "You are not allowed to do this."


class NotAuthenticated(DomainError):
    code = "not_authenticated"
    status = 401
    message = "Log in or present an API token."


class Throttled(DomainError):
    code = "too_many_attempts"
    status = 429
    message = "Too many attempts; wait a few minutes and try again."
