"""Back office: Refer a Friend campaigns, issuing codes from the customer card, labels."""

from __future__ import annotations

import io
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from wordofmouth import i18n
from wordofmouth.auth.permissions import Principal
from wordofmouth.calendar import date_of, day_of_date
from wordofmouth.catalog import service as catalog
from wordofmouth.customers import service as customers
from wordofmouth.errors import InvalidInput
from wordofmouth.friends import bulk, labels, rules, service
from wordofmouth.friends.errors import CodeBatchNotFound
from wordofmouth.friends.rules import BonusRule
from wordofmouth.i18n import gettext
from wordofmouth.money import ZERO
from wordofmouth.settings import service as store_settings
from wordofmouth.web import forms
from wordofmouth.web.deps import DB, Form, page_permission
from wordofmouth.web.office import redirect
from wordofmouth.web.templating import render

router = APIRouter(include_in_schema=False)
Owner = Annotated[Principal, Depends(page_permission("settings"))]
Manager = Annotated[Principal, Depends(page_permission("analysis"))]
Issuer = Annotated[Principal, Depends(page_permission("customers:write"))]
Reader = Annotated[Principal, Depends(page_permission("customers:read"))]


def _campaign_fields(form: forms.FormData) -> dict[str, object]:
    from datetime import date

    raw_start = forms.text(form, "start_date")
    try:
        start = day_of_date(date.fromisoformat(raw_start))
    except ValueError as exc:
        raise InvalidInput(gettext("'{0}' is not a date (YYYY-MM-DD).").format(raw_start)) from exc
    rule = forms.text(form, "bonus_rule")
    value = forms.money(form, "bonus_value", "Bonus", default="0")
    return {
        "name": forms.text(form, "name"), "start_day": start,
        "validity_days": forms.integer(form, "validity_days", "Validity"),
        "friend_discount_percent": forms.decimal(form, "friend_discount_percent",
                                                 "Friend's discount"),
        "bonus_rule": rule,
        "bonus_amount": value if rule == BonusRule.FIXED else ZERO,
        "bonus_percent": ZERO if rule == BonusRule.FIXED else value,
        "bonus_max": forms.money(form, "bonus_max", "Maximum bonus")
        if forms.text(form, "bonus_max") else None,
        "min_purchase": forms.money(form, "min_purchase", "Minimum purchase")
        if forms.text(form, "min_purchase") else None,
        "group_id": forms.optional_int(form, "group_id"),
        "active": forms.checked(form, "active"),
    }


@router.get("/friends")
def campaigns(request: Request, db: DB, me: Manager) -> Response:
    """The campaigns: the owner runs them; a manager reads them (codes are issued from a
    customer's card by anyone who serves customers)."""
    return render(request, "friends/campaigns.html", me, campaigns=service.campaigns(db),
                  groups=catalog.group_tree(db), rules=[r.value for r in BonusRule],
                  date_of=date_of, last_day=lambda c: rules.last_valid_day(service.terms(c)))


@router.post("/friends")
def add_campaign(db: DB, me: Owner, form: Form) -> Response:
    c = service.create_campaign(db, **_campaign_fields(form))
    return redirect("/friends", gettext("Campaign {0} created.").format(c.name))


@router.post("/friends/{campaign_id}")
def save_campaign(campaign_id: int, db: DB, me: Owner, form: Form) -> Response:
    service.update_campaign(db, campaign_id, **_campaign_fields(form))
    return redirect("/friends", gettext("Campaign saved."))


@router.post("/customers/{customer_id}/friend-codes")
def issue(customer_id: int, db: DB, me: Issuer, form: Form) -> Response:
    issued = service.issue_codes(db, customer_id=customer_id,
                                 campaign_id=forms.integer(form, "campaign_id", "Campaign"),
                                 count=forms.integer(form, "count", "Number of codes"),
                                 actor=me.label)
    return redirect(f"/friends/batch/{issued[0].batch}", gettext("{0} codes issued.")
                                                         .format(len(issued)))


@router.post("/friends/{campaign_id}/printed")
def issue_printed(campaign_id: int, db: DB, me: Owner, form: Form) -> Response:
    """A printed mass campaign: many codes at once to one holder (by card number), for the
    print shop as a CSV file."""
    count = forms.integer(form, "count", "Number of codes")
    if not 1 <= count <= bulk.MAX_WEB:
        raise InvalidInput(gettext("From this page issue 1–{0} codes at a time; more with "
                                   "`wom friends issue`.").format(i18n.number(bulk.MAX_WEB)))
    holder = customers.card_by_number(db, forms.text(form, "card")).customer_id
    batch = bulk.issue_bulk(db, campaign_id=campaign_id, referrer_id=holder, count=count,
                            actor=me.label)
    return redirect(f"/friends/printed/{batch}", gettext("{0} codes issued.")
                    .format(i18n.number(count)))


@router.get("/friends/printed/{batch}.csv")
def printed_csv(batch: str, db: DB, me: Owner) -> Response:
    if bulk.summary(db, batch) is None:
        raise CodeBatchNotFound()
    out = io.StringIO()
    bulk.write_csv(db, batch, out)
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="friend-codes-{batch}.csv"'})


@router.get("/friends/printed/{batch}")
def printed_page(batch: str, request: Request, db: DB, me: Owner) -> Response:
    summary = bulk.summary(db, batch)
    if summary is None:
        raise CodeBatchNotFound()
    campaign = service.get_campaign(db, summary.campaign_id)
    return render(request, "friends/printed.html", me, batch=summary, campaign=campaign,
                  count=i18n.number(summary.codes),
                  last_day=rules.last_valid_day(service.terms(campaign)),
                  holder=customers.get_customer(db, summary.referrer_id))


def _labels(db: DB, batch: str) -> list[labels.Label]:
    issued = list(reversed(service.codes_of(db, batch=batch)))
    if not issued:
        raise CodeBatchNotFound()
    campaign = service.get_campaign(db, issued[0].campaign_id)
    until = i18n.day(date_of(rules.last_valid_day(service.terms(campaign))))
    pct = f"{i18n.number(campaign.friend_discount_percent.normalize())} %"
    store = store_settings.get(db).store_name
    return [labels.Label(c.code, pct, until, store) for c in issued]


@router.get("/friends/batch/{batch}")
def batch_page(batch: str, request: Request, db: DB, me: Reader) -> Response:
    issued = list(reversed(service.codes_of(db, batch=batch)))
    if not issued:
        raise CodeBatchNotFound()
    return render(request, "friends/batch.html", me, codes=issued, batch=batch,
                  labels=_labels(db, batch),
                  owner=customers.get_customer(db, issued[0].referrer_id))


@router.get("/friends/labels/{batch}.pdf")
def batch_pdf(batch: str, db: DB, me: Reader, layout: str = "a4") -> Response:
    if layout not in ("a4", "single"):
        raise InvalidInput(gettext("Layout is a4 or single."))
    with i18n.use(store_settings.get(db).language):  # labels are handed to customers
        pdf = labels.sheet(_labels(db, batch), layout=layout)
    return Response(pdf,
                    media_type="application/pdf", headers={
                        "Content-Disposition": f'inline; filename="friend-codes-{batch}.pdf"'})
