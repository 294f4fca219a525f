"""Passwords (argon2), login with throttling, server-side sessions, integration tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError, VerifyMismatchError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from wordofmouth import rows
from wordofmouth.audit import service as audit
from wordofmouth.auth import rules
from wordofmouth.auth.errors import (
    BadCredentials,
    DuplicateLogin,
    TokenNotFound,
    UnknownScope,
    UserNotFound,
    WeakPassword,
)
from wordofmouth.auth.models import ApiToken, LoginAttempt, Role, User, UserSession
from wordofmouth.auth.permissions import SCOPES, Principal
from wordofmouth.config import get_settings
from wordofmouth.db import utcnow
from wordofmouth.errors import InvalidInput, Throttled
from wordofmouth.i18n import LANGUAGES, gettext
from wordofmouth.settings import service as store_settings

_hasher = PasswordHasher()
# Verifying against this keeps a login for an unknown user as slow as for a known one.
_DUMMY_HASH = _hasher.hash("wordofmouth-dummy-password")


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(session: Session, *, login: str, name: str, role: str, password: str,
                actor: str = "system", partner_id: int | None = None) -> User:
    login = login.strip().lower()
    if not login or len(login) > 60:
        raise InvalidInput(gettext("A login is 1–60 characters."))
    if role not in {r.value for r in Role}:
        raise InvalidInput(gettext("Unknown role '{0}'.").format(role))
    if len(password) < 8:
        raise WeakPassword()
    if (role == Role.PARTNER) != (partner_id is not None):
        raise InvalidInput(gettext("A partner user needs its partner, and only a partner "
                                   "user has one."))
    if session.scalar(select(User.id).where(User.login == login)) is not None:
        raise DuplicateLogin(gettext("Login '{0}' is taken.").format(login))
    user = User(login=login, name=name.strip() or login, role=role,
                password_hash=_hasher.hash(password), active=True, partner_id=partner_id)
    session.add(user)
    session.flush()
    audit.record(session, actor=actor, action="user.create", target_type="user",
                 target_id=user.id, login=login, role=role)
    return user


def set_user(session: Session, user_id: int, *, role: str, active: bool, actor: str) -> User:
    user = rows.one(session, User, user_id, UserNotFound)
    if role not in {r.value for r in Role}:
        raise InvalidInput(gettext("Unknown role '{0}'.").format(role))
    audit.record(session, actor=actor, action="user.change", target_type="user",
                 target_id=user.id, role=[user.role, role], active=[user.active, active])
    user.role, user.active = role, active
    if not active:
        session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    session.flush()
    return user


def login(session: Session, *, login: str, password: str, ip: str) -> tuple[User, str]:
    """Check the password, throttled per login; returns the user and a new session token."""
    settings = get_settings()
    login, ip = login.strip().lower()[:60], ip[:64]
    now = utcnow()
    left = rules.wait(_failures(session, login, ip, now), allowed=settings.login_max_failures,
                      window=timedelta(minutes=settings.login_window_minutes), now=now)
    if left:
        raise Throttled(gettext("Too many failed logins for '{0}' from this address; try "
                                "again in {1}.").format(login, rules.in_words(left)))
    user = session.scalars(select(User).where(User.login == login)).one_or_none()
    ok = _verify(user.password_hash if user else _DUMMY_HASH, password) and bool(
        user and user.active)
    session.add(LoginAttempt(login=login, ip=ip, ok=ok))
    session.flush()
    if not ok or user is None:
        raise BadCredentials()
    token = secrets.token_urlsafe(32)
    session.add(UserSession(token_hash=digest(token), user_id=user.id,
                            csrf_token=secrets.token_urlsafe(24),
                            expires_at=utcnow() + timedelta(hours=settings.session_hours)))
    session.flush()
    return user, token


def _failures(session: Session, login: str, ip: str, now: datetime) -> rules.Failures:
    since = now - timedelta(minutes=get_settings().login_window_minutes)
    ok_here = session.scalar(select(func.max(LoginAttempt.at)).where(
        LoginAttempt.login == login, LoginAttempt.ip == ip, LoginAttempt.ok.is_(True)))
    here_since = max(since, ok_here) if ok_here else since
    here, last_here = session.execute(
        select(func.count(), func.max(LoginAttempt.at)).where(
            LoginAttempt.login == login, LoginAttempt.ip == ip, LoginAttempt.ok.is_(False),
            LoginAttempt.at > here_since)).one()
    everywhere = session.scalar(select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.login == login, LoginAttempt.ok.is_(False),
        LoginAttempt.at >= since)) or 0
    return rules.Failures(here=int(here or 0), last_here=last_here, everywhere=int(everywhere),
                          known_address=ok_here is not None)


def locked_logins(session: Session) -> dict[str, int]:
    """Logins with recent failures, and how many (for the users page)."""
    since = utcnow() - timedelta(minutes=get_settings().login_window_minutes)
    rows = session.execute(select(LoginAttempt.login, func.count()).where(
        LoginAttempt.ok.is_(False), LoginAttempt.at >= since)
        .group_by(LoginAttempt.login)).all()
    limit = get_settings().login_max_failures
    return {login: int(n) for login, n in rows if n >= limit}


def unlock(session: Session, user_id: int, *, actor: str) -> User:
    """Forget a login's failed attempts, so it may log in again at once from anywhere."""
    user = rows.one(session, User, user_id, UserNotFound)
    gone = session.execute(delete(LoginAttempt).where(
        LoginAttempt.login == user.login, LoginAttempt.ok.is_(False))).rowcount  # type: ignore[attr-defined]
    audit.record(session, actor=actor, action="user.unlock", target_type="user",
                 target_id=user.id, failures_forgotten=gone)
    session.flush()
    return user


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError):
        return False


