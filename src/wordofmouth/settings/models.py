"""Store settings the owner edits in the back office (key/value, typed by the service)."""

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from wordofmouth.db import Base


class StoreSetting(Base):
    __tablename__ = "store_settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
