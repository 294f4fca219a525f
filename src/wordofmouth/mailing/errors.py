from wordofmouth.errors import InvalidInput, NotFound
from wordofmouth.i18n import N_


class EmptyAudience(InvalidInput):
    code = "empty_audience"
    message = N_("The mailing has no customers: choose some, or change the filters.")


class UnknownPlaceholder(InvalidInput):
    code = "unknown_placeholder"
    message = N_("The template uses a placeholder that does not exist.")


class InvalidAddress(InvalidInput):
    code = "invalid_address"
    message = N_("That is not a valid e-mail address or phone number.")


class MailingNotFound(NotFound):
    code = "mailing_not_found"
    message = N_("No such mailing.")


class BadUnsubscribeLink(InvalidInput):
    code = "bad_unsubscribe_link"
    status = 400
    message = N_("This unsubscribe link is not valid.")
