"""Validation at the workstation: a trainer decides that a learner has a référentiel competence
or a soft-skill level, citing what the decision rests on (evidence the learner sent, observations,
workplace tutors' assessments, a quiz attempt); a validation made in error is withdrawn with a
reason, never deleted, and both acts are in the audit log.

`sent_assessments` and `matching` bring in the workplace tutors' assessments (sent, not drafts):
read once per page, then matched to each competence or skill level."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from learn.i18n import _
from learn.models import (
    Evidence,
    Observation,
    QuizAttempt,
    Role,
    User,
    Validation,
    WorkplaceAssessment,
)
from learn.models.people import utcnow
from learn.services import audit, credentials
from learn.services.assignments import today_for
from learn.services.competencies import level_modules
from learn.services.errors import Forbidden, Invalid, NotFound
from learn.services.evidence import find_competence, find_referentiel
from learn.services.textinput import clean_block

MAX_COMMENT = 2_000
MAX_REASON = 1_000
SOURCE_KINDS = ("evidence", "observation", "assessment", "attempt")


def sent_assessments(db: Session, learner: User) -> list[WorkplaceAssessment]:
    """The workplace tutors' assessments of `learner` that were sent (not drafts), newest
    first: one query, matched to each target by `matching`."""
    return list(
        db.scalars(
            select(WorkplaceAssessment)
            .where(
                WorkplaceAssessment.learner_id == learner.id,
                WorkplaceAssessment.organisation_id == learner.organisation_id,
                WorkplaceAssessment.status == "sent",
            )
            .order_by(WorkplaceAssessment.created_at.desc(), WorkplaceAssessment.id.desc())
        )
    )


def matching(assessments: list[WorkplaceAssessment], target: tuple[str, str]) -> list:
    """The assessments about target (kind, ref): ("competence", "<referentiel>/<competence>")
    or ("skill_level", "<skill>/<level>")."""
    kind, ref = target
    if kind == "competence":
        return [
            a
            for a in assessments
            if a.kind == "competence" and f"{a.referentiel_id}/{a.competence_id}" == ref
        ]
    return [a for a in assessments if a.kind == "skill" and f"{a.skill_id}/{a.level}" == ref]


@dataclass
class TargetRecord:
    """What a trainer weighs for one target: the validation in force and the sources."""

    kind: str
    ref: str
    validation: Validation | None = None
    evidence: list[Evidence] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    assessments: list = field(default_factory=list)
    attempts: list[QuizAttempt] = field(default_factory=list)
    withdrawn: list[Validation] = field(default_factory=list)


def in_force(db: Session, learner: User) -> dict[tuple[str, str], Validation]:
    """The learner's validations in force, by (kind, ref)."""
    rows = db.scalars(
        select(Validation).where(
            Validation.learner_id == learner.id, Validation.withdrawn_at.is_(None)
        )
    )
    return {(v.target_kind, v.target_ref): v for v in rows}


def _all_validations(db: Session, learner: User, kind: str, refs: list[str]) -> list[Validation]:
    return list(
        db.scalars(
            select(Validation)
            .where(
                Validation.learner_id == learner.id,
                Validation.target_kind == kind,
                Validation.target_ref.in_(refs),
            )
            .order_by(Validation.decided_at, Validation.id)
        )
    )


def referentiel_records(db: Session, learner: User, referentiel) -> dict[str, TargetRecord]:
    """Each competence of the référentiel (by id) with its validation, history, evidence,
    observations of the soft skills it draws on and tutors' assessments (4 queries). The
    caller scoped the learner."""
    refs = {c.id: f"{referentiel.id}/{c.id}" for c in referentiel.competences}
    records = {cid: TargetRecord("competence", ref) for cid, ref in refs.items()}
    by_ref = {ref: records[cid] for cid, ref in refs.items()}
    for v in _all_validations(db, learner, "competence", list(refs.values())):
        record = by_ref[v.target_ref]
        if v.in_force:
            record.validation = v
        else:
            record.withdrawn.append(v)
    for item in db.scalars(
        select(Evidence)
        .where(
            Evidence.learner_id == learner.id,
            Evidence.target_kind == "competence",
            Evidence.target_ref.in_(list(refs.values())),
        )
        .order_by(Evidence.created_at.desc(), Evidence.id.desc())
    ):
        by_ref[item.target_ref].evidence.append(item)
    skills = {s for c in referentiel.competences for s in c.soft_skills}
    observations = list(
        db.scalars(
            select(Observation)
            .where(Observation.user_id == learner.id, Observation.skill_id.in_(skills))
            .order_by(Observation.observed_on.desc(), Observation.id.desc())
        )
    )
    sent = sent_assessments(db, learner)
    for competence in referentiel.competences:
        record = records[competence.id]
        record.observations = [o for o in observations if o.skill_id in competence.soft_skills]
        record.assessments = matching(sent, ("competence", record.ref))
    return records


