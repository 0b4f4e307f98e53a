"""One organisation, on the shipped content, with something on every page the validity and
browser tests open: a worksheet waiting for review against its rubric, another accepted with its
ratings, a level awaiting evidence in the competency grid, a placement, quiz attempts whose text
question's typed answers fill the difficult-questions report."""

from __future__ import annotations

from dataclasses import dataclass

from learn.models import SatisfactionResponse
from tests import trainer_factories as tf

RUBRIC_MODULE = "apprendre-3"
RUBRIC_WORKSHOP = "ws-apprendre-3"
TEXT_MODULE = "es-economic"
WORKSHEET_ANSWERS = {
    "tache": "Le réglage du four mixte, avec Sylvie.",
    "aide-frein": "Les photos de l'écran m'ont aidé. La notice entière m'a freiné.",
    "facons": "Faire avec Sylvie : je retiens en faisant.",
    "faits": "Au début 10 minutes, maintenant 3.",
    "suite": "Je demanderai à faire avec quelqu'un.",
}


@dataclass(frozen=True)
class World:
    trainer: str
    admin: str
    learner: str  # her worksheet is accepted, with ratings
    other: str  # his worksheet waits for review
    learner_id: int
    other_id: int
    group_id: int
    review_id: int  # the submitted worksheet
    accepted_id: int
    attempt_id: int
    tutor: str  # a workplace tutor linked to both learners, who assessed the other
    tutor_id: int


def build(app, label: str = "w") -> World:
    """Write the rows; every account's password is factories.PASSWORD."""
    catalog = app.extensions["learn.catalog"].get()
    db = app.extensions["learn.sessions"]()
    world = tf.organisation_with_group(db, label, learners=2)
    lea, sam = world["learners"]
    rubric = catalog.variant(RUBRIC_MODULE, "fr")
    criteria = [criterion.id for criterion in rubric.workshop.rubric]
    for person in (lea, sam):
        for done in ("apprendre-1", "apprendre-2", "es-social"):
            tf.progress(db, person, done, "mastered")
        tf.progress(db, person, RUBRIC_MODULE, "mastered")
        tf.placement(db, person, skill_id="ecoute", level=2)
    tf.observation(db, sam, world["trainer"], skill_id="apprendre", level=3, validated=True)
    waiting = tf.workshop(db, sam, module_id=RUBRIC_MODULE, ws=RUBRIC_WORKSHOP)
    waiting.answers = dict(WORKSHEET_ANSWERS)
    accepted = tf.workshop(db, lea, status="accepted", module_id=RUBRIC_MODULE, ws=RUBRIC_WORKSHOP)
    accepted.answers = dict(WORKSHEET_ANSWERS)
    accepted.reviewed_at = tf.now()
    accepted.reviewer_id = world["trainer"].id
    accepted.review_comment = "Bien vu : vos faits montrent le progrès."
    accepted.review_ratings = {key: ("yes", "partly")[n % 2] for n, key in enumerate(criteria)}
    economic = catalog.variant(TEXT_MODULE, "fr")
    versions = economic.question_versions
    attempt = None
    for seq, (person, typed) in enumerate(
        [(lea, "Les recettes"), (sam, "le prix de vente"), (lea, "Les  recettes")], start=1
    ):
        answers = {
            q.id: {"version": versions[q.id], "answer": "a", "correct": False}
            for q in economic.questions
        }
        answers["q7"] = {"version": versions["q7"], "answer": typed, "correct": seq == 2}
        attempt = tf.attempt(db, person, TEXT_MODULE, seq=seq, answers=answers)
    # A funded group: the certificates name the funder, the erasure page says what is kept.
    world["group"].funding = "fse"
    tutor = tf.tutor(db, world["org"], label, [lea, sam], company="Supermarché du Port")
    tf.workplace_assessment(
        db,
        tutor,
        sam,
        referentiel_id="agent-proprete",
        competence_id="preparer-materiel",
        subject="Choisir et préparer le matériel",
        reply="Merci, je ferai attention au dosage.",
    )
    # A finished assignment: Léa is offered the questionnaire; Sam answered it and a course's,
    # so the Qualiopi page shows the satisfaction per subject.
    task = tf.assignment(db, world["org"], group=world["group"], ref="es-social")
    for subject, useful in ((f"assignment:{task.id}", 4), ("course:softskills", 2)):
        db.add(
            SatisfactionResponse(
                user_id=sam.id,
                organisation_id=sam.organisation_id,
                subject=subject,
                ratings={"useful": useful},
                comment="",
            )
        )
    db.commit()
    result = World(
        trainer=world["trainer"].username,
        admin=world["admin"].username,
        learner=lea.username,
        other=sam.username,
        learner_id=lea.id,
        other_id=sam.id,
        group_id=world["group"].id,
        review_id=waiting.id,
        accepted_id=accepted.id,
        attempt_id=attempt.id,
        tutor=tutor.username,
        tutor_id=tutor.id,
    )
    db.close()
    return result
