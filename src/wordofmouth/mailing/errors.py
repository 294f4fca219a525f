from wordofmouth.errors import InvalidInput, NotFound


class EmptyAudience(InvalidInput):
    code = "empty_audience"
    message = "The mailing has no customers: choose some, or change the filters."


class UnknownPlaceholder(InvalidInput):
    code = "unknown_placeholder"
    message = "The template uses a placeholder that does not exist."


class InvalidAddress(InvalidInput):
    code = "invalid_address"
    message = "That is not a valid e-mail address or phone number."


class MailingNotFound(NotFound):
    code = "mailing_not_found"
    message = "No such mailing."


class BadUnsubscribeLink(InvalidInput):
    code = "bad_unsubscribe_link"
    status = 400
    message = "This unsubscribe link is not valid."
