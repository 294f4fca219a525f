"""Process settings, read once from the environment (prefix WOM_)."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WOM_", env_file=".env", extra="ignore")

    database_url: str = Field(default_factory=lambda: f"sqlite:///{Path('wordofmouth.db').resolve()}")
    secret_key: str = "change-me-in-production-wordofmouth"
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
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
    mail_lease_seconds: float = 300  # how long a claimed message is a worker's own


@lru_cache
def get_settings() -> Settings:
    return Settings()
