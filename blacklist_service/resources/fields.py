"""Shared marshmallow fields and schemas. Validation errors carry a stable code: ``{code, message}``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import marshmallow as ma
from marshmallow import ValidationError

from blacklist_service.models.types import INT_MAX
from blacklist_service.services.pages import MAX_PAGE


def coded(code: str, message: str) -> ValidationError:
    """A field error that the error handler reports with its own stable code."""
    return ValidationError({"code": code, "message": message})


class Range(ma.validate.Range):
    """A numeric range whose violation is reported with a stable code (and documented as minimum/maximum)."""

    def __init__(self, min: int | None = None, max: int | None = None, *, code: str) -> None:
        super().__init__(min=min, max=max)
        self.code = code

    def __call__(self, value: Any) -> Any:
        try:
            return super().__call__(value)
        except ValidationError as error:
            raise coded(self.code, str(error.messages[0])) from None


class Id(ma.fields.Integer):
    """The id of a row: 1 … 2³¹−1, what an INTEGER column holds (``id.range`` beyond, not a database error)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(validate=Range(min=1, max=INT_MAX, code="id.range"), **kwargs)


class Money(ma.fields.Decimal):
    """A non-negative amount in yuan with at most 2 decimals, serialised as a string ("1234.50")."""

    def __init__(self, *, positive: bool = False, **kwargs: Any) -> None:
        super().__init__(places=2, as_string=True, **kwargs)
        self.positive = positive
        self.metadata.setdefault("example", "150000.00")

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Decimal:
        try:
            amount = Decimal(str(value))
        except ArithmeticError:
            raise coded("amount.format", "an amount is a number such as 1234.50") from None
        if not amount.is_finite():
            raise coded("amount.format", "an amount is a number such as 1234.50")
        if amount < 0:
            raise coded("amount.negative", "an amount cannot be negative")
        if self.positive and amount == 0:
            raise coded("amount.zero", "the amount must be greater than zero")
        if amount.as_tuple().exponent < -2:  # type: ignore[operator]
            raise coded("amount.precision", "an amount has at most 2 decimals (fen)")
        if amount >= Decimal("1e16"):
            raise coded("amount.too_large", "the amount is too large")
        return amount


class Date(ma.fields.Date):
    """ISO date; an impossible date (2024-02-30) is reported with a stable code."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> dt.date:
        try:
            return super()._deserialize(value, attr, data, **kwargs)
        except ValidationError:
            raise coded("date.invalid", "a date is YYYY-MM-DD and must exist on the calendar") from None


class Enum(ma.fields.Enum):
    """Enum by value; an unknown value is reported with a stable code and the allowed values."""

    def __init__(self, enum: Any, code: str = "enum.unknown", **kwargs: Any) -> None:
        super().__init__(enum, by_value=True, **kwargs)
        self.code = code

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        try:
            return super()._deserialize(value, attr, data, **kwargs)
        except ValidationError:
            allowed = ", ".join(str(m.value) for m in self.enum)
            raise coded(self.code, f"unknown value {value!r}; allowed: {allowed}") from None


class Text(ma.fields.String):
    """Text with its surrounding whitespace stripped; blank text is refused (``text.blank``), since a
    decision number, a signature or a name of spaces alone would be stored as nothing."""

    def __init__(self, *, max_length: int = 200, **kwargs: Any) -> None:
        super().__init__(validate=ma.validate.Length(min=1, max=max_length), **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not text:
            raise coded("text.blank", "must not be empty or only spaces")
        return text


class PageArgs(ma.Schema):
    page = ma.fields.Integer(load_default=1, validate=Range(min=1, max=MAX_PAGE, code="page.range"))
    page_size = ma.fields.Integer(load_default=20, validate=ma.validate.Range(min=1, max=200))


class AsOfArgs(ma.Schema):
    as_of = Date(metadata={"description": "Show the state on this date (audit replay, D1); default today"})


def page_envelope(items: list[Any], total: int, page: int, page_size: int) -> dict[str, Any]:
    return {"items": items, "total": total, "page": page, "page_size": page_size}


def page_schema(item: type[ma.Schema], name: str) -> type[ma.Schema]:
    return type(
        name,
        (ma.Schema,),
        {
            "items": ma.fields.List(ma.fields.Nested(item)),
            "total": ma.fields.Integer(),
            "page": ma.fields.Integer(),
            "page_size": ma.fields.Integer(),
        },
    )
