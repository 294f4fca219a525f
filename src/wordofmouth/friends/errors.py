"""Every reason a friend code is refused has its own code and message."""

from wordofmouth.errors import Conflict, InvalidInput, NotFound
from wordofmouth.i18n import N_


class FriendCodeUnknown(NotFound):
    code = "friend_code_unknown"
    message = N_("There is no friend code like this.")


class FriendCodeUsed(Conflict):
    code = "friend_code_used"
    message = N_("This friend code has already been used.")


class FriendCodeHeld(Conflict):
    code = "friend_code_held"
    message = N_("This friend code is on another open sale (another till). "
                 "Finish or void it first.")


class FriendCodeExpired(InvalidInput):
    code = "friend_code_expired"
    message = N_("This friend code has expired.")


class CampaignInactive(InvalidInput):
    code = "friend_campaign_inactive"
    message = N_("The Refer a Friend campaign of this code is switched off.")


class OwnCode(InvalidInput):
    code = "friend_code_own"
    message = N_("A customer cannot use a friend code they were given to hand out.")


class NotANewBuyer(InvalidInput):
    code = "friend_not_new_buyer"
    message = N_("Friend codes are for a first purchase: this customer has bought before.")


class AlreadyReferred(InvalidInput):
    code = "friend_already_referred"
    message = N_("This customer was already referred by someone.")


class NoQualifyingGoods(InvalidInput):
    code = "friend_no_qualifying_goods"
    message = N_("Nothing in the basket is covered by this campaign.")


class BelowMinimum(InvalidInput):
    code = "friend_below_minimum"
    message = N_("The campaign's goods in the basket are below its minimum purchase.")


class CampaignNotFound(NotFound):
    code = "friend_campaign_not_found"
    message = N_("No such Refer a Friend campaign.")


class NeedsMainCard(InvalidInput):
    code = "friend_codes_need_main_card"
    message = N_("Friend codes are issued to a customer who has a main discount card.")


class CodeBatchNotFound(NotFound):
    code = "code_batch_not_found"
    message = N_("No codes in this batch.")


class FriendCodeExists(Conflict):
    code = "friend_code_exists"
    message = N_("This friend code is recorded already.")
