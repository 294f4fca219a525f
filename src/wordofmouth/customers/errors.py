from wordofmouth.errors import InvalidInput, NotFound
from wordofmouth.i18n import N_


class CustomerNotFound(NotFound):
    code = "customer_not_found"
    message = N_("No such customer.")


class CardNotFound(NotFound):
    code = "card_not_found"
    message = N_("No such discount card.")


class CardInactive(InvalidInput):
    code = "card_inactive"
    message = N_("This discount card is blocked.")
