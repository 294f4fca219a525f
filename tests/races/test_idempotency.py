"""Twelve tills retrying one sale with the same Idempotency-Key at the same moment make one
sale: the first reserves the key (INSERT … ON CONFLICT DO NOTHING), the others wait on its
row and replay its committed answer; another body under the same key is refused."""

from __future__ import annotations

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from tests import factories
from tests.live import LiveServer, race, statuses
from tests.races.conftest import bearer
from tests.sales.helpers import product
from wordofmouth.auth import service as auth
from wordofmouth.sales.models import Sale


def test_twelve_retries_of_one_sale_at_once_make_one_sale(server: LiveServer,
                                                          store: Engine) -> None:
    with Session(store) as s:
        factories.bind(s)
        product_id = product("120.00").id
        raw = auth.create_token(s, name="till", scopes=["sales:write"], actor="test")
        s.commit()
        before = s.scalar(select(func.count()).select_from(Sale)) or 0
    body = {"lines": [{"product_id": product_id, "qty": "1"}],
            "payments": [{"method": "cash", "amount": "120.00"}]}
    headers = bearer(raw) | {"Idempotency-Key": "till-3-receipt-0042"}
    answers = race(12, lambda c, i: c.post(f"{server.base}/api/sales", json=body,
                                           headers=headers))
    assert statuses(answers) == [201] * 12, [a.text for a in answers]
    assert len({a.json()["id"] for a in answers}) == 1  # every answer names the one sale
    assert sum(a.headers.get("idempotent-replayed") == "true" for a in answers) == 11
    other = race(1, lambda c, i: c.post(f"{server.base}/api/sales", headers=headers, json={
        **body, "lines": [{"product_id": product_id, "qty": "2"}]}))[0]
    assert (other.status_code, other.json()["error"]) == (422, "idempotency_key_reused")
    with Session(store) as s:
        assert (s.scalar(select(func.count()).select_from(Sale)) or 0) == before + 1
