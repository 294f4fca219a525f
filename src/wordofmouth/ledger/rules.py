"""Pure ledger arithmetic."""

from decimal import Decimal

from wordofmouth.money import ZERO, cumulative_part


def reversal_for_return(accrued: Decimal, sale_net: Decimal, returned_before: Decimal,
                        returned_now: Decimal) -> Decimal:
    """How much of an accrual a return takes back: in proportion to the returned net amount,
    on cumulative figures, so a sale returned in parts reverses exactly what it accrued."""
    if accrued == ZERO:
        return ZERO
    return cumulative_part(accrued, returned_before, returned_now, sale_net)


def spendable(balance: Decimal) -> Decimal:
    """A negative balance is a debt: nothing can be spent until later accruals pay it."""
    return max(ZERO, balance)
