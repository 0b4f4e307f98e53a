"""Issuing, revoking and reading signed credentials (Open Badges 3.0).

A trainer issues a credential for a learner they may see, for a grid cell in state "validated"
or a course whose every module is completed; it is signed with the organisation's current key
and gets the next bit of the organisation's status list. A trainer revokes it with a reason
(audited); the status list, signed too, then says so to any verifier. The public reads a
credential by its id only, and sees no name unless the learner chose to show it."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from learn.credentials import integrity, statuslist, verification
from learn.i18n import _, _l
from learn.models import (
    CredentialPreference,
    IssuedCredential,
    Organisation,
    Role,
    User,
)
from learn.models.people import utcnow
from learn.services import accounts, achievements, audit, issuers
from learn.services.competencies import grid_for
from learn.services.errors import Forbidden, Invalid, NotFound
from learn.services.evidence import find_competence
from learn.services.groups import require_staff

REVOCATION_REASONS = {
    "issued_in_error": _l("Issued in error"),
    "wrong_learner": _l("Issued to the wrong learner"),
    "withdrawn": _l("The validation was withdrawn"),
}
DONE_STATUSES = ("completed", "mastered")


@dataclass(frozen=True)
class Issuable:
    """Something the learner has earned that can be issued as a credential."""

    kind: str
    subject_ref: str
    title: str
    level: int | None
    issued: IssuedCredential | None  # the credential in force, if already issued


def credential_url(base_url: str, credential_id) -> str:
    """A credential's public page, which is also its id."""
    return f"{base_url.rstrip('/')}/credentials/{credential_id}"


def status_list_url(base_url: str, org: Organisation, list_number: int) -> str:
    """Where an organisation's status list is served."""
    return f"{base_url.rstrip('/')}/credentials/status/{org.slug}/{list_number}"


def in_force(db: Session, learner: User) -> dict[tuple[str, str], IssuedCredential]:
    """The learner's credentials not revoked, by (kind, subject_ref) (the caller scoped the
    learner): what a printed attestation points to with a QR code."""
    return _in_force(db, learner)


def credential_for_target(issued: dict, target_kind: str, target_ref: str):
    """The credential in force for a validation's target: ("skill_level", "<skill>/<level>"),
    whose subject_ref is written "<skill>:<level>", or ("competence",
    "<référentiel>/<competence>"), written the same; None if there is none."""
    if target_kind == "skill_level":
        target_ref = target_ref.replace("/", ":")
    return issued.get((target_kind, target_ref))


# --- what can be issued -------------------------------------------------------------------------


def _in_force(db: Session, learner: User) -> dict[tuple[str, str], IssuedCredential]:
    rows = db.scalars(
        select(IssuedCredential).where(
            IssuedCredential.learner_id == learner.id, IssuedCredential.revoked_at.is_(None)
        )
    )
    return {(row.kind, row.subject_ref): row for row in rows}


def completed_courses(db: Session, learner: User, catalog) -> list:
    """The courses whose every module the learner has completed (or mastered)."""
    from learn.services.progress import progress_by_module

    progress = progress_by_module(db, learner)
    done = []
    for course in catalog.courses:
        modules = catalog.course_modules(course.id)
        if modules and all(
            getattr(progress.get(m.id), "status", None) in DONE_STATUSES for m in modules
        ):
            done.append(course)
    return done


def issuable(
    db: Session, actor: User, learner_id: int, catalog, lang: str = "fr"
) -> list[Issuable]:
    """What the learner has earned (validated grid cells, référentiel competences validated at
    the workstation, completed courses), with what was already issued, for a trainer who may see
    the learner."""
    require_staff(actor)
    learner = accounts.get_learner(db, actor, learner_id)
    issued = _in_force(db, learner)
    found = []
    for cell in grid_for(db, learner, catalog).validated():
        skill = catalog.skill(cell.skill_id)
        ref = f"{cell.skill_id}:{cell.level}"
        title = _("%(skill)s, level %(level)s", skill=skill.title.get(lang), level=cell.level)
        found.append(
            Issuable("skill_level", ref, title, cell.level, issued.get(("skill_level", ref)))
        )
    for ref in _validated_competences(db, learner):
        referentiel, competence = find_competence(catalog, ref)
        if competence is None:  # a référentiel since removed from the content
            continue
        title = _(
            "%(competence)s (%(referentiel)s)",
            competence=competence.title.get(lang),
            referentiel=referentiel.title.get(lang),
        )
        found.append(Issuable("competence", ref, title, None, issued.get(("competence", ref))))
    for course in completed_courses(db, learner, catalog):
        found.append(
            Issuable(
                "course", course.id, course.title.get(lang), None, issued.get(("course", course.id))
            )
        )
    return found


# --- issuing ------------------------------------------------------------------------------------


def show_name(db: Session, learner: User) -> bool:
    """Whether the learner chose to show their name on the credentials issued to them."""
    found = db.get(CredentialPreference, learner.id)
    return bool(found and found.show_name)