def session_principal(session: Session, token: str) -> Principal | None:
    row = session.execute(
        select(UserSession, User).join(User, User.id == UserSession.user_id)
        .where(UserSession.token_hash == digest(token))
    ).one_or_none()
    if row is None:
        return None
    user_session, user = row
    if user_session.expires_at < utcnow() or not user.active:
        return None
    return Principal(kind="user", id=user.id, label=user.login, role=user.role,
                     csrf_token=user_session.csrf_token, partner_id=user.partner_id,
                     name=user.name, language=user.language,
                     time_zone=store_settings.get(session).time_zone)


def set_language(session: Session, user_id: int, language: str | None) -> None:
    """The user's own interface language (None: follow the browser)."""
    if language is not None and language not in LANGUAGES:
        raise InvalidInput(gettext("Language must be one of {0}.").format(', '.join(LANGUAGES)))
    user = rows.one(session, User, user_id, UserNotFound, gettext("User {0} does not exist.")
                                                          .format(user_id))
    user.language = language
    session.flush()


def logout(session: Session, token: str) -> None:
    session.execute(delete(UserSession).where(UserSession.token_hash == digest(token)))


def create_token(session: Session, *, name: str, scopes: list[str], actor: str) -> str:
    """A new integration token; the raw value is shown once and only its hash is kept."""
    unknown = set(scopes) - set(SCOPES)
    if unknown:
        raise UnknownScope(gettext("Unknown scopes: {0}.").format(', '.join(sorted(unknown))))
    if not scopes:
        raise InvalidInput(gettext("A token needs at least one scope."))
    raw = "wom_" + secrets.token_urlsafe(30)
    token = ApiToken(name=name.strip() or "integration", token_hash=digest(raw), prefix=raw[:10],
                     scopes=sorted(set(scopes)), active=True)
    session.add(token)
    session.flush()
    audit.record(session, actor=actor, action="token.create", target_type="api_token",
                 target_id=token.id, name=token.name, scopes=token.scopes)
    return raw


def revoke_token(session: Session, token_id: int, *, actor: str) -> None:
    token = rows.one(session, ApiToken, token_id, TokenNotFound)
    token.active = False
    audit.record(session, actor=actor, action="token.revoke", target_type="api_token",
                 target_id=token.id)


def token_principal(session: Session, raw: str) -> Principal | None:
    token = session.scalars(select(ApiToken).where(ApiToken.token_hash == digest(raw)))\
        .one_or_none()
    if token is None or not token.active:
        return None
    return Principal(kind="token", id=token.id, label=f"token:{token.name}",
                     scopes=frozenset(token.scopes))


def name_of(session: Session, label: str) -> str:
    """What people read for an actor recorded by login: the user's name (a token, the
    scheduler or a login no longer there reads as recorded)."""
    return names_of(session, {label})[label]


def names_of(session: Session, labels: set[str]) -> dict[str, str]:
    """`name_of` for many at once (one query)."""
    found = {login: name for login, name in session.execute(
        select(User.login, User.name).where(User.login.in_(labels)))}
    return {label: found.get(label) or label for label in labels}


def users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.role, User.login)))


def tokens(session: Session) -> list[ApiToken]:
    return list(session.scalars(select(ApiToken).order_by(ApiToken.id.desc())))


def prune(session: Session, *, now: datetime | None = None) -> None:
    """Forget expired sessions and old login attempts."""
    now = now or utcnow()
    session.execute(delete(UserSession).where(UserSession.expires_at < now))
    session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - timedelta(days=1)))
