"""The production entry point: ``gunicorn 'blacklist_service.wsgi:app'``. Builds the screening index at
start-up, so that the first partner request does not wait for it."""

from blacklist_service import create_app
from blacklist_service.services import screening

app = create_app()
screening.warm_up(app)
