"""Pagination in SQL: one COUNT and one LIMIT/OFFSET query."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select

from blacklist_service.extensions import db


def paginate(query: Select[Any], page: int, page_size: int) -> tuple[list[Any], int]:
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = list(db.session.scalars(query.offset((page - 1) * page_size).limit(page_size)))
    return rows, total
