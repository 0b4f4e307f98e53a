"""Rate-limit counters kept in the database when there is no Redis, so that every worker and
every instance counts the same attempts."""

from __future__ import annotations

from sqlalchemy import Float, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from learn.db import Base


class RateLimitCounter(Base):
    """One fixed-window counter of Flask-Limiter (key as the limits library makes it)."""

    __tablename__ = "rate_limit_counter"
    __table_args__ = (Index("ix_rate_limit_counter_expires", "expires_at"),)

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    hits: Mapped[int] = mapped_column(Integer)
    # Seconds since the epoch, as the limits library counts time.
    expires_at: Mapped[float] = mapped_column(Float)
