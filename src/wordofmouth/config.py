"""Process settings, read once from the environment (prefix WOM_)."""

import os
import secrets
import time
from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from wordofmouth.i18n import gettext

# Keys that must never sign anything: the one an earlier version shipped with, and the
# usual placeholders. A key is also refused when it is shorter than MIN_SECRET.
KNOWN_SECRETS = frozenset({"change-me-in-production-wordofmouth", "change-me", "changeme",
                           "secret", "secret-key", "dev", "test", "password"})
MIN_SECRET = 32


class WeakSecret(Exception):
    """The configured secret key is known or too short; the server refuses to start."""


def load_or_create_secret(path: Path) -> str:
    """The key kept in `path`; on first start a random one is made and kept there (only
    the server's user can read it). Two processes starting at once get the same key."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):  # the other process may still be writing it
            key = path.read_text().strip()
            if key:
                return key
            time.sleep(0.02)
        raise WeakSecret(gettext("{0} is empty; delete it to have a new key made.")
                         .format(path)) from None
    key = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w") as out:
        out.write(key + "\n")
    return key


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WOM_", env_file=".env", extra="ignore")

    database_url: str = Field(default_factory=lambda: f"sqlite:///{Path('wordofmouth.db').resolve()}")
    # A read-only copy (a PostgreSQL streaming replica) for reports, analysis and their
    # exports; empty: they read the database itself. Writes never go there.
    replica_url: str = ""
    # Signs sessions' companions: unsubscribe links, referral tokens, click address hashes.
    # Empty: read from secret_key_file, made there with a random key on first start.
    secret_key: str = ""
    secret_key_file: str = "wordofmouth.secret"
    host: str = "127.0.0.1"
    port: int = 8000
    # server processes; 0: one per CPU (2–4) on PostgreSQL, one on SQLite (one writer at a
    # time: more processes would only queue on the file's lock)
    workers: int = 0
    session_hours: int = 12
    cookie_secure: bool = False
    max_body_bytes: int = 1_000_000
    login_max_failures: int = 5
    login_window_minutes: int = 15
    db_pool_size: int = 10  # connections per process: this many, and as many again at peaks
    db_pool_timeout: float = 10  # seconds to wait for a connection before answering 503
    request_slots: int = 16  # requests at work per process: within the pool, less the jobs'
    request_wait_seconds: float = 10  # a request waits this long for a slot, then 503
    scheduler: bool = True  # background jobs in the server (the daily club review)
    mail_worker: bool = True  # the mailing outbox worker in the server
    outbox_log: str = "outbox.log"  # where the "log" e-mail/SMS/Viber provider writes
    click_durable_commit: bool = False  # clicks: wait for PostgreSQL's disk flush too
    # the click path's caches are dropped as soon as a key, a partner or a storefront
    # setting changes; this is only how old they may grow should a signal be missed
    click_cache_seconds: float = 5.0
    webhook_worker: bool = True  # the webhook outbox worker in the server
    webhook_timeout_seconds: float = 10  # a receiver that has not answered by then: retry
    webhook_lease_seconds: float = 60  # a claimed delivery is a worker's own this long
    mail_lease_seconds: float = 300  # how long a claimed message is a worker's own
    import_worker: bool = True  # the history import worker in the server
    import_batch: int = 25  # documents an import commits at once, with its progress
    import_lease_seconds: float = 120  # a claimed import is a worker's own this long
    import_pause_seconds: float = 0.15  # SQLite: after each batch, the tills go first

    @field_validator("database_url", "replica_url")
    @classmethod
    def _driver(cls, url: str) -> str:
        """postgres:// and postgresql:// (as hosting providers write them) mean psycopg 3."""
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url.removeprefix(prefix)
        return url

    @model_validator(mode="after")
    def _secret(self) -> "Settings":
        if not self.secret_key:
            self.secret_key = load_or_create_secret(Path(self.secret_key_file).resolve())
        return self

    def server_workers(self) -> int:
        """How many processes `wom serve` runs: WOM_WORKERS, else one per CPU on PostgreSQL
        (at least 2, at most 4: with WOM_DB_POOL_SIZE connections and as many again at
        peaks each, four stay within PostgreSQL's 100 connections), one on SQLite."""
        if self.workers > 0:
            return self.workers
        if self.database_url.startswith("sqlite"):
            return 1
        return min(max(os.cpu_count() or 1, 2), 4)

    def secret_problem(self) -> str | None:
        """Why the secret key must not be used, or None."""
        if self.secret_key in KNOWN_SECRETS:
            return "WOM_SECRET_KEY is a published default; anyone could forge links with it."
        if len(self.secret_key) < MIN_SECRET:
            return f"WOM_SECRET_KEY is shorter than {MIN_SECRET} characters."
        return None


@lru_cache
def get_settings() -> Settings:
    return Settings()
