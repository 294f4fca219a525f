from wordofmouth.errors import Conflict, DomainError, InvalidInput, NotFound
from wordofmouth.i18n import N_


class BadCredentials(DomainError):
    code = "bad_credentials"
    status = 401
    message = N_("Wrong login or password.")


class DuplicateLogin(Conflict):
    code = "duplicate_login"
    message = N_("This login is taken.")


class UserNotFound(NotFound):
    code = "user_not_found"
    message = N_("No such user.")


class WeakPassword(InvalidInput):
    code = "weak_password"
    message = N_("A password needs at least 8 characters.")


class UnknownScope(InvalidInput):
    code = "unknown_scope"
    message = N_("Unknown token scope.")


class CsrfFailed(DomainError):
    code = "csrf_failed"
    status = 403
    message = N_("The form expired or did not come from this site; reload the page and try again.")


class TokenNotFound(NotFound):
    code = "token_not_found"
    message = N_("No such token.")
