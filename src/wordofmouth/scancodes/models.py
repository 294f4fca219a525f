"""One registry of every code a scanner reads: cards, products and promo codes never collide."""

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from wordofmouth.db import Base


class ScanCode(Base):
    __tablename__ = "scan_codes"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # product | card | friend_code | partner_code
    target_id: Mapped[int] = mapped_column(Integer)
