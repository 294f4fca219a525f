"""Record and read the audit log."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wordofmouth.audit.models import AuditEvent


def record(session: Session, *, actor: str, action: str, target_type: str, target_id: object,
           **details: Any) -> AuditEvent:
    """Append one audit event in the caller's transaction."""
    event = AuditEvent(actor=actor, action=action, target_type=target_type,
                       target_id=str(target_id), details=_jsonable(details))
    session.add(event)
    return event


def recent(session: Session, *, action: str | None = None, limit: int = 100,
           offset: int = 0) -> list[AuditEvent]:
    stmt = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit).offset(offset)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    return list(session.scalars(stmt))


def _jsonable(details: dict[str, Any]) -> dict[str, Any]:
    return {k: (v if isinstance(v, (int, bool, type(None), list, dict)) else str(v))
            for k, v in details.items()}
