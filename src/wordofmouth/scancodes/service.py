"""Register and resolve scannable codes; a code belongs to exactly one thing."""

from dataclasses import dataclass

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from wordofmouth.errors import Conflict
from wordofmouth.i18n import N_, gettext
from wordofmouth.scancodes.models import ScanCode


class CodeTaken(Conflict):
    code = "code_taken"
    message = N_("This code is already used by another card, product or promo code.")


@dataclass(frozen=True)
class Resolved:
    kind: str
    target_id: int


def register(session: Session, code: str, kind: str, target_id: int) -> None:
    """Claim `code` for (kind, target); refuses a code another thing already holds."""
    existing = session.get(ScanCode, code)
    if existing is not None:
        if existing.kind == kind and existing.target_id == target_id:
            return
        raise CodeTaken(gettext("Code {0} is already used by a {1}.")
                        .format(code, existing.kind.replace('_', ' ')))
    session.add(ScanCode(code=code, kind=kind, target_id=target_id))
    session.flush()


def register_many(session: Session, kind: str, claims: list[tuple[str, int]]) -> None:
    """Claim many (code, target) pairs that `taken` found free, in one statement."""
    if claims:
        session.execute(insert(ScanCode), [
            {"code": code, "kind": kind, "target_id": target} for code, target in claims])


def release(session: Session, code: str, kind: str) -> None:
    session.execute(delete(ScanCode).where(ScanCode.code == code, ScanCode.kind == kind))


def resolve(session: Session, code: str) -> Resolved | None:
    row = session.get(ScanCode, code.strip())
    return Resolved(row.kind, row.target_id) if row else None


def resolve_typed(session: Session, code: str) -> Resolved | None:
    """A code as a person scanned or typed it: as written, else in capitals (promo codes
    are kept in capitals; a scanner sends them as printed)."""
    return resolve(session, code) or resolve(session, code.strip().upper())


def taken(session: Session, codes: list[str]) -> set[str]:
    """Which of `codes` are already claimed (one query, for bulk generators)."""
    return set(session.scalars(select(ScanCode.code).where(ScanCode.code.in_(codes))))
