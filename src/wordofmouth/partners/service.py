"""The partner directory, employees, and who brought each customer (with its history)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wordofmouth import rows
from wordofmouth.audit import service as audit
from wordofmouth.customers import service as customers
from wordofmouth.db import utcnow
from wordofmouth.errors import InvalidInput
from wordofmouth.i18n import gettext
from wordofmouth.partners import rules
from wordofmouth.partners.errors import (
    AlreadyLinked,
    EmployeeNotFound,
    EmployeeOfAnotherPartner,
    PartnerInactive,
    PartnerNotFound,
    RelinkNeedsReason,
)
from wordofmouth.partners.models import (
    CustomerLink,
    CustomerLinkChange,
    Partner,
    PartnerEmployee,
    PartnerKind,
    SaleAttribution,
)
from wordofmouth.sales import service as sales
from wordofmouth.webhooks import service as webhooks

PARTNER_FIELDS = ("name", "kind", "phone", "email", "contacts", "payment_details", "active",
                  "statement_by_email")


def _check(values: dict[str, object]) -> None:
    if not str(values.get("name", "")).strip():
        raise InvalidInput(gettext("A partner needs a name."))
    if values.get("kind", PartnerKind.OTHER) not in {k.value for k in PartnerKind}:
        raise InvalidInput(gettext("Kind is one of {0}.")
                           .format(', '.join(k.value for k in PartnerKind)))
    if values.get("statement_by_email") and not str(values.get("email", "")).strip():
        raise InvalidInput(gettext("To e-mail the statement every month, give the partner an "
                                   "e-mail address."))


def create_partner(session: Session, *, actor: str, **values: object) -> Partner:
    _check(values)
    partner = Partner(**{k: v for k, v in values.items() if k in PARTNER_FIELDS})
    session.add(partner)
    session.flush()
    audit.record(session, actor=actor, action="partner.create", target_type="partner",
                 target_id=partner.id, name=partner.name)
    return partner


def update_partner(session: Session, partner_id: int, *, actor: str,
                   **values: object) -> Partner:
    partner = get_partner(session, partner_id)
    merged = {k: getattr(partner, k) for k in PARTNER_FIELDS} | values
    _check(merged)
    for key in PARTNER_FIELDS:
        setattr(partner, key, merged[key])
    session.flush()
    return partner


def statement_subscribers(session: Session) -> list[Partner]:
    """Active partners who asked for their statement by e-mail every month."""
    return list(session.scalars(select(Partner).where(
        Partner.active.is_(True), Partner.statement_by_email.is_(True)).order_by(Partner.id)))


def own_partner(session: Session, customer_id: int) -> Partner | None:
    """The partner whose own customer card this customer holds (their bonuses can be cashed
    out), if any."""
    return session.scalar(select(Partner).where(Partner.customer_id == customer_id,
                                                Partner.active.is_(True)).limit(1))


def attribution_of(session: Session, sale_id: int) -> tuple[str, int | None, str, str] | None:
    """Why a sale is credited to a partner: (reason, partner id, partner's name, employee's
    name), or None before the sale is decided (open, or paid before attribution existed)."""
    row = session.get(SaleAttribution, sale_id)
    if row is None:
        return None
    partner = session.get(Partner, row.partner_id) if row.partner_id else None
    employee = session.get(PartnerEmployee, row.employee_id) if row.employee_id else None
    return (row.reason, row.partner_id, partner.name if partner else "",
            employee.name if employee else "")


def find_partner(session: Session, partner_id: int) -> Partner | None:
    return session.get(Partner, partner_id)


def get_partner(session: Session, partner_id: int) -> Partner:
    return rows.one(session, Partner, partner_id, PartnerNotFound,
                          gettext("Partner {0} does not exist.").format(partner_id))


def partners(session: Session, *, active_only: bool = False) -> list[Partner]:
    stmt = select(Partner).order_by(func.lower(Partner.name))
    if active_only:
        stmt = stmt.where(Partner.active.is_(True))
    return list(session.scalars(stmt))


def add_employee(session: Session, partner_id: int, *, name: str, phone: str = "",
                 email: str = "") -> PartnerEmployee:
    get_partner(session, partner_id)
    if not name.strip():
        raise InvalidInput(gettext("An employee needs a name."))
    employee = PartnerEmployee(partner_id=partner_id, name=name.strip(), phone=phone.strip(),
                               email=email.strip(), active=True)
    session.add(employee)
    session.flush()
    return employee


def update_employee(session: Session, partner_id: int, employee_id: int, *, name: str,
                    phone: str = "", email: str = "", active: bool = True,
                    actor: str) -> PartnerEmployee:
    """Correct an employee's name and contacts, or mark them gone (inactive: kept on the
    customers and sales they brought, no longer offered)."""
    employee_of(session, partner_id, employee_id)  # this partner's, or refused
    employee = session.get(PartnerEmployee, employee_id)
    assert employee is not None
    if not name.strip():
        raise InvalidInput(gettext("An employee needs a name."))
    employee.name, employee.phone, employee.email = name.strip(), phone.strip(), email.strip()
    employee.active = active
    session.flush()
    audit.record(session, actor=actor, action="partner.employee", target_type="partner",
                 target_id=partner_id, employee=employee.id, name=employee.name,
                 active=active)
    return employee


def referrer_choice(session: Session, raw: str) -> tuple[int, int | None]:
    """The partner (and employee) of a "who sent them" choice: "p:ID" a partner, "e:ID" one
    of a partner's employees."""
    kind, _, number = raw.partition(":")
    if kind not in ("p", "e") or not number.isdigit():
        raise InvalidInput(gettext("Choose who sent the customer from the list."))
    if kind == "p":
        return get_partner(session, int(number)).id, None
    employee = session.get(PartnerEmployee, int(number))
    if employee is None:
        raise EmployeeNotFound(gettext("Employee {0} does not exist.").format(number))
    return employee.partner_id, employee.id


