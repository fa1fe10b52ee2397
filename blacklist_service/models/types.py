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
# The largest value an INTEGER (ids) and a BIGINT column (event seq) hold on PostgreSQL; a larger number in
# a query is an error of the database, so input is checked against these first.
INT_MAX = 2**31 - 1
BIGINT_MAX = 2**63 - 1


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
