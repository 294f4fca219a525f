"""Importing the partners and customers a store kept in a spreadsheet."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.web.pages import login
from wordofmouth.customers.models import Customer
from wordofmouth.errors import InvalidInput
from wordofmouth.partners import importing
from wordofmouth.partners import service as partners
from wordofmouth.partners.models import Partner, PartnerEmployee

PARTNERS = ("name;kind;phone;employee\n"
            "Salon Lily;company;+380441112233;Iryna\n"
            "Salon Lily;company;;Mariia\n"
            "Gym Olymp;company;;\n")


def test_partners_with_employees_from_excel_utf8_with_bom_and_semicolons(db: Session) -> None:
    report = importing.import_partners(db, "\ufeff".encode() + PARTNERS.encode(), actor="o")
    assert (report.imported, report.errors) == (3, [])
    lily = db.scalars(select(Partner).where(Partner.name == "Salon Lily")).one()
    assert sorted(e.name for e in partners.employees(db, lily.id)) == ["Iryna", "Mariia"]
    assert db.scalar(select(func.count(Partner.id))) == 2


def test_customers_in_cp1251_with_per_row_errors(db: Session) -> None:
    importing.import_partners(db, PARTNERS.encode(), actor="o")
    sheet = ("first_name,last_name,email,card_number,partner,employee\n"
             "Олена,Коваленко,olena@example.com,2100000000017,Salon Lily,Iryna\n"
             "Тарас,Мельник,not-an-email,,Salon Lily,\n"
             "Ірина,Бондар,,,Nobody Inc,\n"
             "Софія,Марченко,,,Salon Lily,Taras\n"
             "Андрій,Бойко,,,,\n")
    report = importing.import_customers(db, sheet.encode("cp1251"), actor="o")
    assert report.imported == 2
    assert [line for line, _ in report.errors] == [3, 4, 5]
    assert "not an e-mail address" in report.errors[0][1]
    assert "No partner named 'Nobody Inc'" in report.errors[1][1]
    assert "has no employee 'Taras'" in report.errors[2][1]
    olena = db.scalars(select(Customer).where(Customer.first_name == "Олена")).one()
    link = partners.link_of(db, olena.id)
    iryna = db.scalars(select(PartnerEmployee).where(PartnerEmployee.name == "Iryna")).one()
    assert link is not None and (link.employee_id, link.source) == (iryna.id, "import")
    assert db.scalars(select(Customer).where(Customer.first_name == "Тарас")).first() is None


@pytest.mark.parametrize(("data", "problem"), [
    (b"", "empty"), (b"title,phone\nX,1\n", "Missing column(s): first_name"),
    (b"first_name|last_name\nA|B\n", "Missing column(s): first_name"),
])
def test_a_file_without_the_columns_imports_nothing(db: Session, data: bytes,
                                                     problem: str) -> None:
    with pytest.raises(InvalidInput, match=problem.replace("(", r"\(").replace(")", r"\)")):
        importing.import_customers(db, data, actor="o")


def test_the_import_page_reports_each_row(client: TestClient, db: Session) -> None:
    csrf = login(client, "manager")
    r = client.post("/partners/import", data={"csrf_token": csrf, "what": "partners"},
                    files={"file": ("partners.csv", PARTNERS.encode(), "text/csv")})
    assert r.status_code == 200 and "3 row(s) imported, 0 with problems" in r.text
    r = client.post("/partners/import", data={"csrf_token": csrf, "what": "customers"},
                    files={"file": ("c.csv", b"name\nX\n", "text/csv")})
    assert r.status_code == 422 and "Missing column(s): first_name" in r.text
