"""Run Alembic from inside the package (the `wom db upgrade` command and the tests)."""

from pathlib import Path

from alembic import command
from alembic.config import Config

from wordofmouth.config import get_settings

HERE = Path(__file__).parent


def alembic_config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE / "migrations"))
    cfg.set_main_option("sqlalchemy.url", (url or get_settings().database_url).replace("%", "%%"))
    return cfg


def upgrade(url: str | None = None, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)
