"""Issuing, verifying and revoking Parcours credentials (services, no Flask)."""

from __future__ import annotations

import copy
import stat

import pytest
from sqlalchemy import select

from learn.credentials import integrity, multikey, statuslist, verification
from learn.models import AuditEvent, IssuedCredential
from learn.services import achievements, credentials, issuers, privacy
from learn.services.errors import Forbidden, Invalid, NotFound
from tests.credentials.conftest import BASE


def issue_level_1(world, store, actor=None):
    a = world["a"]
    return credentials.issue(
        world["db"], actor or a["trainer"], a["learners"][0].id, "skill_level", "ecoute:1",
        world["catalog"], store, BASE,
    )  # fmt: skip


def test_an_issued_credential_verifies_as_any_verifier_would(world, store):
    row = issue_level_1(world, store)
    db, document = world["db"], row.document
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert document["issuer"]["id"] == f"{BASE}/issuers/org-a"
    assert document["id"] == f"{BASE}/credentials/{row.id}"
    verdict = credentials.verdict(db, row)
    assert verdict.valid and verdict.status == "active"
    # Offline, with only the key from the profile.
    key = multikey.public_key_from_multibase(
        issuers.profile_document(db, world["a"]["org"], BASE)["verificationMethod"][0][
            "publicKeyMultibase"
        ]
    )
    assert verification.check(copy.deepcopy(document), lambda m: key).valid


def test_the_achievement_carries_level_criteria_and_alignments(world, store):
    subject = issue_level_1(world, store).document["credentialSubject"]
    skill = world["catalog"].skill("ecoute")
    achievement = subject["achievement"]
    assert achievement["criteria"]["narrative"] == skill.level(1).descriptor.get("fr")
    frameworks = {a["targetFramework"] for a in achievement["alignment"]}
    assert "ESCO" in frameworks if skill.esco else True
    assert ("LifeComp" in frameworks) == bool(skill.lifecomp)
    assert ("CléA" in frameworks) == bool(skill.clea)
    assert subject["result"][0]["value"] == "1"


def test_the_learner_is_a_salted_hash_not_a_name(world, store):
    row = issue_level_1(world, store)
    learner = world["a"]["learners"][0]
    text = str(row.document)
    assert learner.display_name not in text and learner.username not in text
    identity = row.document["credentialSubject"]["identifier"][0]
    assert identity["hashed"] is True and identity["salt"] == row.identity_salt
    assert achievements.name_matches(row.document, learner.display_name)
    assert not achievements.name_matches(row.document, "Someone Else")
    assert achievements.shown_name(row.document) is None


def test_the_name_is_shown_only_when_the_learner_chose_it(world, store):
    learner = world["a"]["learners"][0]
    credentials.set_show_name(world["db"], learner, True)
    row = issue_level_1(world, store)
    assert achievements.shown_name(row.document) == learner.display_name
    assert credentials.verdict(world["db"], row).valid


def test_a_level_not_validated_cannot_be_issued(world, store):
    a = world["a"]
    with pytest.raises(Invalid):
        credentials.issue(
            world["db"], a["trainer"], a["learners"][0].id, "skill_level", "ecoute:2",
            world["catalog"], store, BASE,
        )  # fmt: skip
    with pytest.raises(NotFound):
        credentials.issue(
            world["db"], a["trainer"], a["learners"][0].id, "skill_level", "nothing:1",
            world["catalog"], store, BASE,
        )  # fmt: skip


def test_issuing_twice_is_refused_until_revoked(world, store):
    row = issue_level_1(world, store)
    with pytest.raises(Invalid):
        issue_level_1(world, store)
    credentials.revoke(world["db"], world["a"]["trainer"], row.id, "issued_in_error")
    again = issue_level_1(world, store)
    assert again.status_index == row.status_index + 1