def skill_level_record(db: Session, learner: User, skill_id: str, level: int, module_id):
    """One soft-skill level's validation, history and sources (the caller scoped the learner)."""
    ref = f"{skill_id}/{level}"
    record = TargetRecord("skill_level", ref)
    for v in _all_validations(db, learner, "skill_level", [ref]):
        if v.in_force:
            record.validation = v
        else:
            record.withdrawn.append(v)
    record.evidence = list(
        db.scalars(
            select(Evidence)
            .where(
                Evidence.learner_id == learner.id,
                Evidence.target_kind == "skill_level",
                Evidence.target_ref == ref,
            )
            .order_by(Evidence.created_at.desc(), Evidence.id.desc())
        )
    )
    record.observations = list(
        db.scalars(
            select(Observation)
            .where(
                Observation.user_id == learner.id,
                Observation.skill_id == skill_id,
                Observation.level == level,
            )
            .order_by(Observation.observed_on.desc(), Observation.id.desc())
        )
    )
    if module_id:
        record.attempts = list(
            db.scalars(
                select(QuizAttempt)
                .where(QuizAttempt.user_id == learner.id, QuizAttempt.module_id == module_id)
                .order_by(QuizAttempt.submitted_at.desc(), QuizAttempt.id.desc())
            )
        )
    record.assessments = matching(sent_assessments(db, learner), ("skill_level", ref))
    return record


def _step_choices(catalog, kind: str, ref: str):
    """The scale steps a competence may be validated at (every step but the first, "not yet"),
    () for a soft-skill level; Invalid for an unknown target."""
    unknown = Invalid(_("Choose what to validate from the list."))
    head, _sep, tail = ref.partition("/")
    if kind == "competence":
        _referentiel, competence = find_competence(catalog, ref)
        if competence is None:
            raise unknown
        return competence.scale[1:]
    if kind == "skill_level":
        skill = catalog.skill(head)
        if skill is None or tail not in ("1", "2", "3", "4") or skill.level(int(tail)) is None:
            raise unknown
        return ()
    raise unknown


def _parse_sources(values: list[str]) -> list[tuple[str, int]] | None:
    found = []
    for value in values:
        kind, _sep, number = str(value).partition(":")
        if kind not in SOURCE_KINDS or not (number.isascii() and number.isdigit()):
            return None
        if len(number) > 12:
            return None
        found.append((kind, int(number)))
    return list(dict.fromkeys(found))


def validate(
    db: Session,
    actor: User,
    learner: User,
    catalog,
    *,
    target_kind: str,
    target_ref: str,
    step: str | None,
    sources: list[str],
    comment: str,
    decided_on: date | None,
    now: datetime | None = None,
) -> Validation:
    """Record a trainer's validation of a learner the caller scoped; Invalid lists every
    problem. Sources must be the learner's own, for this target."""
    if not actor.is_staff:
        raise Forbidden()
    if learner.role != Role.LEARNER or learner.organisation_id != actor.organisation_id:
        raise NotFound()
    now = now or utcnow()
    steps = _step_choices(catalog, target_kind, target_ref)
    problems: list[str] = []
    if steps and step not in {s.id for s in steps}:
        problems.append(_("Choose the step of the scale the learner reached."))
    today = today_for(actor, now)
    if decided_on is None:
        problems.append(_("Give the date of the decision."))
    elif decided_on > today:
        problems.append(_("The date of the decision cannot be in the future."))
    try:
        text = clean_block(comment, _("Comment"), MAX_COMMENT, required=False)
    except Invalid as exc:
        problems += exc.messages
        text = ""
    parsed = _parse_sources(sources)
    if parsed is None:
        problems.append(_("Tick only sources from the list."))
        parsed = []
    head, _sep, tail = target_ref.partition("/")
    if target_kind == "competence":
        referentiel = find_referentiel(catalog, head)
        record = referentiel_records(db, learner, referentiel)[tail]
    else:
        module_id = _level_module(catalog, head, int(tail))
        record = skill_level_record(db, learner, head, int(tail), module_id)
    allowed = {("evidence", e.id) for e in record.evidence} | {
        ("observation", o.id) for o in record.observations
    }
    allowed |= {("assessment", a.id) for a in record.assessments}
    allowed |= {("attempt", a.id) for a in record.attempts}
    if any(s not in allowed for s in parsed):
        problems.append(_("Tick only sources from the list."))
    if not parsed and not problems:
        problems.append(_("Tick at least one source the decision rests on."))
    if record.validation is not None:
        problems.append(
            _("This is already validated. Withdraw that validation first to record another one.")
        )
    if problems:
        raise Invalid(*dict.fromkeys(problems))
    validation = Validation(
        organisation_id=learner.organisation_id,
        learner_id=learner.id,
        target_kind=target_kind,
        target_ref=target_ref,
        step=step if steps else None,
        decided_on=decided_on,
        decided_at=now,
        decided_by_id=actor.id,
        decided_by_name=actor.display_name,
        sources=[{"kind": k, "id": i} for k, i in parsed],
        comment=text,
    )
    db.add(validation)
    db.flush()
    audit.record(
        db, actor, "validation.decide", target=learner, validation=validation.id, kind=target_kind
    )
    return validation


