"""Every PDF embeds a Unicode font: Cyrillic names and the hryvnia sign come out as written
(read back from the PDF's text, not looked for in its bytes)."""

from __future__ import annotations

import io
import re

from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy.orm import Session

from tests.factories import CardFactory
from tests.friends.helpers import campaign
from tests.web.pages import login
from wordofmouth.calendar import today_date
from wordofmouth.friends.models import FriendCode
from wordofmouth.partners import service as partners
from wordofmouth.settings import service as store_settings
from wordofmouth.storefront import keys


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _fonts(pdf: bytes) -> set[str]:
    """The fonts the PDF embeds (a subset's name has a six-letter tag: 'ABCDEF+WomSans')."""
    return {f.decode() for f in re.findall(rb"/BaseFont /([A-Z]{6}\+[\w-]+)", pdf)}


def test_friend_code_labels_print_a_cyrillic_store_name(client: TestClient, db: Session) -> None:
    store_settings.update(db, actor="owner", store_name="Краса Корнер")
    c = campaign(db, name="Приведи подругу")
    referrer = CardFactory.create().customer_id
    csrf = login(client, "cashier")
    client.post(f"/customers/{referrer}/friend-codes",
                data={"csrf_token": csrf, "campaign_id": str(c.id), "count": "2"})
    batch = db.query(FriendCode).filter_by(referrer_id=referrer).first()
    assert batch is not None
    pdf = client.get(f"/friends/labels/{batch.batch}.pdf").content
    text = _text(pdf)
    assert text.count("Краса Корнер") == 2
    assert "Дійсний до" in text and "знижки на першу покупку" in text
    assert any(f.endswith("+NotoSans-Regular") for f in _fonts(pdf))  # an embedded subset
    assert b"/FontFile2" in pdf  # the TrueType program itself is in the file


def test_the_reward_statement_prints_a_cyrillic_partner_and_hryvnia_amounts(
        client: TestClient, db: Session) -> None:
    partner = partners.create_partner(db, name="Клініка Коваль", kind="specialist", actor="t")
    keys.add_key(db, partner.id, "kovalclinic", actor="t")
    login(client, "owner")
    today = today_date(store_settings.zone(db)).isoformat()
    r = client.get(f"/partners/{partner.id}/statement?fmt=pdf&date_from={today}",
                   headers={"Accept-Language": "uk"})
    text = _text(r.content)
    assert "Звіт про винагороди — Клініка Коваль" in text
    assert "Залишок на початок" in text and "Залишок на кінець" in text
