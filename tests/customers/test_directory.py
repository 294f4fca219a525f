"""Marketing → Customers filtered and sorted by who brought each customer (seed 000: "sort
customers by referrer"); the partner page counts its customers and links to them, and its
employees are edited there."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import CustomerFactory
from tests.partners.helpers import partner
from tests.web.pages import login
from wordofmouth.partners import service as partners


def _names(html: str) -> list[str]:
    table = html.split('<table id="customers">')[1].split("</table>")[0]
    return [cell.split(">", 1)[1].split("<", 1)[0]
            for cell in table.split('<a href="/customers/')[1:]]


def test_customers_filtered_and_sorted_by_who_brought_them(client: TestClient,
                                                           db: Session) -> None:
    salon, gym = partner(db, "Salon Lily"), partner(db, "Gym Olymp")
    iryna = partners.add_employee(db, salon.id, name="Iryna")
    people = {}
    for first, last in (("Anna", "Ivanenko"), ("Boris", "Koval"), ("Vira", "Shevchenko"),
                        ("Halyna", "Melnyk")):
        people[first] = CustomerFactory.create(first_name=first, last_name=last).id
    partners.link(db, people["Anna"], gym.id, actor="cashier")
    partners.link(db, people["Boris"], salon.id, employee_id=iryna.id, actor="cashier")
    partners.link(db, people["Vira"], salon.id, actor="cashier")
    login(client, "manager")
    by_referrer = client.get("/customers?sort=referrer").text
    # Gym Olymp, then Salon Lily (the partner itself before Iryna's), then nobody
    assert _names(by_referrer) == ["Anna Ivanenko", "Vira Shevchenko", "Boris Koval",
                                   "Halyna Melnyk"]
    assert "Salon Lily — Iryna" in by_referrer
    salon_only = client.get(f"/customers?referrer=p:{salon.id}").text
    assert _names(salon_only) == ["Boris Koval", "Vira Shevchenko"]
    irynas = client.get(f"/customers?referrer=e:{iryna.id}").text
    assert _names(irynas) == ["Boris Koval"]
    assert client.get("/customers?sort=age").status_code == 422
    assert client.get("/customers?referrer=x:1").status_code == 422


def test_the_partner_page_counts_its_customers_and_edits_employees(client: TestClient,
                                                                   db: Session) -> None:
    salon = partner(db, "Salon Lily")
    iryna = partners.add_employee(db, salon.id, name="Irina")
    for _ in range(3):
        partners.link(db, CustomerFactory.create().id, salon.id, actor="cashier")
    csrf = login(client, "manager")
    page = client.get(f"/partners/{salon.id}").text
    assert f'href="/customers?referrer=p:{salon.id}&sort=referrer">3 customers brought' in page
    r = client.post(f"/partners/{salon.id}/employees/{iryna.id}",
                    data={"csrf_token": csrf, "name": "Iryna", "phone": "+380671112233",
                          "email": "", "active": "on"})
    assert r.status_code == 200 and "Employee Iryna saved." in r.text
    db.expire_all()
    assert [e.name for e in partners.employees(db, salon.id)] == ["Iryna"]
    gym = partner(db, "Gym Olymp")
    wrong = client.post(f"/partners/{gym.id}/employees/{iryna.id}",
                        data={"csrf_token": csrf, "name": "X"})
    assert wrong.status_code in (404, 409, 422)
    assert [e.name for e in partners.employees(db, salon.id)] == ["Iryna"]
