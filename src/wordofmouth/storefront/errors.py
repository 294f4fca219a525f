from wordofmouth.errors import Conflict, InvalidInput, NotFound
from wordofmouth.i18n import N_


class MalformedKey(InvalidInput):
    code = "malformed_partner_key"
    message = N_("A key is 1–64 characters: letters A–Z a–z, digits, '_', '.', '-'.")


class DuplicateKey(Conflict):
    code = "duplicate_partner_key"
    message = N_("This key belongs to a partner already.")


class KeyNotFound(NotFound):
    code = "partner_key_not_found"
    message = N_("The partner has no such key.")


class OrderNotFound(NotFound):
    code = "order_not_found"
    message = N_("No such storefront order.")


class OrderExists(Conflict):
    code = "order_exists"
    message = N_("An order with this external id was reported already.")


class AlreadyRefunded(Conflict):
    code = "already_refunded"
    message = N_("This line of the order is refunded already.")


class OrderLineNotFound(NotFound):
    code = "order_line_not_found"
    message = N_("The order has no such line.")
