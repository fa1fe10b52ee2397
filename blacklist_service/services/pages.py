"""Pagination in SQL: one COUNT and one LIMIT/OFFSET query."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select

from blacklist_service.errors import Invalid
from blacklist_service.extensions import db

# The deepest page served (×200 rows at most per page: 20 million rows); the OFFSET stays a sane number.
MAX_PAGE = 100_000


def paginate(query: Select[Any], page: int, page_size: int) -> tuple[list[Any], int]:
    if not 1 <= page <= MAX_PAGE:
        raise Invalid(f"page is a number from 1 to {MAX_PAGE}", code="page.range", field="page")
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = list(db.session.scalars(query.offset((page - 1) * page_size).limit(page_size)))
    return rows, total
