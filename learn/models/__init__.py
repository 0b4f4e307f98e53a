"""Typed tables. Importing this package registers every table on Base.metadata."""

from learn.models.people import (
    FUNDINGS,
    STAFF_ROLES,
    Group,
    GroupMembership,
    Organisation,
    Role,
    SignInCode,
    User,
    UserSession,
)

__all__ = [
    "FUNDINGS",
    "STAFF_ROLES",
    "Group",
    "GroupMembership",
    "Organisation",
    "Role",
    "SignInCode",
    "User",
    "UserSession",
]
from learn.models.progress import (  # noqa: E402
    Assignment,
    HelpRequest,
    ModuleProgress,
    PlacementResult,
    ProgressEvent,
    QuizAttempt,
    SatisfactionResponse,
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
    "SatisfactionResponse",
    "SelfAssessment",
    "WorkshopAnswer",
]
from learn.models.audit import AuditEvent  # noqa: E402

__all__ += ["AuditEvent"]
from learn.models.trainer import Observation  # noqa: E402

__all__ += ["Observation"]
from learn.models.limits import RateLimitCounter  # noqa: E402

__all__ += ["RateLimitCounter"]
from learn.models.credentials import (  # noqa: E402
    CredentialPreference,
    ImportedRecord,
    IssuedCredential,
    IssuerKey,
    TransferRequest,
)

__all__ += [
    "CredentialPreference",
    "ImportedRecord",
    "IssuedCredential",
    "IssuerKey",
    "TransferRequest",
]

from learn.models.evidence import Evidence, EvidenceBlob  # noqa: E402

__all__ += ["Evidence", "EvidenceBlob"]

from learn.models.tutoring import TutorLink, WorkplaceAssessment  # noqa: E402

__all__ += ["TutorLink", "WorkplaceAssessment"]

from learn.models.validation import Validation  # noqa: E402

__all__ += ["Validation"]
