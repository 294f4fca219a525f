from wordofmouth.errors import Conflict, InvalidInput
from wordofmouth.i18n import N_


class NotACandidate(Conflict):
    code = "not_a_candidate"
    message = N_("Some of the chosen customers are no longer candidates for this decision "
               "(the list was out of date, or someone decided already). Reload the list.")


class ClubDisabled(Conflict):
    code = "club_disabled"
    message = N_("The club discount system is switched off in the club settings.")



class UnknownClubDecision(InvalidInput):
    code = "unknown_club_decision"
    message = N_("A club decision is grant, decline, extend or exclude.")
