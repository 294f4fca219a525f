from wordofmouth.errors import Conflict, DomainError


class InsufficientBonus(DomainError):
    code = "insufficient_bonus"
    status = 409
    message = "The bonus balance does not cover this payment."


class DuplicatePosting(Conflict):
    code = "duplicate_posting"
    message = "This source document has already been posted to the ledger."