def set_show_name(db: Session, learner: User, show: bool) -> None:
    """The learner's own choice (for the credentials issued from now on)."""
    if learner.role != Role.LEARNER:
        raise Forbidden()
    found = db.get(CredentialPreference, learner.id)
    if found is None:
        db.add(CredentialPreference(user_id=learner.id, show_name=show))
    else:
        found.show_name, found.updated_at = show, utcnow()
    db.flush()


def _validated_competences(db: Session, learner: User) -> list[str]:
    """The refs ("<référentiel>/<competence>") of the learner's competence validations in force,
    oldest first (one query)."""
    found = [v for (kind, _ref), v in _validations(db, learner).items() if kind == "competence"]
    return [v.target_ref for v in sorted(found, key=lambda v: (v.decided_on, v.id))]


def _validations(db: Session, learner: User) -> dict:
    from learn.services import validation  # validation reads this module's credentials

    return validation.in_force(db, learner)


def _competence_achievement(db: Session, learner: User, ref: str, catalog):
    referentiel, competence = find_competence(catalog, ref)
    if competence is None:
        raise NotFound()
    decision = _validations(db, learner).get(("competence", ref))
    step = decision and next((s for s in competence.scale if s.id == decision.step), None)
    if step is None:
        raise Invalid(_("This competence is not validated for the learner."))
    return (*achievements.competence_achievement(referentiel, competence, step), None)


def _achievement(db: Session, learner: User, kind: str, ref: str, catalog):
    if kind == "skill_level":
        skill_id, _sep, level_text = ref.partition(":")
        skill = catalog.skill(skill_id)
        if skill is None or not level_text.isdigit() or skill.level(int(level_text)) is None:
            raise NotFound()
        level = int(level_text)
        cell = grid_for(db, learner, catalog).cell(skill_id, level)
        if cell is None or cell.state != "validated":
            raise Invalid(_("This level is not validated in the learner's grid."))
        return (*achievements.skill_level_achievement(skill, level), level)
    if kind == "course":
        course = catalog.course(ref)
        if course is None:
            raise NotFound()
        if course not in completed_courses(db, learner, catalog):
            raise Invalid(_("The learner has not completed every module of this course."))
        count = len(catalog.course_modules(course.id))
        return (*achievements.course_achievement(course, count), None)
    if kind == "competence":
        return _competence_achievement(db, learner, ref, catalog)
    raise NotFound()


def _next_status_bit(db: Session, org: Organisation) -> tuple[int, int]:
    # Rows are never deleted (erasure keeps them), so the count only grows: the next bit.
    used = db.scalar(
        select(func.count())
        .select_from(IssuedCredential)
        .where(IssuedCredential.organisation_id == org.id)
    )
    return used // statuslist.LIST_BITS + 1, used % statuslist.LIST_BITS


def issue(
    db: Session,
    actor: User,
    learner_id: int,
    kind: str,
    subject_ref: str,
    catalog,
    store: issuers.KeyStore,
    base_url: str,
    now: datetime | None = None,
) -> IssuedCredential:
    """Sign and record a credential for what the learner earned. Audited."""
    require_staff(actor)
    learner = accounts.get_learner(db, actor, learner_id)
    achievement, results, level = _achievement(db, learner, kind, subject_ref, catalog)
    if (kind, subject_ref) in _in_force(db, learner):
        raise Invalid(_("This credential has already been issued to the learner."))
    now = now or utcnow()
    # One issuer at a time per organisation takes the next status bit (PostgreSQL row lock;
    # SQLite's write transactions are already one at a time).
    org = db.scalar(
        select(Organisation).where(Organisation.id == learner.organisation_id).with_for_update()
    )
    key_row, private_key = issuers.signing_key(db, org, store, now)
    list_number, index = _next_status_bit(db, org)
    credential_id = uuid.uuid4()
    salt = secrets.token_hex(16)
    shown = show_name(db, learner)
    issuer = issuers.issuer_summary(base_url, org)
    document = achievements.credential(
        credential_url=credential_url(base_url, credential_id),
        issuer=issuer,
        achievement=achievement,
        results=results,
        subject_identity=achievements.identity(learner.display_name, salt, shown),
        issued_at=now,
        status_list_url=status_list_url(base_url, org, list_number),
        status_index=index,
    )
    method = issuers.method_id(issuer["id"], key_row.public_multibase)
    signed = integrity.sign(document, private_key, method, now)
    row = IssuedCredential(
        id=credential_id,
        organisation_id=org.id,
        learner_id=learner.id,
        kind=kind,
        subject_ref=subject_ref,
        level=level,
        document=signed,
        identity_salt=salt,
        name_shown=shown,
        key_id=key_row.key_id,
        issued_at=now,
        issued_by=actor.id,
        status_list=list_number,
        status_index=index,
    )
    db.add(row)
    db.flush()
    audit.record(
        db, actor, "credentials.issue", target=learner, credential=str(credential_id),
        kind=kind, subject=subject_ref,
    )  # fmt: skip
    return row


# --- revoking -----------------------------------------------------------------------------------