def test_another_organisations_trainer_can_neither_issue_nor_revoke(world, store):
    row = issue_level_1(world, store)
    outsider = world["b"]["trainer"]
    with pytest.raises(NotFound):
        issue_level_1(world, store, actor=outsider)
    with pytest.raises(NotFound):
        credentials.revoke(world["db"], outsider, row.id, "issued_in_error")
    with pytest.raises(NotFound):
        credentials.credentials_of(world["db"], outsider, world["a"]["learners"][0].id)
    with pytest.raises(Forbidden):
        issue_level_1(world, store, actor=world["a"]["learners"][0])


def test_a_revoked_credential_is_reported_revoked_by_its_signed_status_list(world, store):
    db = world["db"]
    row = issue_level_1(world, store)
    credentials.revoke(db, world["a"]["trainer"], row.id, "wrong_learner")
    verdict = credentials.verdict(db, row)
    assert verdict.code == "revoked" and verdict.status == "revoked"
    listed = credentials.status_list_credential(db, store, "org-a", 1, BASE)
    url, index = statuslist.read_entry(row.document)
    assert url == listed["id"] == f"{BASE}/credentials/status/org-a/1"
    assert verification.status_from_list(listed, url, index, issuers.key_resolver(db)) is True
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "credentials.revoke"))
    assert event.details["reason"] == "wrong_learner" and event.actor_id == world["a"]["trainer"].id


def test_a_revocation_needs_a_known_reason_and_happens_once(world, store):
    row = issue_level_1(world, store)
    with pytest.raises(Invalid):
        credentials.revoke(world["db"], world["a"]["trainer"], row.id, "because")
    credentials.revoke(world["db"], world["a"]["trainer"], row.id, "withdrawn")
    with pytest.raises(Invalid):
        credentials.revoke(world["db"], world["a"]["trainer"], row.id, "withdrawn")


def test_the_status_list_signs_to_the_same_bytes_until_it_changes(world, store):
    db = world["db"]
    row = issue_level_1(world, store)
    first = credentials.status_list_credential(db, store, "org-a", 1, BASE)
    assert credentials.status_list_credential(db, store, "org-a", 1, BASE) == first
    credentials.revoke(db, world["a"]["trainer"], row.id, "withdrawn")
    assert credentials.status_list_credential(db, store, "org-a", 1, BASE) != first
    with pytest.raises(NotFound):
        credentials.status_list_credential(db, store, "org-b", 1, BASE)


