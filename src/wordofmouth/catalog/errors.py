from wordofmouth.errors import Conflict, InvalidInput, NotFound
from wordofmouth.i18n import N_


class ProductNotFound(NotFound):
    code = "product_not_found"
    message = N_("No such product.")


class GroupNotFound(NotFound):
    code = "group_not_found"
    message = N_("No such product group.")


class DuplicateSku(Conflict):
    code = "duplicate_sku"
    message = N_("Another product already has this SKU.")


class GroupCycle(InvalidInput):
    code = "group_cycle"
    message = N_("A group cannot be moved under itself or its own sub-group.")