def employees(session: Session, partner_id: int) -> list[PartnerEmployee]:
    return list(session.scalars(select(PartnerEmployee)
                                .where(PartnerEmployee.partner_id == partner_id)
                                .order_by(PartnerEmployee.name)))


def all_employees(session: Session) -> list[tuple[str, PartnerEmployee]]:
    """Every active employee with their partner's name, for choosing in a form."""
    return [(name, e) for e, name in session.execute(
        select(PartnerEmployee, Partner.name)
        .join(Partner, Partner.id == PartnerEmployee.partner_id)
        .where(PartnerEmployee.active.is_(True), Partner.active.is_(True))
        .order_by(func.lower(Partner.name), PartnerEmployee.name))]


def employee_of(session: Session, partner_id: int, employee_id: int | None) -> int | None:
    """Check that the employee (if any) belongs to the partner."""
    if employee_id is None:
        return None
    employee = rows.one(session, PartnerEmployee, employee_id, EmployeeNotFound,
                              gettext("Partner employee {0} does not exist.").format(employee_id))
    if employee.partner_id != partner_id:
        raise EmployeeOfAnotherPartner()
    return employee.id


def link_of(session: Session, customer_id: int) -> CustomerLink | None:
    return session.get(CustomerLink, customer_id)


def link(session: Session, customer_id: int, partner_id: int, *, employee_id: int | None = None,
         source: str = "manual", actor: str, may_relink: bool = False,
         reason: str = "", at: datetime | None = None) -> bool:
    """Link a customer to the partner who brought them. The first link wins: an automatic
    path (a partner code, a storefront key) never re-links; by hand, re-linking is for an
    owner or a manager (`may_relink`: the partners:write permission), with a reason.
    Returns whether the link changed. `at`: when, for history brought from an older
    program (default now)."""
    customers.get_customer(session, customer_id)
    partner = get_partner(session, partner_id)
    employee_id = employee_of(session, partner.id, employee_id)
    current = session.get(CustomerLink, customer_id)
    if current is not None and (current.partner_id, current.employee_id) == (partner.id,
                                                                              employee_id):
        return False
    if not rules.may_link(current.partner_id if current else None, source):
        return False
    if current is None and not partner.active:
        raise PartnerInactive(gettext("{0} is not active.").format(partner.name))
    if current is not None:
        if not may_relink:
            raise AlreadyLinked()
        if not reason.strip():
            raise RelinkNeedsReason()
    changed_from = current.partner_id if current else None
    session.add(CustomerLinkChange(
        customer_id=customer_id, partner_id=partner.id, employee_id=employee_id,
        previous_partner_id=current.partner_id if current else None,
        previous_employee_id=current.employee_id if current else None,
        source=source, actor=actor, reason=reason.strip()[:300], at=at or utcnow()))
    if current is None:
        session.add(CustomerLink(customer_id=customer_id, partner_id=partner.id,
                                 employee_id=employee_id, source=source,
                                 linked_at=at or utcnow()))
    else:
        audit.record(session, actor=actor, action="customer.relink", target_type="customer",
                     target_id=customer_id, partner=[current.partner_id, partner.id],
                     employee=[current.employee_id, employee_id], reason=reason.strip())
        current.partner_id, current.employee_id, current.source = partner.id, employee_id, source
    session.flush()
    webhooks.emit(session, "customer.linked", {
        "customer_id": customer_id, "partner_id": partner.id, "partner": partner.name,
        "employee_id": employee_id, "source": source,
        "previous_partner_id": changed_from})
    return True


def issue_through(session: Session, sale_id: int, partner_id: int | None, *,
                  employee_id: int | None = None, partner_pays: bool = False) -> None:
    """An invoice just issued: through its intermediary (if any), who may be the one who
    pays it; an intermediary who pays must be named."""
    if partner_id is None:
        if partner_pays:
            raise InvalidInput(gettext("Choose the intermediary who pays the invoice."))
        return
    set_intermediary(session, sale_id, partner_id, employee_id=employee_id,
                     partner_pays=partner_pays)


def set_intermediary(session: Session, sale_id: int, partner_id: int, *,
                     employee_id: int | None = None, partner_pays: bool = False) -> None:
    """An invoice "to the customer through an intermediary": that partner earns the
    commission of this invoice when it is paid, whoever the customer is linked to.
    `partner_pays`: the intermediary pays for the goods, not the customer (and may pay by
    setting off their payable commission)."""
    sale = sales.get_sale(session, sale_id)
    sales.require_open(sale)
    partner = get_partner(session, partner_id)
    if not partner.active:
        raise PartnerInactive(gettext("{0} is not active.").format(partner.name))
    row = session.get(SaleAttribution, sale.id) or SaleAttribution(sale_id=sale.id)
    row.partner_id, row.reason = partner.id, "invoice_intermediary"
    row.partner_pays = partner_pays
    row.employee_id = employee_of(session, partner.id, employee_id)
    session.add(row)
    session.flush()


def link_history(session: Session, customer_id: int) -> list[CustomerLinkChange]:
    return list(session.scalars(select(CustomerLinkChange)
                                .where(CustomerLinkChange.customer_id == customer_id)
                                .order_by(CustomerLinkChange.id.desc())))
