"""Walking the whole app: every rule of the URL map, with the ids of two organisations."""

from __future__ import annotations

from datetime import date

import pytest
from werkzeug.routing import IntegerConverter

from learn.models import (
    Assignment,
    Evidence,
    EvidenceBlob,
    HelpRequest,
    Role,
    Validation,
    WorkshopAnswer,
)
from learn.services import quizzes
from tests import factories, trainer_factories

# What the sweeps covered in this run, printed at the end (the figures of the proof issue).
SWEEP_COUNTS: dict[str, int] = {}


def pytest_terminal_summary(terminalreporter):
    if SWEEP_COUNTS:
        terminalreporter.section("security sweeps")
        for what, count in SWEEP_COUNTS.items():
            terminalreporter.write_line(f"{count:>6}  {what}")


# Values for the string parts of URLs (content ids are shared, not owned by an organisation).
STRING_ARGS = {
    "module_id": "ecoute-1",
    "section_id": "travail",
    "skill_id": "ecoute",
    "course_id": "entrepreneurship",
    "filename": "missing.png",
    "workshop_id": "ws-social",
    "referentiel_id": "essai",
}


def make_org_objects(app, session, catalog, label: str) -> dict:
    """One organisation with a trainer, an admin, two learners and one of everything they own."""
    org = factories.organisation(session, slug=f"org-{label}")
    trainer = factories.user(session, org, Role.TRAINER, username=f"trainer-{label}")
    admin = factories.user(session, org, Role.ORG_ADMIN, username=f"admin-{label}")
    learner = factories.user(session, org, Role.LEARNER, username=f"learner-{label}")
    other = factories.user(session, org, Role.LEARNER, username=f"learner2-{label}")
    # The staff account the admin's staff pages act on (closing it or printing its new code
    # must not sign out the trainer whose client the sweeps use).
    colleague = factories.user(session, org, Role.TRAINER, username=f"colleague-{label}")
    group = factories.group(session, org, members=[learner, trainer])
    variant = catalog.variant("ecoute-1", "fr")
    with app.test_request_context():
        ticket = quizzes.open_ticket(session, learner, variant)
        attempt = quizzes.submit(session, learner, variant, ticket, {"q1": "b"}).attempt
    workshop = WorkshopAnswer(
        user_id=learner.id,
        organisation_id=org.id,
        module_id="es-social",
        workshop_id="ws-social",
        answers={"mission": "x"},
        status="submitted",
        version=1,
    )
    help_request = HelpRequest(
        user_id=learner.id, organisation_id=org.id, module_id="ecoute-1", message="help"
    )
    assignment = Assignment(
        organisation_id=org.id, target_kind="module", target_ref="ecoute-1", group_id=group.id
    )
    evidence = Evidence(
        organisation_id=org.id,
        learner_id=learner.id,
        target_kind="skill_level",
        target_ref="ecoute/3",
        kind="photo",
        note="",
        content_type="image/jpeg",
        size=4,
    )
    session.add_all([workshop, help_request, assignment, evidence])
    session.flush()
    session.add(EvidenceBlob(evidence_id=evidence.id, data=b"\xff\xd8\xff\xd9"))
    validation = Validation(
        organisation_id=org.id,
        learner_id=learner.id,
        target_kind="skill_level",
        target_ref="ecoute/3",
        decided_on=date.today(),
        decided_by_id=trainer.id,
        decided_by_name="Coach",
        sources=[{"kind": "evidence", "id": evidence.id}],
        comment="",
    )
    session.add(validation)
    session.flush()
    # Two workplace tutors: one linked to the learner (with an assessment sent to her), one to
    # the other learner (the cross-tutor sweeps).
    tutor = trainer_factories.tutor(session, org, label, [learner])
    other_tutor = trainer_factories.tutor(session, org, f"{label}-2", [other])
    sent = trainer_factories.workplace_assessment(session, tutor, learner)
    ids = {
        "tutor_id": tutor.id,
        "assessment_id": sent.id,
        "learner_id": learner.id,
        "user_id": learner.id,
        "group_id": group.id,
        "attempt_id": attempt.id,
        "workshop_answer_id": workshop.id,
        "answer_id": workshop.id,
        "help_id": help_request.id,
        "help_request_id": help_request.id,
        "assignment_id": assignment.id,
        "staff_id": colleague.id,
        "evidence_id": evidence.id,
        "validation_id": validation.id,
        "level": 3,
    }
    return {
        "org": org,
        "trainer": trainer,
        "admin": admin,
        "learner": learner,
        "other": other,
        "tutor": tutor,
        "other_tutor": other_tutor,
        "ids": ids,
    }


@pytest.fixture
def two_orgs(small_app, fixture_catalog):
    session = small_app.extensions["learn.sessions"]()
    catalog = fixture_catalog.get()
    a = make_org_objects(small_app, session, catalog, "a")
    b = make_org_objects(small_app, session, catalog, "b")
    session.commit()
    session.close()
    return a, b


def url_for_rule(rule, ids: dict) -> str | None:
    """The rule's URL with its arguments filled, or None if an argument is unknown."""
    values = {}
    for arg in rule.arguments:
        if isinstance(rule._converters[arg], IntegerConverter):
            if arg not in ids:
                return None
            values[arg] = ids[arg]
        else:
            values[arg] = STRING_ARGS.get(arg, "x")
    return rule.build(values, append_unknown=False)[1]


def app_rules(app, method: str):
    return sorted(
        (r for r in app.url_map.iter_rules() if method in r.methods and r.endpoint != "static"),
        key=lambda r: r.rule,
    )
