from wordofmouth.errors import Conflict, DomainError
from wordofmouth.i18n import N_


class InsufficientBonus(DomainError):
    code = "insufficient_bonus"
    status = 409
    message = N_("The bonus balance does not cover this payment.")


class DuplicatePosting(Conflict):
    code = "duplicate_posting"
    message = N_("This source document has already been posted to the ledger.")


class OpeningBalanceExists(Conflict):
    code = "opening_balance_exists"
    message = N_("This customer's opening bonus balance is imported already.")
