"""Rows the trainer-workspace tests need: progress, attempts, worksheets, observations, help
requests and assignments, written directly (fast) with realistic values."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import event

from learn.models import (
    Assignment,
    HelpRequest,
    ModuleProgress,
    Observation,
    PlacementResult,
    QuizAttempt,
    Role,
    SelfAssessment,
    WorkshopAnswer,
)
from tests import factories


def now() -> datetime:
    return datetime.now(UTC)


def progress(db, learner, module_id, status="in_progress", **fields) -> ModuleProgress:
    values = {
        "user_id": learner.id,
        "module_id": module_id,
        "organisation_id": learner.organisation_id,
        "status": status,
        "sections_seen": [],
        "active_seconds": 600,
        "attempts": 0,
        "failed_in_a_row": 0,
        "first_visit_at": now() - timedelta(days=2),
        "last_visit_at": now() - timedelta(hours=1),
    }
    if status == "mastered":
        values.update(best_score=0.8, attempts=1, mastered_at=now(), completed_at=now())
    values.update(fields)
    row = ModuleProgress(**values)
    db.add(row)
    db.flush()
    return row


def attempt(db, learner, module_id="ecoute-1", seq=1, answers=None, passed=False, score=0.33):
    row = QuizAttempt(
        user_id=learner.id,
        organisation_id=learner.organisation_id,
        module_id=module_id,
        seq=seq,
        mode="practice",
        lang="fr",
        variant="standard",
        content_version="v",
        started_at=now() - timedelta(minutes=5),
        submitted_at=now(),
        duration_seconds=300,
        score=score,
        correct_count=1,
        total=3,
        passed=passed,
        answers=answers or {},
    )
    db.add(row)
    db.flush()
    return row


def workshop(db, learner, status="submitted", version=1, module_id="es-social", ws="ws-social"):
    row = WorkshopAnswer(
        user_id=learner.id,
        organisation_id=learner.organisation_id,
        module_id=module_id,
        workshop_id=ws,
        answers={"mission": "Aider les voisins"},
        status=status,
        version=version,
        submitted_at=now() if status != "draft" else None,
    )
    db.add(row)
    db.flush()
    return row


def help_request(db, learner, module_id="ecoute-1", message="Je ne comprends pas"):
    row = HelpRequest(
        user_id=learner.id,
        organisation_id=learner.organisation_id,
        module_id=module_id,
        message=message,
    )
    db.add(row)
    db.flush()
    return row


def observation(db, learner, observer, skill_id="ecoute", level=3, validated=True, **fields):
    values = {
        "organisation_id": learner.organisation_id,
        "user_id": learner.id,
        "skill_id": skill_id,
        "level": level,
        "observed_on": date.today() - timedelta(days=1),
        "situation": "Briefing du matin",
        "evidence": "A reformulé la consigne.",
        "behaviours": ["Compare."],
        "validated": validated,
        "observer_id": observer.id,
        "observer_name": observer.display_name,
    }
    values.update(fields)
    row = Observation(**values)
    db.add(row)
    db.flush()
    return row


def self_assessment(db, learner, module_id="ecoute-1", ratings=None):
    row = SelfAssessment(
        user_id=learner.id,
        organisation_id=learner.organisation_id,
        module_id=module_id,
        ratings=ratings or {"o1": 3, "o2": 4},
    )
    db.add(row)
    db.flush()
    return row


def placement(db, learner, skill_id="ecoute", level=2) -> PlacementResult:
    row = PlacementResult(
        user_id=learner.id,
        organisation_id=learner.organisation_id,
        skill_id=skill_id,
        ratings={"p1": 2},
        answers={"p1": "b"},
        recommended_level=level,
        content_version="v",
    )
    db.add(row)
    db.flush()
    return row


def assignment(db, org, *, group=None, learner=None, kind="module", ref="ecoute-1", due_on=None):
    row = Assignment(
        organisation_id=org.id,
        target_kind=kind,
        target_ref=ref,
        group_id=group.id if group else None,
        user_id=learner.id if learner else None,
        due_on=due_on,
    )
    db.add(row)
    db.flush()
    return row


def organisation_with_group(db, label: str, learners: int = 2):
    """An organisation with a trainer, an admin, and a group of learners (trainer included)."""
    org = factories.organisation(db, slug=f"org-{label}", name=f"Organisation {label}")
    trainer = factories.user(
        db, org, Role.TRAINER, username=f"coach-{label}", display_name=f"Coach {label}"
    )
    admin = factories.user(db, org, Role.ORG_ADMIN, username=f"boss-{label}")
    people = [
        factories.user(
            db, org, username=f"{label}-learner-{i}", display_name=f"Learner {label} {i}"
        )
        for i in range(learners)
    ]
    group = factories.group(db, org, name=f"Group {label}", members=[*people, trainer])
    return {"org": org, "trainer": trainer, "admin": admin, "learners": people, "group": group}


@contextmanager
def count_queries(engine):
    """Collect the SQL statements run on this engine while the block runs."""
    statements: list[str] = []

    def before(_conn, _cursor, statement, _parameters, _context, _many):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


def tutor(db, org, label: str, learners=(), company: str | None = None):
    """A workplace tutor of the organisation, linked to these learners (password: PASSWORD)."""
    from learn.models import TutorLink

    person = factories.user(
        db,
        org,
        Role.TUTOR,
        username=f"tutor-{label}",
        display_name=f"Tutor {label}",
        company=company,
    )
    for learner in learners:
        db.add(TutorLink(organisation_id=org.id, tutor_id=person.id, learner_id=learner.id))
    db.flush()
    return person


def workplace_assessment(db, tutor_user, learner, status="sent", **fields):
    """A tutor's assessment of a learner against the fixture référentiel's first competence."""
    import secrets

    from learn.models import WorkplaceAssessment

    values = {
        "organisation_id": learner.organisation_id,
        "learner_id": learner.id,
        "tutor_id": tutor_user.id,
        "tutor_name": tutor_user.display_name,
        "form_token": secrets.token_urlsafe(24),
        "status": status,
        "kind": "competence",
        "referentiel_id": "essai",
        "referentiel_version": "v",
        "competence_id": "ecouter-client",
        "subject": "Écouter le client",
        "criteria": [{"id": "reformule", "text": "Reformule la demande"}],
        "scale_step_id": "alone",
        "scale_step_label": "Seul·e",
        "note": "A bien reformulé.",
        "assessed_on": now().date(),
        "place": "Magasin",
        "sent_at": now() if status == "sent" else None,
    }
    values.update(fields)
    row = WorkplaceAssessment(**values)
    db.add(row)
    db.flush()
    return row


def text_evidence(db, learner, target_ref: str, note: str = "Chariot préparé"):
    """A text evidence the learner sent for a référentiel competence ("<référentiel>/<id>")."""
    from learn.models import Evidence
    from learn.models.people import utcnow

    found = Evidence(
        organisation_id=learner.organisation_id,
        learner_id=learner.id,
        target_kind="competence",
        target_ref=target_ref,
        kind="text",
        note=note,
        size=0,
        created_at=utcnow(),
    )
    db.add(found)
    db.flush()
    return found
