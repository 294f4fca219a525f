from wordofmouth.errors import Conflict, Forbidden, InvalidInput, NotFound
from wordofmouth.i18n import N_


class SaleNotFound(NotFound):
    code = "sale_not_found"
    message = N_("No such sale.")


class SaleNotOpen(Conflict):
    code = "sale_not_open"
    message = N_("This sale is no longer open.")


class SaleAlreadyPaid(Conflict):
    code = "sale_already_paid"
    message = N_("This sale is already paid.")


class PaidSaleCannotBeVoided(Conflict):
    code = "paid_sale_cannot_be_voided"
    message = N_("A paid sale cannot be voided; make a return instead.")


class EmptySale(InvalidInput):
    code = "empty_sale"
    message = N_("The sale has no lines.")


class InvalidQuantity(InvalidInput):
    code = "invalid_quantity"
    message = N_("Quantity must be greater than zero with at most three decimals.")


class PaymentExceedsDue(InvalidInput):
    code = "payment_exceeds_due"
    message = N_("The payment is more than the amount due.")


class BonusShareExceeded(InvalidInput):
    code = "bonus_share_exceeded"
    message = N_("Bonuses cannot pay this much of the receipt.")


class BonusNeedsCustomer(InvalidInput):
    code = "bonus_needs_customer"
    message = N_("Paying with bonuses needs a customer card on the sale.")


class SaleNotReturnable(Conflict):
    code = "sale_not_returnable"
    message = N_("Only a paid sale can be returned.")


class ReturnExceedsSold(InvalidInput):
    code = "return_exceeds_sold"
    message = N_("You cannot return more than was sold and not yet returned.")


class UnknownCode(NotFound):
    code = "unknown_code"
    message = N_("Nothing matches this code: not a product, a card or a promo code.")


class LineNotFound(NotFound):
    code = "line_not_found"
    message = N_("The sale has no such line.")


class InvoiceNotFound(NotFound):
    code = "invoice_not_found"
    message = N_("No such invoice.")


class SaleRepriced(Conflict):
    code = "sale_repriced"
    message = N_("The sale's prices changed since it was scanned; check the new total.")


class PriceOverrideForbidden(Forbidden):
    code = "price_override_forbidden"
    message = N_("Selling at a price other than the catalog's needs the sales:price permission.")


class AmountOutOfBounds(InvalidInput):
    code = "amount_out_of_bounds"
    message = N_("An amount is out of the bounds the store accepts.")


class ProductNotOnSale(Conflict):
    code = "product_not_on_sale"
    message = N_("This product is not on sale.")


class TooManyLines(InvalidInput):
    code = "too_many_lines"
    message = N_("A sale has too many lines.")
