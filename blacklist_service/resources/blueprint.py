"""Blueprint with an ``auth`` decorator that both enforces and documents the API-key requirement."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask_smorest import Blueprint as _Blueprint
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import CombinedMultiDict

from blacklist_service.auth import authenticate
from blacklist_service.models import Role


class Blueprint(_Blueprint):
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
                return view(*args, **kwargs)

            wrapper = self.doc(security=[{"apiKey": []}])(wrapper)
            wrapper = self.alt_response(401, response="UNAUTHORIZED")(wrapper)
            return self.alt_response(403, response="FORBIDDEN")(wrapper)

        return decorator


@Blueprint.ARGUMENTS_PARSER.location_loader("multipart")
def _load_multipart(request: Any, schema: Any) -> MultiDictProxy:
    return MultiDictProxy(CombinedMultiDict([request.form, request.files]), schema)
