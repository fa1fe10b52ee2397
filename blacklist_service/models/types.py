"""Column types shared by the models."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from sqlalchemy import JSON, BigInteger, DateTime, Integer, Numeric
from sqlalchemy.orm import mapped_column

Money = Annotated[Decimal, mapped_column(Numeric(18, 2))]
Timestamp = Annotated[dt.datetime, mapped_column(DateTime(timezone=True))]
Json = JSON()
# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
BigId = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
