"""The words people read for the values the product stores (a sale's status, a payment
method, a partner's kind, a club status, a ledger movement's kind): one catalog entry each,
so a page never shows 'partially_returned' or 'friend_code'."""

from __future__ import annotations

from decimal import Decimal

from wordofmouth.i18n import N_, gettext, number

WORDS = {
    # sales
    "open": N_("open"), "paid": N_("paid"), "partially_returned": N_("partially returned"),
    "returned": N_("returned"), "voided": N_("voided"), "receipt": N_("receipt"),
    "invoice": N_("invoice"), "cash": N_("cash"), "card": N_("card"),
    "bank": N_("bank transfer"), "bonus": N_("bonuses"),
    "setoff": N_("set-off against the partner's commission"),
    # where a line's discount came from
    "club": N_("club discount"), "friend_code": N_("friend code"),
    "partner_code": N_("partner's promo code"), "partner_offer": N_("partner's special offer"),
    # friend codes, mailings
    "issued": N_("issued"), "held": N_("on an open sale"), "used": N_("used"),
    "queued": N_("queued"), "sending": N_("sending"), "sent": N_("sent"),
    "failed": N_("failed"), "skipped": N_("skipped"), "running": N_("running"),
    "done": N_("done"), "email": N_("e-mail"), "sms": N_("SMS"),
    "viber": N_("Viber"), "viber_sms": N_("Viber, else SMS"),
    # partners
    "blogger": N_("blogger"), "specialist": N_("specialist"), "media": N_("media"),
    "company": N_("company"), "store": N_("store"), "other": N_("other"),
    "bank_transfer": N_("bank transfer"),
    # club
    "member": N_("club member"), "candidate_join": N_("candidate to join"),
    "candidate_extend": N_("to extend"), "candidate_exclude": N_("to exclude"),
    "regular": N_("regular customer"), "grant": N_("admitted to the club"),
    "decline": N_("declined"), "extend": N_("membership extended"),
    "exclude": N_("excluded from the club"), "invite": N_("invited into the club"),
    "carried_over": N_("a member in the previous program"),
    # contacts on a customer's record
    "note": N_("note"), "reward_paid": N_("partner reward paid"), "mailing": N_("mailing"),
    # ledger movements and their sources
    "friend_bonus": N_("bonus for a friend's purchase"), "bonus_spend": N_("paid with bonuses"),
    "bonus_refund": N_("bonuses given back"), "bonus_cash_out": N_("bonuses cashed out"),
    "purchase_bonus": N_("bonus for a purchase"), "manual_bonus": N_("bonus by hand"),
    "commission": N_("commission"), "commission_matured": N_("commission payable"),
    "payout": N_("payout"), "one_time": N_("one-time payment"),
    "setoff_refund": N_("set-off given back"),
    "milestone_reward": N_("milestone reward"), "sale": N_("sale"), "return": N_("return"),
    "void": N_("void"), "payment": N_("payment"), "maturity": N_("hold passed"),
    "card_bonus": N_("bonus for a purchase"),
    "card_bonus_reversal": N_("purchase bonus taken back"),
    "friend_bonus_reversal": N_("friend bonus taken back"),
    "partner_commission": N_("partner commission"),
    "partner_commission_reversal": N_("partner commission taken back"),
    "period_reset": N_("period started again"), "period_start": N_("period started"),
    # why a sale is credited to a partner
    "linked_customer": N_("the partner's customer"),
    "invoice_intermediary": N_("invoice through the partner"),
}


def word(value: object) -> str:
    """The reader's word for a stored value (unknown values read with spaces)."""
    text = str(value.value if hasattr(value, "value") else value)
    found = WORDS.get(text)
    return gettext(found) if found else text.replace("_", " ")


REASONS = {
    "card": N_("Card {percent}"), "club": N_("Club {percent}"),
    "friend_code": N_("Friend code of {reference}"),
    "partner_code": N_("Partner code {reference}"),
    "partner_offer": N_("Offer «{reference}»"),
}


def discount_reason(source: str, percent: Decimal, reference: str = "") -> str:
    """Why a line has its discount, in the reader's words: "Friend code of Rita K.",
    "Club 5 %", "Partner code GLOW10" (a line priced before references were kept names
    its kind)."""
    template = REASONS.get(source)
    if not source:
        return ""
    if template is None or ("{reference}" in template and not reference):
        return word(source)
    return gettext(template).format(percent=f"{number(percent.normalize())} %",
                                    reference=reference)
