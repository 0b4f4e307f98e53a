"""A référentiel competence validated at the workstation is issued as a signed Open Badges 3.0
credential (issue 20): its achievement names the competence and its criteria, its result is the
step reached, a withdrawn or missing validation cannot be issued, and the printed attestation's
QR code then points to it."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from learn.credentials import multikey, verification
from learn.modules.referentiels import Source
from learn.services import achievements, credentials, issuers, validation
from learn.services.errors import Invalid, NotFound
from tests import trainer_factories as tf
from tests.credentials.conftest import BASE

REF = "essai/ecouter-client"


def validate_competence(world):
    db, a = world["db"], world["a"]
    learner = a["learners"][0]
    tutor = tf.tutor(db, a["org"], "c1", [learner])
    sent = tf.workplace_assessment(db, tutor, learner)
    return validation.validate(
        db, a["trainer"], learner, world["catalog"], target_kind="competence", target_ref=REF,
        step="alone", sources=[f"assessment:{sent.id}"], comment="", decided_on=date(2026, 12, 1),
    )  # fmt: skip


def issue(world, store, ref=REF):
    a = world["a"]
    return credentials.issue(
        world["db"], a["trainer"], a["learners"][0].id, "competence", ref, world["catalog"],
        store, BASE,
    )  # fmt: skip


def test_a_validated_competence_is_issuable_and_issues_a_signed_competency(world, store):
    db, a = world["db"], world["a"]
    learner = a["learners"][0]
    earned = credentials.issuable(db, a["trainer"], learner.id, world["catalog"], "en")
    assert ("competence", REF) not in [(i.kind, i.subject_ref) for i in earned]
    validate_competence(world)
    earned = credentials.issuable(db, a["trainer"], learner.id, world["catalog"], "en")
    found = next(i for i in earned if i.kind == "competence")
    assert found.subject_ref == REF and found.issued is None
    assert "Écouter le client" in found.title and "Trial job" in found.title

    row = issue(world, store)
    subject = row.document["credentialSubject"]
    achievement = subject["achievement"]
    assert achievement["achievementType"] == "Competency"
    assert achievement["name"] == "Écouter le client — Métier d'essai"
    assert "(sécurité) Reformule la demande" in achievement["criteria"]["narrative"]
    assert "Pose une question" in achievement["criteria"]["narrative"]
    assert subject["result"][0]["value"] == "Seul·e"
    assert achievement["resultDescription"][0]["allowedValue"] == ["Pas encore", "Seul·e"]
    assert row.level is None and row.subject_ref == REF
    assert credentials.verdict(db, row).valid
    # Offline, with the key from the issuer's profile only.
    key = multikey.public_key_from_multibase(
        issuers.profile_document(db, a["org"], BASE)["verificationMethod"][0]["publicKeyMultibase"]
    )
    assert verification.check(copy.deepcopy(row.document), lambda m: key).valid
    with pytest.raises(Invalid):  # once in force
        issue(world, store)


def test_a_competence_not_validated_or_withdrawn_is_refused(world, store):
    db, a = world["db"], world["a"]
    learner = a["learners"][0]
    with pytest.raises(Invalid):
        issue(world, store)
    for unknown in ("essai/nope", "nope/ecouter-client", "essai"):
        with pytest.raises(NotFound):
            issue(world, store, unknown)
    made = validate_competence(world)
    validation.withdraw(db, a["trainer"], learner, made.id, "Erreur de saisie")
    with pytest.raises(Invalid):
        issue(world, store)
    earned = credentials.issuable(db, a["trainer"], learner.id, world["catalog"])
    assert all(i.kind != "competence" for i in earned)


def test_the_attestation_points_to_the_competence_credential(world, store):
    db, a = world["db"], world["a"]
    learner = a["learners"][0]
    validate_competence(world)
    row = issue(world, store)
    attested = validation.attestation(db, learner, world["catalog"].referentiel("essai"))
    assert [c.credential for c in attested.competences] == [row]
    credentials.revoke(db, a["trainer"], row.id, "withdrawn")
    attested = validation.attestation(db, learner, world["catalog"].referentiel("essai"))
    assert [c.credential for c in attested.competences] == [None]
    assert credentials.verdict(db, row).status == "revoked"


def test_another_organisations_trainer_cannot_issue_it(world, store):
    validate_competence(world)
    b, learner = world["b"], world["a"]["learners"][0]
    with pytest.raises(NotFound):
        credentials.issue(
            world["db"], b["trainer"], learner.id, "competence", REF, world["catalog"], store, BASE
        )


def test_rncp_and_rs_sources_become_alignments():
    class Ref:
        sources = (
            Source("CAPa Jardinier paysagiste", "France compétences", "RNCP38386"),
            Source("Compostage", "France compétences", "RS6396", "https://example.org/rs6396"),
            Source("Guide", "INRS", "ED 963"),
            Source("Sans référence", "Un éditeur"),
        )

    found = achievements.referentiel_alignments(Ref)
    assert [(a["targetCode"], a["targetUrl"]) for a in found] == [
        ("RNCP38386", "https://www.francecompetences.fr/recherche/rncp/38386/"),
        ("RS6396", "https://example.org/rs6396"),
    ]
    assert all(a["targetType"] == "ceterms:Credential" for a in found)
