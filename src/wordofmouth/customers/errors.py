from wordofmouth.errors import InvalidInput, NotFound


class CustomerNotFound(NotFound):
    code = "customer_not_found"
    message = "No such customer."


class CardNotFound(NotFound):
    code = "card_not_found"
    message = "No such discount card."


class CardInactive(InvalidInput):
    code = "card_inactive"
    message = "This discount card is blocked."
