"""Signed export files between two Parcours: made only after consent, verified offline on
import (the file's signature and every credential), refused whole when tampered or unsigned."""

from __future__ import annotations

import copy
import json

import pytest
from sqlalchemy import func, select

from learn.credentials import packages
from learn.models import AuditEvent, ImportedRecord, User
from learn.services import credentials, issuers, record_files, transfers
from learn.services.errors import Forbidden, Invalid, NotFound
from tests import trainer_factories as tf
from tests.credentials.conftest import BASE


@pytest.fixture
def consented(world, store):
    """a's learner has a badge, was asked to export their record to another Parcours, said yes."""
    db, a = world["db"], world["a"]
    learner = a["learners"][0]
    tf.workshop(db, learner, status="accepted")
    credentials.issue(
        db, a["trainer"], learner.id, "skill_level", "ecoute:1", world["catalog"], store, BASE
    )
    row = record_files.request_export(db, a["trainer"], learner.id, "Mission locale de Lyon")
    transfers.answer(db, learner, row.id, True, False, world["catalog"])
    return world, row


def _file(world, row, store) -> bytes:
    document = record_files.export_file(world["db"], world["a"]["trainer"], row.id, store, BASE)
    return json.dumps(document).encode()


def test_the_export_file_is_signed_and_verifies_offline(consented, store):
    world, row = consented
    raw = _file(world, row, store)
    found = record_files.read_file(raw)
    assert found.profile["id"] == f"{BASE}/issuers/{world['a']['org'].slug}"
    assert [v.code for _c, v in found.checked] == ["valid"]
    assert [v.status for _c, v in found.checked] == ["active"]  # its status list is in the file
    assert "workshops" not in found.package
    exported = world["db"].scalar(select(AuditEvent).where(AuditEvent.action == "transfer.export"))
    assert exported is not None and exported.organisation_id == world["a"]["org"].id


def test_no_export_before_consent_nor_after_a_refusal(world, store):
    db, a = world["db"], world["a"]
    learner = a["learners"][0]
    row = record_files.request_export(db, a["trainer"], learner.id, "Partenaire")
    with pytest.raises(Invalid):
        record_files.export_file(db, a["trainer"], row.id, store, BASE)
    transfers.answer(db, learner, row.id, False, False, world["catalog"])
    with pytest.raises(Invalid, match="said no"):
        record_files.export_file(db, a["trainer"], row.id, store, BASE)
    assert db.scalar(select(AuditEvent).where(AuditEvent.action == "transfer.export")) is None


def test_another_organisation_cannot_export_nor_see_it(consented, store):
    world, row = consented
    with pytest.raises(NotFound):
        record_files.export_file(world["db"], world["b"]["trainer"], row.id, store, BASE)
    assert transfers.incoming(world["db"], world["b"]["trainer"]) == []


@pytest.mark.parametrize(
    "tamper",
    [
        lambda d: d["package"]["grid"].append({"skill": "ecoute", "level": 4}),
        lambda d: d["package"]["learner"].update(name="Quelqu'un d'autre"),
        lambda d: d["signature"].pop("signatureValue"),
        lambda d: d.pop("signature"),
        lambda d: d["issuer"]["verificationMethod"][0].update(
            publicKeyMultibase="z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
        ),
    ],
    ids=["grid", "name", "no-signature-value", "unsigned", "other-key"],
)
def test_a_tampered_or_unsigned_file_is_refused_and_nothing_written(consented, store, tamper):
    world, row = consented
    db = world["db"]
    document = json.loads(_file(world, row, store))
    tamper(document)
    users = db.scalar(select(func.count(User.id)))
    with pytest.raises(Invalid, match="Nothing was imported"):
        record_files.import_file(db, world["b"]["trainer"], json.dumps(document), username="x.y")
    assert db.scalar(select(func.count(User.id))) == users
    assert db.scalar(select(func.count(ImportedRecord.id))) == 0


def test_a_changed_credential_inside_a_resigned_file_is_refused(consented, store):
    """Even signed again by A's key, a credential changed after issuing does not verify."""
    world, row = consented
    document = json.loads(_file(world, row, store))
    document["package"]["credentials"][0]["name"] = "Niveau 4"
    key_row, private = issuers.signing_key(world["db"], world["a"]["org"], store)
    resigned = packages.sign_file(
        "record", document["issuer"], document["package"], private,
        document["signature"]["verificationMethod"], document["created"],
    )  # fmt: skip
    with pytest.raises(Invalid, match="A badge in the file does not verify"):
        record_files.read_file(json.dumps(resigned))


def test_not_json_is_refused_plainly(world):
    for raw in (b"", b"not json", b"[]", b'{"format": "x"}'):
        with pytest.raises(Invalid):
            record_files.read_file(raw)


def test_revoked_is_said_only_when_the_file_carries_the_status_list(consented, store):
    world, row = consented
    db, a = world["db"], world["a"]
    (issued,) = credentials.credentials_of(db, a["trainer"], a["learners"][0].id)
    credentials.revoke(db, a["trainer"], issued.id, next(iter(credentials.REVOCATION_REASONS)))
    document = json.loads(_file(world, row, store))
    found = record_files.read_file(json.dumps(document))
    assert [(v.code, v.status) for _c, v in found.checked] == [("revoked", "revoked")]
    # Without the list (an older file, or a list of another server), it is "not checked".
    unlisted = copy.deepcopy(document)
    unlisted["package"]["statusLists"] = []
    key_row, private = issuers.signing_key(db, a["org"], store)
    resigned = packages.sign_file(
        "record", unlisted["issuer"], unlisted["package"], private,
        unlisted["signature"]["verificationMethod"], unlisted["created"],
    )  # fmt: skip
    found = record_files.read_file(json.dumps(resigned))
    assert [(v.code, v.status) for _c, v in found.checked] == [("valid", "unchecked")]


def test_import_into_a_new_account_is_audited_and_listed_on_the_passport(consented, store):
    world, row = consented
    db, b = world["db"], world["b"]
    record, new = record_files.import_file(
        db, b["trainer"], _file(world, row, store), username="venu.de.a"
    )
    assert new.code and new.user.organisation_id == b["org"].id
    assert new.user.display_name == world["a"]["learners"][0].display_name
    assert record_files.imported_for(db, new.user) == [record]
    assert record.source_profile.endswith("/issuers/" + world["a"]["org"].slug)
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "transfer.import"))
    assert event.organisation_id == b["org"].id
    with pytest.raises(NotFound):  # a's trainer does not see b's import
        record_files.imported_record(db, world["a"]["trainer"], record.id)


def test_import_into_a_learner_of_another_organisation_is_refused(consented, store):
    world, row = consented
    with pytest.raises(NotFound):
        record_files.import_file(
            world["db"], world["b"]["trainer"], _file(world, row, store),
            learner_id=world["a"]["learners"][0].id,
        )  # fmt: skip


def test_a_learner_exports_their_passport_and_it_imports(world, store):
    db, a, b = world["db"], world["a"], world["b"]
    learner = a["learners"][0]
    credentials.issue(
        db, a["trainer"], learner.id, "skill_level", "ecoute:1", world["catalog"], store, BASE
    )
    document = record_files.passport_file(db, learner, world["catalog"], store, BASE)
    assert document["kind"] == "passport" and len(document["package"]["credentials"]) == 1
    record, _new = record_files.import_file(
        db, b["trainer"], json.dumps(document), learner_id=b["learners"][0].id
    )
    assert record.kind == "passport" and record.learner_id == b["learners"][0].id
    with pytest.raises(Forbidden):
        record_files.passport_file(db, a["trainer"], world["catalog"], store, BASE)