def _level_module(catalog, skill_id: str, level: int) -> str | None:
    return level_modules(catalog).get((skill_id, level))


def find_in_force(db: Session, actor: User, learner: User, validation_id: int) -> Validation:
    """A validation in force of this learner in the actor's organisation, or NotFound."""
    found = db.scalar(
        select(Validation).where(
            Validation.id == validation_id,
            Validation.learner_id == learner.id,
            Validation.organisation_id == actor.organisation_id,
            Validation.withdrawn_at.is_(None),
        )
    )
    if found is None:
        raise NotFound()
    return found


def withdraw(
    db: Session,
    actor: User,
    learner: User,
    validation_id: int,
    reason: str,
    now: datetime | None = None,
) -> Validation:
    """Withdraw a validation made in error; the reason is required. Another learner's or an
    already withdrawn validation is NotFound."""
    if not actor.is_staff:
        raise Forbidden()
    found = find_in_force(db, actor, learner, validation_id)
    text = clean_block(reason, _("Why you withdraw it"), MAX_REASON)
    found.withdrawn_at = now or utcnow()
    found.withdrawn_by_id = actor.id
    found.withdrawn_by_name = actor.display_name
    found.withdrawal_reason = text
    db.flush()
    audit.record(
        db,
        actor,
        "validation.withdraw",
        target=learner,
        validation=found.id,
        kind=found.target_kind,
    )
    return found


@dataclass(frozen=True)
class AttestedCompetence:
    """A validated competence on the attestation."""

    activity: object
    competence: object
    step_label: object  # Localized, or None
    validation: Validation
    evidence: list[Evidence]
    credential: object = None  # the IssuedCredential in force for the same target, if any
    assessments: list = field(default_factory=list)  # the tutors' assessments it cites


@dataclass(frozen=True)
class ReferentielAttestation:
    """What the attestation de compétences of one référentiel says."""

    learner: User
    referentiel: object
    organisation_name: str
    competences: list[AttestedCompetence]
    assessors: list[str]
    issued_on: date


def attestation(db: Session, learner: User, referentiel, now: datetime | None = None):
    """The attestation of the learner for the référentiel (the caller scoped the learner):
    the validations in force only, with the evidence they cite."""
    records = referentiel_records(db, learner, referentiel)
    issued = credentials.in_force(db, learner)
    attested = []
    for activity in referentiel.activities:
        for competence in activity.competences:
            record = records[competence.id]
            decision = record.validation
            if decision is None:
                continue
            cited = decision.cited("evidence")
            cited_assessments = decision.cited("assessment")
            step = next((s for s in competence.scale if s.id == decision.step), None)
            attested.append(
                AttestedCompetence(
                    activity,
                    competence,
                    step.label if step else None,
                    decision,
                    [e for e in record.evidence if e.id in cited],
                    credentials.credential_for_target(
                        issued, decision.target_kind, decision.target_ref
                    ),
                    [a for a in record.assessments if a.id in cited_assessments],
                )
            )
    # The trainers who decided, then the workplace tutors whose assessments they cited.
    assessors = list(
        dict.fromkeys(
            [a.validation.decided_by_name for a in attested]
            + [t.tutor_name for a in attested for t in a.assessments]
        )
    )
    org = learner.organisation
    return ReferentielAttestation(
        learner=learner,
        referentiel=referentiel,
        organisation_name=org.name if org else "",
        competences=attested,
        assessors=assessors,
        issued_on=today_for(learner, now or utcnow()),
    )


def referentiels_worked_on(db: Session, learner: User, catalog) -> list:
    """The référentiels the learner sent evidence for or had a competence validated in, in the
    catalogue's order (2 queries)."""
    refs = set(
        db.scalars(
            select(Evidence.target_ref).where(
                Evidence.learner_id == learner.id,
                Evidence.target_kind.in_(("competence", "activity")),
            )
        )
    ) | set(
        db.scalars(
            select(Validation.target_ref).where(
                Validation.learner_id == learner.id, Validation.target_kind == "competence"
            )
        )
    )
    ids = {ref.partition("/")[0] for ref in refs}
    return [r for r in getattr(catalog, "referentiels", ()) if r.id in ids]
