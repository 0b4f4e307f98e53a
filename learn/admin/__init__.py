"""The organisation admin's pages: learners' data (export, erasure), the audit log (views.py)
and the staff accounts (staff.py). `bp` is defined in views.py; the page modules register their
routes on it and are imported here, never the reverse."""

from learn.admin import staff, views  # noqa: F401  (each registers its routes on bp)
from learn.admin.views import bp

__all__ = ["bp"]
