from wordofmouth.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from wordofmouth.i18n import N_


class PartnerNotFound(NotFound):
    code = "partner_not_found"
    message = N_("No such partner.")


class EmployeeNotFound(NotFound):
    code = "employee_not_found"
    message = N_("No such partner employee.")


class EmployeeOfAnotherPartner(InvalidInput):
    code = "employee_of_another_partner"
    message = N_("This employee belongs to another partner.")


class PartnerInactive(InvalidInput):
    code = "partner_inactive"
    message = N_("This partner is not active.")


class AlreadyLinked(Conflict):
    code = "customer_already_linked"
    message = N_("This customer is already linked to a partner; only an owner or a manager can "
               "re-link, with a reason.")


class RelinkNeedsReason(InvalidInput):
    code = "relink_needs_reason"
    message = N_("Say why the customer is re-linked.")


class DuplicatePartnerCode(Conflict):
    code = "duplicate_partner_code"
    message = N_("This promo code exists already (codes match whatever the letter case).")


class MalformedPartnerCode(InvalidInput):
    code = "malformed_partner_code"
    message = N_("A promo code is 3–32 characters: letters A–Z, digits and '-'.")


class PartnerCodeNotUsable(InvalidInput):
    code = "partner_code_not_usable"
    message = N_("This promo code is switched off or outside its dates.")


class PayoutAbovePayable(DomainError):
    code = "payout_above_payable"
    status = 409
    message = N_("The payout is more than the partner's payable balance.")


class SetOffNotAllowed(InvalidInput):
    code = "set_off_not_allowed"
    message = N_("Only an invoice that its intermediary pays can be paid by setting off "
               "commission.")


class PayoutOverrideForbidden(Forbidden):
    code = "payout_override_forbidden"
    message = N_("Only an owner can pay more than is payable.")


class OverrideNeedsReason(InvalidInput):
    code = "override_needs_reason"
    message = N_("Paying more than is payable needs the owner's reason.")


class NotAnInvoice(InvalidInput):
    code = "not_an_invoice"
    message = N_("Expenses are linked to invoices.")


class NoOwnCard(InvalidInput):
    code = "partner_has_no_card"
    message = N_("The partner has no customer card of their own.")


class BadImportFile(InvalidInput):
    code = "bad_import_file"
    message = N_("The file cannot be read as a table.")


class NotUnderReview(DomainError):
    code = "commission_not_under_review"
    status = 409
    message = N_("This commission is not waiting for a review.")
