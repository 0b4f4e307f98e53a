"""Moving between partners on one instance: a learner's record sent from organisation A to B.

A trainer of A asks; the learner is asked on their own screen, in plain words, and may refuse;
only then is the record taken — their credentials (as signed), their competency grid and a
progress summary, and their workshop texts only if they ticked it. A trainer of B accepts (a new
account is made in B, with a one-time code, and the record is attached to it) or declines. Every
step is in the audit log of the organisation it concerns; the acceptance in both."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from learn.i18n import _
from learn.models import IssuedCredential, Organisation, Role, TransferRequest, User, WorkshopAnswer
from learn.models.people import utcnow
from learn.services import accounts, audit
from learn.services.competencies import grid_for
from learn.services.errors import Forbidden, Invalid, NotFound
from learn.services.groups import require_staff
from learn.services.progress import progress_by_module

PACKAGE_FORMAT = "parcours-record/1"


def _uuid(value) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise NotFound() from None


def request_transfer(
    db: Session, actor: User, learner_id: int, partner_slug: str, now: datetime | None = None
) -> TransferRequest:
    """A trainer of the learner's organisation asks to send the record to a partner. Audited."""
    require_staff(actor)
    learner = accounts.get_learner(db, actor, learner_id)
    partner = db.scalar(
        select(Organisation).where(Organisation.slug == (partner_slug or "").strip())
    )
    if partner is None or partner.id == learner.organisation_id:
        raise Invalid(_("No partner organisation has this identifier."))
    pending = db.scalar(
        select(TransferRequest.id).where(
            TransferRequest.learner_id == learner.id,
            TransferRequest.to_organisation_id == partner.id,
            TransferRequest.status.in_(("awaiting_consent", "awaiting_partner")),
        )
    )
    if pending is not None:
        raise Invalid(_("A request to this partner is already waiting."))
    row = TransferRequest(
        learner_id=learner.id,
        from_organisation_id=learner.organisation_id,
        to_organisation_id=partner.id,
        requested_by=actor.id,
        requested_at=now or utcnow(),
        status="awaiting_consent",
    )
    db.add(row)
    db.flush()
    audit.record(
        db, actor, "transfer.request", target=learner, transfer=str(row.id), partner=partner.slug
    )
    return row


def sent_for(db: Session, actor: User, learner_id: int) -> list[TransferRequest]:
    """The requests made for a learner the staff member may see, newest first."""
    require_staff(actor)
    learner = accounts.get_learner(db, actor, learner_id)
    return list(
        db.scalars(
            select(TransferRequest)
            .where(TransferRequest.learner_id == learner.id)
            .order_by(TransferRequest.requested_at.desc())
        )
    )


def sent_request(db: Session, actor: User, transfer_id) -> TransferRequest:
    """A request made for a learner the staff member may see, or NotFound."""
    require_staff(actor)
    row = db.get(TransferRequest, _uuid(transfer_id))
    if row is None or row.from_organisation_id != actor.organisation_id:
        raise NotFound()
    accounts.get_learner(db, actor, row.learner_id)
    return row


def waiting_for(db: Session, learner: User) -> list[TransferRequest]:
    """The requests the learner has to answer."""
    if learner.role != Role.LEARNER:
        return []
    return list(
        db.scalars(
            select(TransferRequest)
            .where(
                TransferRequest.learner_id == learner.id,
                TransferRequest.status == "awaiting_consent",
            )
            .order_by(TransferRequest.requested_at)
        )
    )


def received_for(db: Session, learner: User) -> list[TransferRequest]:
    """The records the learner brought from earlier organisations (accepted transfers)."""
    if learner.role != Role.LEARNER:
        return []
    return list(
        db.scalars(
            select(TransferRequest)
            .where(
                TransferRequest.new_learner_id == learner.id,
                TransferRequest.status == "accepted",
            )
            .order_by(TransferRequest.decided_at)
        )
    )


