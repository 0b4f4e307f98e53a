"""Typed tables. Importing this package registers every table on Base.metadata."""

from learn.models.people import (
    STAFF_ROLES,
    Group,
    GroupMembership,
    Organisation,
    Role,
    SignInCode,
    User,
)

__all__ = [
    "STAFF_ROLES",
    "Group",
    "GroupMembership",
    "Organisation",
    "Role",
    "SignInCode",
    "User",
]
from learn.models.progress import (  # noqa: E402
    Assignment,
    HelpRequest,
    ModuleProgress,
    PlacementResult,
    ProgressEvent,
    QuizAttempt,
    SelfAssessment,
    WorkshopAnswer,
)

__all__ += [
    "Assignment",
    "HelpRequest",
    "ModuleProgress",
    "PlacementResult",
    "ProgressEvent",
    "QuizAttempt",
    "SelfAssessment",
    "WorkshopAnswer",
]
