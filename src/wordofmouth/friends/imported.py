"""Friend codes a store issued in its old program: each keeps its printed number, its owner
and its day, and works at the till like a code issued here; a code the old program saw used
is recorded as used, with the friend it brought (the bonus it earned is already in the
owner's imported balance, so the ledger is not touched)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from wordofmouth.errors import InvalidInput
from wordofmouth.friends import errors, repository
from wordofmouth.friends.models import CodeStatus, FriendCampaign, FriendCode, FriendReferral
from wordofmouth.friends.service import KIND
from wordofmouth.i18n import gettext
from wordofmouth.scancodes import service as scancodes

if TYPE_CHECKING:  # another capability's tables, named in type hints only
    from wordofmouth.sales.models import Sale

BATCH = "import"


def campaign_named(session: Session, name: str) -> FriendCampaign:
    wanted = name.strip().lower()
    found = next((c for c in repository.campaigns(session) if c.name.strip().lower() == wanted),
                 None)
    if found is None:
        raise errors.CampaignNotFound(gettext("No Refer a Friend campaign named '{0}'.")
                                      .format(name))
    return found


def record_issued(session: Session, *, code: str, campaign: FriendCampaign, referrer_id: int,
                  issued_at: datetime | None, actor: str) -> FriendCode:
    code = code.strip()
    if not 4 <= len(code) <= 13 or not code.isalnum():
        raise InvalidInput(gettext("A friend code is 4–13 letters or digits (not '{0}').")
                           .format(code))
    if repository.by_code(session, code) is not None:
        raise errors.FriendCodeExists(gettext("Friend code {0} is recorded already.")
                                      .format(code))
    fc = FriendCode(code=code, campaign_id=campaign.id, referrer_id=referrer_id, batch=BATCH,
                    issued_by=actor, status=CodeStatus.ISSUED)
    if issued_at is not None:
        fc.issued_at = issued_at
    session.add(fc)
    session.flush()
    scancodes.register(session, code, KIND, fc.id)  # code_taken if a card or product has it
    return fc


def record_used(session: Session, fc: FriendCode, *, sale: Sale) -> None:
    """The code was used on this (imported) sale: its buyer is the friend it brought."""
    if sale.customer_id is None:
        raise InvalidInput(gettext("The receipt of a used friend code needs the friend's card."))
    if sale.customer_id == fc.referrer_id:
        raise errors.OwnCode()
    if repository.is_referred(session, sale.customer_id):
        raise errors.AlreadyReferred()
    fc.status, fc.used_sale_id, fc.friend_id = CodeStatus.USED, sale.id, sale.customer_id
    fc.used_at, fc.purchase_amount = sale.paid_at or sale.created_at, sale.net_total
    session.add(FriendReferral(friend_id=sale.customer_id, referrer_id=fc.referrer_id,
                               code_id=fc.id, sale_id=sale.id, at=fc.used_at))
    session.flush()