def record_package(db: Session, learner: User, catalog, include_workshops: bool) -> dict:
    """What is sent: credentials as signed, the grid's validated levels, a progress summary,
    and the workshop texts only when the learner chose to send them."""
    credentials = db.scalars(
        select(IssuedCredential.document).where(
            IssuedCredential.learner_id == learner.id, IssuedCredential.revoked_at.is_(None)
        )
    )
    grid = [
        {"skill": cell.skill_id, "level": cell.level,
         "validated_on": cell.validated_on.isoformat() if cell.validated_on else None}
        for cell in grid_for(db, learner, catalog).validated()
    ]  # fmt: skip
    progress = [
        {"module": row.module_id, "status": row.status, "best_score": row.best_score,
         "active_seconds": row.active_seconds}
        for row in sorted(progress_by_module(db, learner).values(), key=lambda r: r.module_id)
        if row.status != "not_started"
    ]  # fmt: skip
    package = {
        "format": PACKAGE_FORMAT,
        "learner": {"name": learner.display_name},
        "from": {"name": learner.organisation.name, "slug": learner.organisation.slug},
        "credentials": [doc for doc in credentials if doc],
        "grid": grid,
        "progress": progress,
    }
    if include_workshops:
        package["workshops"] = [
            {"module": row.module_id, "status": row.status, "answers": row.answers}
            for row in db.scalars(
                select(WorkshopAnswer)
                .where(WorkshopAnswer.user_id == learner.id)
                .order_by(WorkshopAnswer.module_id)
            )
        ]
    return package


def answer(
    db: Session,
    learner: User,
    transfer_id,
    consent: bool,
    include_workshops: bool,
    catalog,
    now: datetime | None = None,
) -> TransferRequest:
    """The learner's answer: consent (the record is taken now) or refusal. Audited."""
    row = db.get(TransferRequest, _uuid(transfer_id))
    if row is None or learner.role != Role.LEARNER or row.learner_id != learner.id:
        raise NotFound()
    if row.status != "awaiting_consent":
        raise Invalid(_("This request has already been answered."))
    row.consent_at = now or utcnow()
    if consent:
        row.status = "awaiting_partner"
        row.include_workshops = include_workshops
        row.package = record_package(db, learner, catalog, include_workshops)
    else:
        row.status = "refused"
    db.flush()
    audit.record(
        db, learner, "transfer.consent" if consent else "transfer.refuse", target=learner,
        transfer=str(row.id), workshops=bool(consent and include_workshops),
    )  # fmt: skip
    return row


def incoming(db: Session, actor: User) -> list[TransferRequest]:
    """The records sent to the staff member's organisation, newest first."""
    require_staff(actor)
    return list(
        db.scalars(
            select(TransferRequest)
            .where(
                TransferRequest.to_organisation_id == actor.organisation_id,
                TransferRequest.status.in_(("awaiting_partner", "accepted")),
            )
            .order_by(TransferRequest.consent_at.desc())
        )
    )


def incoming_request(db: Session, actor: User, transfer_id) -> TransferRequest:
    """One record sent to the staff member's organisation (after consent), or NotFound."""
    require_staff(actor)
    row = db.get(TransferRequest, _uuid(transfer_id))
    if (
        row is None
        or row.to_organisation_id != actor.organisation_id
        or row.status not in ("awaiting_partner", "accepted", "declined")
    ):
        raise NotFound()
    return row


def decide(
    db: Session,
    actor: User,
    transfer_id,
    accept: bool,
    username: str = "",
    now: datetime | None = None,
):
    """The partner's decision. Accepting makes the learner's account in the partner
    organisation (with a one-time code) and attaches the record to it; returns (request, new
    account or None). Audited in both organisations."""
    row = incoming_request(db, actor, transfer_id)
    if row.status != "awaiting_partner":
        raise Invalid(_("This request has already been decided."))
    if not accounts.can_manage_role(actor, Role.LEARNER):
        raise Forbidden()
    new = None
    if accept:
        new = accounts.create_account(
            db,
            organisation=actor.organisation,
            username=username,
            display_name=(row.package or {}).get("learner", {}).get("name", ""),
            role=Role.LEARNER,
            with_code=True,
            created_by=actor,
        )
        row.new_learner_id = new.user.id
    row.status = "accepted" if accept else "declined"
    row.decided_by, row.decided_at = actor.id, now or utcnow()
    db.flush()
    action = "transfer.accept" if accept else "transfer.decline"
    # In the partner's log (the new account) and in the first organisation's (the learner).
    if new is not None:
        audit.record(db, actor, action, target=new.user, transfer=str(row.id))
    else:
        audit.record(db, actor, action, transfer=str(row.id))
    audit.record(db, actor, action, target=row.learner, transfer=str(row.id))
    return row, new
