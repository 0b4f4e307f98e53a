"""The trainer's workspace: `bp` (defined in blueprint.py) with every page module registered.

One page module per area, each registering its routes on `bp`: learners and their accounts
(views.py), a learner's renaming, closing and reopening (lifecycle.py), groups and assignments
(grouping.py), enrolment from a file (enrolling.py), a group's sign-in cards (cards.py), reports
(reporting.py), worksheet review (reviewing.py), observations (observing.py), facilitator guides
(guides.py), job référentiels (referentiels.py), validation at the workstation and the
attestation de compétences (validating.py), the organisation-wide export (exporting.py),
workplace tutors (tutors.py). A new page module is imported here."""

from __future__ import annotations

from learn.trainer import (  # noqa: F401  (each registers its routes on bp)
    cards,
    enrolling,
    evidence,
    exporting,
    funding,
    grouping,
    guides,
    lifecycle,
    observing,
    referentiels,
    reporting,
    reviewing,
    tutors,
    validating,
    views,
)
from learn.trainer.blueprint import bp

__all__ = ["bp"]
