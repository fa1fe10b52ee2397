"""Blueprint with an ``auth`` decorator that both enforces and documents the API-key requirement, an
arguments parser that refuses text no column can hold, and URL converters that refuse what no row has."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from typing import Any, NoReturn

import marshmallow as ma
from flask_smorest import Blueprint as _Blueprint
from webargs.flaskparser import FlaskParser, abort, is_json_request
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import CombinedMultiDict
from werkzeug.routing import IntegerConverter, Map, UnicodeConverter

from blacklist_service.auth import authenticate
from blacklist_service.models import Role
from blacklist_service.models.types import INT_MAX
from blacklist_service.text import strings, text_problem
from blacklist_service.transactions import end_authentication

# The deepest body the API takes is three levels (a batch: its object, the list of items, each item's object).
MAX_JSON_DEPTH = 32


class ArgumentsParser(FlaskParser):
    """Refuses (422 ``text.control_character`` / ``text.encoding``, see ``blacklist_service.text``) text in
    any argument the schema reads, in every location, before the schema loads it: one check for all fields.
    A body sent to a JSON endpoint without a JSON ``Content-Type`` is refused (415 ``unsupported_media_type``)
    rather than read as no body; an empty one stays an empty one, for the schema to say what is missing.
    A JSON body nested deeper than :data:`MAX_JSON_DEPTH`, or with a number of more digits than Python
    converts, is refused as malformed (400) before anything walks it: the decoder, and every recursive walk
    after it, would otherwise fail with a RecursionError or ValueError (a 500)."""

    def _raw_load_json(self, req: Any) -> Any:
        if not is_json_request(req) and _has_body(req):
            # webargs reads such a body as none at all, and the schema would answer "name: required" or
            # screening.empty to a client that forgot the header (``curl -d`` sends a form type).
            sent = req.mimetype or "no Content-Type"
            abort(415, message=f"send the body as JSON with 'Content-Type: application/json' (not {sent})")
        try:
            data = super()._raw_load_json(req)
        except RecursionError:
            _malformed("json.too_deep", f"the JSON body is nested deeper than {MAX_JSON_DEPTH} levels")
        except json.JSONDecodeError:
            raise  # webargs' own "Invalid JSON body."
        except ValueError:  # int('9' * 5000): past sys.get_int_max_str_digits()
            _malformed("json.number_too_long", "a number in the JSON body has too many digits")
        if _nested_deeper_than(data, MAX_JSON_DEPTH):
            _malformed("json.too_deep", f"the JSON body is nested deeper than {MAX_JSON_DEPTH} levels")
        return data

    def pre_load(self, location_data: Any, *, schema: ma.Schema, req: Any, location: str) -> Any:
        if not isinstance(location_data, Mapping):
            return location_data
        data = location_data.data if isinstance(location_data, MultiDictProxy) else location_data
        errors: dict[str, Any] = {}
        for name in (f.data_key or n for n, f in schema.load_fields.items()):
            if name not in data:
                continue
            values = data.getlist(name) if hasattr(data, "getlist") else [data[name]]
            for path, text in strings(values):
                problem = text_problem(text)
                if problem is None:
                    continue
                node = errors
                for step in (name, *path[1:]):
                    node = node.setdefault(step, {})
                node.update(code=problem[0], message=problem[1])
                break
        if errors:
            raise ma.ValidationError(errors)
        return location_data


def _has_body(req: Any) -> bool:
    """Whether the request carries a body, from its headers alone (a job's may be 512 MiB: not read for this)."""
    return bool(req.content_length) or "chunked" in req.headers.get("Transfer-Encoding", "").lower()


def _malformed(code: str, message: str) -> NoReturn:
    abort(400, messages={"json": [{"code": code, "message": message}]})


def _nested_deeper_than(value: Any, limit: int) -> bool:
    """Whether ``value`` (loaded JSON) has more than ``limit`` levels of lists and objects; level by level,
    without recursion (a 1 000 000-row job's body: about 0.5 s)."""
    level = [value]
    for _ in range(limit + 1):
        level = [node for node in level if node.__class__ is dict or node.__class__ is list]
        if not level:
            return False
        below: list[Any] = []
        for node in level:
            below += node.values() if node.__class__ is dict else node
        level = below
    return True


class Blueprint(_Blueprint):
    ARGUMENTS_PARSER = ArgumentsParser()

    # "multipart": form fields and files in one schema, documented as one multipart/form-data request body
    # (flask-smorest documents only one body location per endpoint).
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {  # noqa: RUF012 - extends the parent's mapping
        **_Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
        "multipart": "multipart/form-data",
    }

    def auth(self, *roles: Role) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Require a bearer key with one of ``roles``; document 401/403 in the spec."""

        def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
            @functools.wraps(view)
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                authenticate(roles)
                end_authentication()
                return view(*args, **kwargs)

            wrapper = self.doc(security=[{"apiKey": []}])(wrapper)
            wrapper = self.alt_response(401, response="UNAUTHORIZED")(wrapper)
            return self.alt_response(403, response="FORBIDDEN")(wrapper)

        return decorator


@Blueprint.ARGUMENTS_PARSER.location_loader("multipart")
def _load_multipart(request: Any, schema: Any) -> MultiDictProxy:
    return MultiDictProxy(CombinedMultiDict([request.form, request.files]), schema)


class IdConverter(IntegerConverter):
    """``<int:…>``: a row id, so at most 2³¹−1 (an INTEGER column); a larger number matches no route (404)."""

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int = INT_MAX,
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class TextConverter(UnicodeConverter):
    """``<name>``: path text without control characters (``/screening/jobs/a%00b`` matches no route: 404)."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        super().__init__(map, *args, **kwargs)
        self.regex = self.regex.replace("[^/]", r"[^/\x00-\x1f\x7f-\x9f]", 1)


# Installed on the app's URL map before any route is added (see ``create_app``).
URL_CONVERTERS = {"int": IdConverter, "default": TextConverter, "string": TextConverter}
