"""The production entry point: ``gunicorn 'blacklist_service.wsgi:app'``. Builds the screening index at
start-up, so that the first partner request does not wait for it, and warns when stored provisional
deadlines can now be counted on the holiday calendar (``flask deadlines recount``)."""

from blacklist_service import create_app
from blacklist_service.services import deadlines, screening

app = create_app()
screening.warm_up(app)
deadlines.warn_if_due(app)
