"""Importing the spreadsheet a store kept before: partners (with employees) and customers
(with their partner and employee). Each row imports in a savepoint of its own: a failed row
imports nothing of itself and is reported with its line number and the reason."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wordofmouth.customers import service as customers
from wordofmouth.errors import DomainError
from wordofmouth.i18n import gettext
from wordofmouth.partners import service as partners
from wordofmouth.partners.errors import BadImportFile, EmployeeNotFound, PartnerNotFound
from wordofmouth.partners.models import Partner, PartnerEmployee

MAX_BYTES = 5_000_000
PARTNER_COLUMNS = {"name"}
CUSTOMER_COLUMNS = {"first_name"}


@dataclass
class ImportReport:
    imported: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def read_table(data: bytes, required: set[str], *,
               max_bytes: int = MAX_BYTES) -> list[tuple[int, dict[str, str]]]:
    """Rows of a CSV file as Excel saves it: UTF-8 (with or without BOM) or cp1251; comma,
    semicolon or tab; headers in any case. Refuses the whole file if a column is missing."""
    if len(data) > max_bytes:
        raise BadImportFile(gettext("The file is larger than {0} MB; split it.")
                            .format(max_bytes // 1_000_000))
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1251 decodes any byte except a few
        raise BadImportFile(gettext("The file is neither UTF-8 nor Windows-1251 text."))
    if not text.strip():
        raise BadImportFile(gettext("The file is empty."))
    first = text.splitlines()[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [h.strip().lower().replace(" ", "_") for h in next(reader)]
        missing = required - set(header)
        if missing:
            raise BadImportFile(gettext("Missing column(s): {0}. The first line has: {1}.")
                                .format(', '.join(sorted(missing)), ', '.join(header) or 'nothing'))
        rows = []
        for number, values in enumerate(reader, start=2):
            if any(v.strip() for v in values):
                rows.append((number, {h: (values[i].strip() if i < len(values) else "")
                                      for i, h in enumerate(header)}))
    except csv.Error as exc:  # a field past the csv module's limit, a stray NUL, …
        raise BadImportFile(gettext("Line {0} cannot be read ({1}); a field may be far too "
                                    "long or hold a quote that is never closed.")
                            .format(reader.line_num, exc)) from exc
    return rows


def _each(session: Session, rows: list[tuple[int, dict[str, str]]],
          one: Callable[[dict[str, str]], None]) -> ImportReport:
    report = ImportReport()
    for number, row in rows:
        savepoint = session.begin_nested()
        try:
            one(row)
            session.flush()
            savepoint.commit()
            report.imported += 1
        except DomainError as exc:
            savepoint.rollback()
            report.errors.append((number, exc.detail))
    return report


def _partner_named(session: Session, name: str) -> Partner | None:
    return session.scalars(select(Partner).where(func.lower(Partner.name) == name.lower())
                           ).first()


def _employee_named(session: Session, partner_id: int, name: str) -> PartnerEmployee | None:
    return session.scalars(select(PartnerEmployee).where(
        PartnerEmployee.partner_id == partner_id,
        func.lower(PartnerEmployee.name) == name.lower())).first()


def import_partners(session: Session, data: bytes, *, actor: str) -> ImportReport:
    """Columns: name, kind, phone, email, payment_details, employee (one row per employee;
    a partner named again is reused)."""
    def one(row: dict[str, str]) -> None:
        partner = _partner_named(session, row["name"])
        if partner is None:
            partner = partners.create_partner(
                session, actor=actor, name=row["name"], kind=row.get("kind") or "other",
                phone=row.get("phone", ""), email=row.get("email", ""),
                payment_details=row.get("payment_details", ""), active=True)
        employee = row.get("employee", "")
        if employee and _employee_named(session, partner.id, employee) is None:
            partners.add_employee(session, partner.id, name=employee)

    return _each(session, read_table(data, PARTNER_COLUMNS), one)


def import_customers(session: Session, data: bytes, *, actor: str) -> ImportReport:
    """Columns: first_name, last_name, phone, email, card_number, partner, employee."""
    def one(row: dict[str, str]) -> None:
        customer = customers.create_customer(
            session, first_name=row["first_name"], last_name=row.get("last_name", ""),
            phone=row.get("phone") or None, email=row.get("email") or None)
        if row.get("card_number"):
            customers.issue_card(session, customer.id, number=row["card_number"])
        if row.get("partner"):
            partner = _partner_named(session, row["partner"])
            if partner is None:
                raise PartnerNotFound(gettext("No partner named '{0}'.").format(row['partner']))
            employee_id = None
            if row.get("employee"):
                employee = _employee_named(session, partner.id, row["employee"])
                if employee is None:
                    raise EmployeeNotFound(gettext("{0} has no employee '{1}'.")
                                           .format(partner.name, row['employee']))
                employee_id = employee.id
            partners.link(session, customer.id, partner.id, employee_id=employee_id,
                          source="import", actor=actor)

    return _each(session, read_table(data, CUSTOMER_COLUMNS), one)
