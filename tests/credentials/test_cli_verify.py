"""`learn credentials verify FILE`: exit 0 with "valid", or 1 with the reason."""

from __future__ import annotations

import copy
import json

import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from learn import cli
from learn.credentials import integrity, multikey, statuslist, verification
from tests.credentials import vector


def verify(*args):
    return CliRunner().invoke(cli.main, ["credentials", "verify", *map(str, args)])


def write(tmp_path, name, document) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(document) if not isinstance(document, str) else document)
    return str(path)


def test_the_specifications_example_is_valid_with_its_key():
    result = verify(vector.VECTOR, "--public-key-multibase", vector.MULTIKEY)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "valid"
    assert "no revocation status" in result.output


def test_the_tampered_example_is_refused_as_changed():
    result = verify(vector.TAMPERED, "--public-key-multibase", vector.MULTIKEY)
    assert result.exit_code == 1
    assert "changed after signing" in result.output


def test_without_a_key_the_unknown_issuer_is_said_and_how_to_give_one():
    result = verify(vector.VECTOR)
    assert result.exit_code == 1
    assert "key is not known here" in result.output and "--public-key-multibase" in result.output


def test_a_bad_key_is_refused():
    result = verify(vector.VECTOR, "--public-key-multibase", "z6Mk-not-a-key")
    assert result.exit_code == 1 and "Multikey" in result.output


@pytest.mark.parametrize("text", ["{not json", "[]", ""])
def test_malformed_json_is_refused(tmp_path, text):
    result = verify(write(tmp_path, "bad.json", text), "--public-key-multibase", vector.MULTIKEY)
    assert result.exit_code == 1 and "JSON object" in result.output


def test_a_missing_file_is_refused(tmp_path):
    result = verify(tmp_path / "none.json", "--public-key-multibase", vector.MULTIKEY)
    assert result.exit_code == 1


def test_an_unknown_context_is_refused_with_its_url(tmp_path):
    document = copy.deepcopy(vector.load())
    document["@context"].append("https://attacker.example/ctx.json")
    result = verify(write(tmp_path, "c.json", document), "--public-key-multibase", vector.MULTIKEY)
    assert result.exit_code == 1
    assert "context that is not known here" in result.output and "attacker.example" in result.output


def sign_with(key, document):
    """Signed by `key` as a key of the document's issuer."""
    issuer = verification.issuer_id(document)
    method = f"{issuer}#{multikey.public_key_multibase(key.public_key())}"
    return integrity.sign(document, key, method, "2026-01-01T00:00:00Z")


def unsigned_example(**changes):
    document = {k: v for k, v in vector.load().items() if k != "proof"}
    document.update(changes)
    return document


def test_an_expired_credential_is_refused(tmp_path):
    key = Ed25519PrivateKey.generate()
    signed = sign_with(key, unsigned_example(validUntil="2020-01-01T00:00:00Z"))
    result = verify(
        write(tmp_path, "e.json", signed),
        "--public-key-multibase",
        multikey.public_key_multibase(key.public_key()),
    )
    assert result.exit_code == 1 and "expired" in result.output


def with_status(key, revoked: bool, tmp_path):
    url = "https://p.example/credentials/status/org/1"
    signed = sign_with(key, unsigned_example(credentialStatus=statuslist.status_entry(url, 7)))
    status_list = sign_with(
        key,
        statuslist.list_credential(
            url,
            vector.load()["issuer"]["id"],
            statuslist.encode_list({7} if revoked else {6, 8}),
            "2026-01-01T00:00:00Z",
        ),
    )
    return write(tmp_path, "s.json", signed), write(tmp_path, "list.json", status_list)


def test_a_status_that_cannot_be_checked_offline_is_said_plainly(tmp_path):
    key = Ed25519PrivateKey.generate()
    credential, _ = with_status(key, revoked=True, tmp_path=tmp_path)
    public = multikey.public_key_multibase(key.public_key())
    result = verify(credential, "--public-key-multibase", public)
    assert result.exit_code == 0
    assert "could not be checked offline" in result.output and "status/org/1" in result.output


