from wordofmouth.errors import Conflict, InvalidInput


class NotACandidate(Conflict):
    code = "not_a_candidate"
    message = ("Some of the chosen customers are no longer candidates for this decision "
               "(the list was out of date, or someone decided already). Reload the list.")


class ClubDisabled(Conflict):
    code = "club_disabled"
    message = "The club discount system is switched off in the club settings."



class UnknownClubDecision(InvalidInput):
    code = "unknown_club_decision"
    message = "A club decision is grant, decline, extend or exclude."
