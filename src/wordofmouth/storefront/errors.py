from wordofmouth.errors import Conflict, InvalidInput, NotFound


class MalformedKey(InvalidInput):
    code = "malformed_partner_key"
    message = "A key is 1–64 characters: letters A–Z a–z, digits, '_', '.', '-'."


class DuplicateKey(Conflict):
    code = "duplicate_partner_key"
    message = "This key belongs to a partner already."


class OrderNotFound(NotFound):
    code = "order_not_found"
    message = "No such storefront order."


class OrderExists(Conflict):
    code = "order_exists"
    message = "An order with this external id was reported already."


class AlreadyRefunded(Conflict):
    code = "already_refunded"
    message = "This line of the order is refunded already."


class OrderLineNotFound(NotFound):
    code = "order_line_not_found"
    message = "The order has no such line."
