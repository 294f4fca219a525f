"""The one base for rule violations: a stable code, an HTTP status and a human message
(in the reader's language; the code stays the same in every language)."""

from wordofmouth.i18n import N_, gettext


class DomainError(Exception):
    code = "domain_error"
    status = 422
    message = N_("The request breaks a rule.")

    def __init__(self, message: str | None = None, **context: object) -> None:
        self.detail = message or gettext(self.message)
        self.context = context
        super().__init__(self.detail)


class NotFound(DomainError):
    code = "not_found"
    status = 404
    message = N_("Not found.")


class Conflict(DomainError):
    code = "conflict"
    status = 409
    message = N_("The request conflicts with the current state.")


class InvalidInput(DomainError):
    code = "invalid_input"
    status = 422
    message = N_("The input is not valid.")


class Forbidden(DomainError):
    code = "forbidden"
    status = 403
    message = N_("You are not allowed to do this.")


class NotAuthenticated(DomainError):
    code = "not_authenticated"
    status = 401
    message = N_("Log in or present an API token.")


class Throttled(DomainError):
    code = "too_many_attempts"
    status = 429
    message = N_("Too many attempts; wait a few minutes and try again.")