@pytest.mark.parametrize("revoked", [True, False])
def test_a_saved_status_list_tells_revoked_or_not(tmp_path, revoked):
    key = Ed25519PrivateKey.generate()
    credential, status_list = with_status(key, revoked, tmp_path)
    public = multikey.public_key_multibase(key.public_key())
    result = verify(credential, "--public-key-multibase", public, "--status-list", status_list)
    assert result.exit_code == (1 if revoked else 0), result.output
    assert ("has revoked this credential" in result.output) == revoked
    assert ("has not been revoked" in result.output) == (not revoked)


def test_a_status_list_signed_by_another_key_is_refused(tmp_path):
    key = Ed25519PrivateKey.generate()
    credential, _ = with_status(key, revoked=False, tmp_path=tmp_path)
    (tmp_path / "other").mkdir()
    _, forged = with_status(
        Ed25519PrivateKey.generate(), revoked=False, tmp_path=tmp_path / "other"
    )
    public = multikey.public_key_multibase(key.public_key())
    result = verify(credential, "--public-key-multibase", public, "--status-list", forged)
    assert result.exit_code == 1 and "status list does not verify" in result.output


# --- with this instance's database ----------------------------------------------------------


@pytest.fixture
def instance(database_url, tmp_path, monkeypatch, fixture_catalog):
    """The environment of a Parcours instance whose org-a issued one credential."""
    from learn.db import make_engine, make_session_factory
    from learn.services import credentials, issuers
    from tests import trainer_factories as tf

    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("LEARN_ENV", "development")
    monkeypatch.setenv("LEARN_INSTANCE_PATH", str(tmp_path / "instance"))
    engine = make_engine(database_url)
    db = make_session_factory(engine)()
    world = tf.organisation_with_group(db, "a", learners=1)
    tf.progress(db, world["learners"][0], "ecoute-1", "mastered")
    store = issuers.key_store(tmp_path / "instance", {})
    row = credentials.issue(
        db, world["trainer"], world["learners"][0].id, "skill_level", "ecoute:1",
        fixture_catalog.get(), store, "https://parcours.example",
    )  # fmt: skip
    db.commit()
    path = write(tmp_path, "issued.json", row.document)
    yield {"db": db, "world": world, "row": row, "path": path, "store": store}
    db.close()
    engine.dispose()


def test_a_credential_of_this_instance_verifies_with_its_published_keys(instance):
    result = verify(instance["path"])
    assert result.exit_code == 0, result.output
    assert "has not been revoked" in result.output


def test_a_credential_revoked_here_is_refused(instance):
    from learn.services import credentials

    db = instance["db"]
    credentials.revoke(db, instance["world"]["trainer"], instance["row"].id, "withdrawn")
    db.commit()
    result = verify(instance["path"])
    assert result.exit_code == 1 and "revoked" in result.output


def test_rotate_key_keeps_older_credentials_valid(instance):
    result = CliRunner().invoke(cli.main, ["credentials", "rotate-key", "--organisation", "org-a"])
    assert result.exit_code == 0, result.output
    assert "z6Mk" in result.output
    assert len(list((instance["store"].folder / "org-a").glob("*.pem"))) == 2
    assert verify(instance["path"]).exit_code == 0
    unknown = CliRunner().invoke(cli.main, ["credentials", "rotate-key", "--organisation", "nope"])
    assert unknown.exit_code != 0 and "No organisation" in unknown.output


def test_a_key_that_is_not_the_issuers_is_refused(tmp_path):
    key = Ed25519PrivateKey.generate()
    public = multikey.public_key_multibase(key.public_key())
    signed = integrity.sign(
        unsigned_example(), key, f"https://elsewhere.example/issuers/x#{public}"
    )
    result = verify(write(tmp_path, "w.json", signed), "--public-key-multibase", public)
    assert result.exit_code == 1 and "not signed with a key of the issuer" in result.output


def test_verifying_outside_an_instance_makes_no_database(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("LEARN_INSTANCE_PATH", raising=False)
    result = verify(vector.VECTOR, "--public-key-multibase", vector.MULTIKEY)
    assert result.exit_code == 0
    assert list(tmp_path.iterdir()) == []
