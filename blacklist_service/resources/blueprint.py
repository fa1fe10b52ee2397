"""Blueprint with an ``auth`` decorator that both enforces and documents the API-key requirement."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask_smorest import Blueprint as _Blueprint

from blacklist_service.auth import authenticate
from blacklist_service.models import Role


class Blueprint(_Blueprint):
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
