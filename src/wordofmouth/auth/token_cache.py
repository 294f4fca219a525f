"""Who an API token is, kept in the process: a till's request does not read its token again.

A token created, changed or revoked — by a page, the API or `wom`, in whatever process — is
announced by the transaction that does it (storefront/cache_signal, the signal
`api_tokens`): on PostgreSQL a NOTIFY that every server process LISTENs for, on SQLite a
version row read before each use (a few microseconds). A process drops what it knows the
moment it hears; it answers from memory only while it can hear — a process whose LISTEN
connection is down, or that cannot read the version row, reads the token from the database
each time, as before."""

from __future__ import annotations

from sqlalchemy.orm import Session

from wordofmouth.auth import service as auth
from wordofmouth.auth.models import ApiToken
from wordofmouth.auth.permissions import Principal
from wordofmouth.storefront import cache_signal

SIGNAL = "api_tokens"
MAX_TOKENS = 10_000  # more tokens than this in use at once: the oldest known are forgotten
UNKNOWN = object()


def _touches(obj: object, _dirty: bool) -> bool:
    return isinstance(obj, ApiToken)


def install() -> None:
    cache_signal.watch(SIGNAL, _touches)


class TokenCache:
    """Tokens seen by this process, by their digest, valid while the signal stands."""

    def __init__(self, url: str | None) -> None:
        self.listener = cache_signal.Listener(url) if url and url.startswith(
            "postgresql") else None
        self.read_version = cache_signal.version_reader(url, SIGNAL)
        self.local = 0
        self.known: dict[str, Principal | None] = {}
        self.known_under: object = None
        cache_signal.on_change(self, SIGNAL)

    def changed(self) -> None:
        """A token change committed in this process."""
        self.local += 1

    def version(self) -> object:
        """What the cache is valid under; None when changes elsewhere cannot be heard. Call
        it in the server's event loop (the LISTEN connection lives there)."""
        if self.listener is not None:
            generation = self.listener.current()
            return (self.local, generation) if self.listener.listening else None
        found = self.read_version() if self.read_version else None
        return None if found is None else (self.local, found)

    def get(self, raw: str, version: object) -> Principal | object | None:
        """The token's principal (None: unknown or revoked) or UNKNOWN if not known here."""
        if version is None:
            return UNKNOWN
        if version != self.known_under:
            self.known, self.known_under = {}, version
        return self.known.get(auth.digest(raw), UNKNOWN)

    def load(self, session: Session, raw: str, version: object) -> Principal | None:
        """Read the token from the database and keep it if nothing changed meanwhile."""
        principal = auth.token_principal(session, raw)
        if version is not None and version == self.known_under:
            if len(self.known) >= MAX_TOKENS:
                self.known.pop(next(iter(self.known)))
            self.known[auth.digest(raw)] = principal
        return principal