def test_keys_are_made_on_first_use_in_owner_only_files(world, store):
    issue_level_1(world, store)
    folder = store.folder / "org-a"
    (pem,) = folder.glob("*.pem")
    assert stat.S_IMODE(pem.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(store.folder.stat().st_mode) == 0o700
    assert "PRIVATE KEY" in pem.read_text()


def test_a_rotated_key_stays_published_and_older_credentials_still_verify(world, store):
    db, org = world["db"], world["a"]["org"]
    old = issue_level_1(world, store)
    old_key = issuers.current_key(db, org)
    new_key = issuers.rotate_key(db, None, org, store)
    assert old_key.retired_at is not None and new_key.public_multibase != old_key.public_multibase
    profile = issuers.profile_document(db, org, BASE)
    published = [m["publicKeyMultibase"] for m in profile["verificationMethod"]]
    assert published == [old_key.public_multibase, new_key.public_multibase]
    assert credentials.verdict(db, old).valid
    credentials.revoke(db, world["a"]["trainer"], old.id, "withdrawn")
    newer = issue_level_1(world, store)
    assert newer.key_id == new_key.key_id and credentials.verdict(db, newer).valid
    assert newer.document["proof"]["verificationMethod"].endswith("#" + new_key.public_multibase)
    # The status list is now signed with the new key and still verifies.
    listed = credentials.status_list_credential(db, store, "org-a", 1, BASE)
    integrity.verify(listed, issuers.key_resolver(db))


def test_a_key_from_the_environment_is_used_and_cannot_be_rotated_here(world, tmp_path):
    seed = "11" * 32
    store = issuers.KeyStore(tmp_path / "keys", {"LEARN_CREDENTIAL_SEED_ORG_A": seed})
    row = issue_level_1(world, store)
    assert not (tmp_path / "keys" / "org-a").exists()  # nothing written to disk
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    expected = multikey.public_key_multibase(
        Ed25519PrivateKey.from_private_bytes(bytes.fromhex(seed)).public_key()
    )
    assert row.document["proof"]["verificationMethod"].endswith("#" + expected)
    with pytest.raises(Invalid):
        issuers.rotate_key(world["db"], None, world["a"]["org"], store)


def test_the_profile_is_json_ld_with_multikeys(world, store):
    issue_level_1(world, store)
    profile = issuers.profile_document(world["db"], world["a"]["org"], BASE)
    nquads = integrity.canonicalize(profile)  # every term defined by the shipped contexts
    assert "https://w3id.org/security#Multikey" in nquads
    method = profile["verificationMethod"][0]
    assert method["publicKeyMultibase"].startswith("z6Mk")
    assert profile["assertionMethod"] == [method["id"]]


def test_a_tampered_parcours_credential_is_refused(world, store):
    row = issue_level_1(world, store)
    tampered = copy.deepcopy(row.document)
    tampered["credentialSubject"]["result"][0]["value"] = "4"
    verdict = verification.check(tampered, issuers.key_resolver(world["db"]))
    assert verdict.code == "bad-signature"


def test_erasure_keeps_the_status_bit_but_not_the_signed_copy(world, store):
    db = world["db"]
    row = issue_level_1(world, store)
    privacy.erase(db, world["a"]["admin"], world["a"]["learners"][0])
    db.expire_all()
    kept = db.get(IssuedCredential, row.id)
    assert kept.document == {} and kept.identity_salt == "" and kept.status_index == 0
    assert credentials.verdict(db, kept) is None


def test_a_completed_course_is_issued_as_a_course_achievement(world, store):
    from tests import trainer_factories as tf

    db, a = world["db"], world["a"]
    learner = a["learners"][0]
    titles = [
        i.subject_ref for i in credentials.issuable(db, a["trainer"], learner.id, world["catalog"])
    ]
    assert "entrepreneurship" not in titles
    with pytest.raises(Invalid):
        credentials.issue(
            db,
            a["trainer"],
            learner.id,
            "course",
            "entrepreneurship",
            world["catalog"],
            store,
            BASE,
        )
    tf.progress(db, learner, "es-social", "completed")
    earned = credentials.issuable(db, a["trainer"], learner.id, world["catalog"])
    assert [(i.kind, i.subject_ref) for i in earned] == [
        ("skill_level", "ecoute:1"),
        ("course", "entrepreneurship"),
    ]
    row = credentials.issue(
        db, a["trainer"], learner.id, "course", "entrepreneurship", world["catalog"], store, BASE
    )
    achievement = row.document["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "Course"
    assert achievement["name"] == "Entreprendre autrement"
    assert credentials.verdict(db, row).valid
    assert credentials.issuable(db, a["trainer"], learner.id, world["catalog"])[1].issued == row


def test_a_credential_signed_with_another_issuers_key_is_refused(world, store):
    """Org b's key is genuine and published, but the credential names org a as its issuer."""
    db = world["db"]
    row = issue_level_1(world, store)
    b_row, b_key = issuers.signing_key(db, world["b"]["org"], store)
    forged = {key: value for key, value in row.document.items() if key != "proof"}
    b_method = issuers.method_id(f"{BASE}/issuers/org-b", b_row.public_multibase)
    forged = integrity.sign(forged, b_key, b_method)
    assert forged["issuer"]["id"] == f"{BASE}/issuers/org-a"
    integrity.verify(forged, issuers.key_resolver(db))  # the signature itself is fine
    verdict = verification.check(forged, issuers.key_resolver(db))
    assert verdict.code == "wrong-issuer"
