from wordofmouth.errors import Conflict, DomainError, InvalidInput, NotFound


class BadCredentials(DomainError):
    code = "bad_credentials"
    status = 401
    message = "Wrong login or password."


class DuplicateLogin(Conflict):
    code = "duplicate_login"
    message = "This login is taken."


class UserNotFound(NotFound):
    code = "user_not_found"
    message = "No such user."


class WeakPassword(InvalidInput):
    code = "weak_password"
    message = "A password needs at least 8 characters."


class UnknownScope(InvalidInput):
    code = "unknown_scope"
    message = "Unknown token scope."


class CsrfFailed(DomainError):
    code = "csrf_failed"
    status = 403
    message = "The form expired or did not come from this site; reload the page and try again."


class TokenNotFound(NotFound):
    code = "token_not_found"
    message = "No such token."
