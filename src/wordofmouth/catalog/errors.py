from wordofmouth.errors import Conflict, InvalidInput, NotFound


class ProductNotFound(NotFound):
    code = "product_not_found"
    message = "No such product."


class GroupNotFound(NotFound):
    code = "group_not_found"
    message = "No such product group."


class DuplicateSku(Conflict):
    code = "duplicate_sku"
    message = "Another product already has this SKU."


class GroupCycle(InvalidInput):
    code = "group_cycle"
    message = "A group cannot be moved under itself or its own sub-group."
