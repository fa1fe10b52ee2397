"""Server-rendered pages for citizens: the public search, self-check, correction applications and
reconsideration requests.

Chinese by default with an English switch, usable on a phone, accessible and free of JavaScript. The pages
call the same services as the JSON API (``services.citizens``, ``services.applications``), with the same
per-client throttle, access log and one commit per successful request.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint(
    "web",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/web",
)

from blacklist_service.web import views  # noqa: E402  (registers the routes on bp)

__all__ = ["bp", "views"]
