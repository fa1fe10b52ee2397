"""Persistence: SQLAlchemy 2 models. The schema is created only by Alembic migrations."""

from blacklist_service.models.applications import Attachment, CorrectionApplication
from blacklist_service.models.audit import AccessLog
from blacklist_service.models.cases import Case, CaseFact, FactKind
from blacklist_service.models.courts import Court, Principal, Role
from blacklist_service.models.events import Event
from blacklist_service.models.jobs import ScreeningJob
from blacklist_service.models.listings import Correction, Listing
from blacklist_service.models.permissions import Permission
from blacklist_service.models.restrictions import Restriction
from blacklist_service.models.subjects import KeyPerson, Subject

__all__ = [
    "AccessLog",
    "Attachment",
    "Case",
    "CaseFact",
    "Correction",
    "CorrectionApplication",
    "Court",
    "Event",
    "FactKind",
    "KeyPerson",
    "Listing",
    "Permission",
    "Principal",
    "Restriction",
    "Role",
    "ScreeningJob",
    "Subject",
]