def staff_credential(db: Session, actor: User, credential_id) -> IssuedCredential:
    """A credential of a learner the staff member may see, or NotFound."""
    require_staff(actor)
    row = db.get(IssuedCredential, _uuid(credential_id))
    if row is None:
        raise NotFound()
    accounts.get_learner(db, actor, row.learner_id)  # NotFound outside what the actor sees
    return row


def revoke(
    db: Session, actor: User, credential_id, reason: str, now: datetime | None = None
) -> IssuedCredential:
    """Revoke a credential issued in error, with a reason; its status bit is set. Audited."""
    row = staff_credential(db, actor, credential_id)
    if reason not in REVOCATION_REASONS:
        raise Invalid(_("Choose a reason."))
    if row.revoked_at is not None:
        raise Invalid(_("This credential is already revoked."))
    row.revoked_at, row.revoked_by, row.revocation_reason = now or utcnow(), actor.id, reason
    db.flush()
    audit.record(
        db, actor, "credentials.revoke", target=row.learner, credential=str(row.id), reason=reason
    )
    return row


def credentials_of(db: Session, actor: User, learner_id: int) -> list[IssuedCredential]:
    """Every credential issued to a learner the staff member may see, newest first."""
    require_staff(actor)
    learner = accounts.get_learner(db, actor, learner_id)
    return _of(db, learner)


def my_credentials(db: Session, learner: User) -> list[IssuedCredential]:
    """The learner's own credentials, newest first (their passport)."""
    if learner.role != Role.LEARNER:
        raise Forbidden()
    return _of(db, learner)


def my_credential(db: Session, learner: User, credential_id) -> IssuedCredential:
    """One of the learner's own credentials, or NotFound."""
    row = db.get(IssuedCredential, _uuid(credential_id))
    if row is None or learner.role != Role.LEARNER or row.learner_id != learner.id:
        raise NotFound()
    return row


def _of(db: Session, learner: User) -> list[IssuedCredential]:
    return list(
        db.scalars(
            select(IssuedCredential)
            .where(IssuedCredential.learner_id == learner.id)
            .order_by(IssuedCredential.issued_at.desc(), IssuedCredential.id)
        )
    )


# --- the public side ----------------------------------------------------------------------------


def _uuid(value) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise NotFound() from None


def public_credential(db: Session, credential_id) -> IssuedCredential:
    """A credential by its id, for anyone (its page shows what the credential itself shows)."""
    row = db.get(IssuedCredential, _uuid(credential_id))
    if row is None:
        raise NotFound()
    return row


def status_resolver(db: Session):
    """For a status list URL of this instance, whether a bit is set (None: not one of ours)."""

    def status_for(url: str, index: int) -> bool | None:
        path = url.split("/credentials/status/", 1)
        if len(path) != 2:
            return None
        slug, _sep, number = path[1].partition("/")
        if not number.isdigit():
            return None
        org = db.scalar(select(Organisation).where(Organisation.slug == slug))
        if org is None:
            return None
        revoked = db.scalar(
            select(IssuedCredential.revoked_at).where(
                IssuedCredential.organisation_id == org.id,
                IssuedCredential.status_list == int(number),
                IssuedCredential.status_index == index,
            )
        )
        return revoked is not None

    return status_for


def verdict(db: Session, row: IssuedCredential) -> verification.Verdict | None:
    """The credential checked as any verifier would (keys and status from here); None when its
    signed copy was erased at the learner's request."""
    if not row.document:
        return None
    return verification.check(row.document, issuers.key_resolver(db), status_resolver(db))


def check_document(db: Session, document: dict) -> verification.Verdict:
    """A credential received from elsewhere, checked with this instance's keys and lists."""
    return verification.check(document, issuers.key_resolver(db), status_resolver(db))


def status_list_credential(
    db: Session, store: issuers.KeyStore, slug: str, list_number: int, base_url: str
) -> dict:
    """The organisation's signed Bitstring Status List credential, or NotFound."""
    org = issuers.organisation_by_slug(db, slug)
    rows = db.execute(
        select(
            IssuedCredential.status_index, IssuedCredential.revoked_at, IssuedCredential.issued_at
        ).where(
            IssuedCredential.organisation_id == org.id,
            IssuedCredential.status_list == list_number,
        )
    ).all()
    key = issuers.current_key(db, org)
    if not rows or key is None:
        raise NotFound()
    revoked = sorted(index for index, revoked_at, _issued in rows if revoked_at is not None)
    # The list changes only when a credential is revoked: dated by the last change, the same
    # list signs to the same bytes (Ed25519 is deterministic), so caches and copies agree.
    changed = max([r for _i, r, _s in rows if r] or [min(issued for *_x, issued in rows)])
    url = status_list_url(base_url, org, list_number)
    stamp = integrity.utc_timestamp(changed)
    document = statuslist.list_credential(
        url, issuers.issuer_url(base_url, org), statuslist.encode_list(revoked), stamp
    )
    private_key = store.load(org.slug, key.key_id, key.public_multibase)
    method = issuers.method_id(issuers.issuer_url(base_url, org), key.public_multibase)
    return integrity.sign(document, private_key, method, stamp)
